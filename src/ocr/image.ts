/**
 * Grey-level page images and the few pixel operations OCR needs. Images are decoded by sharp
 * (prebuilt binaries from npm); everything after decoding works on plain byte arrays.
 */
import sharp from 'sharp';

/** One channel, 0 = black, 255 = white, row-major. */
export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decoded RGB page, 3 bytes per pixel. */
export interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
  /** Resolution from the file, when it says (else undefined). */
  dpi?: number;
}

/** Larger pages are scaled down to this many pixels on the long side (A4 at 300 dpi is 3508). */
export const MAX_SIDE = 3600;

/**
 * Decode PNG/JPEG/TIFF/WebP bytes (first page/frame `page`) to RGB, turned as their EXIF orientation
 * says (`exif: false` for a JPEG out of a PDF, which viewers draw as stored).
 */
export async function decodeImage(bytes: Uint8Array, page = 0, { exif = true } = {}): Promise<Rgb> {
  let img = sharp(bytes, { page, limitInputPixels: 20000 * 20000 });
  if (exif) img = img.rotate();
  const meta = await sharp(bytes, { page }).metadata();
  const w = (exif ? meta.autoOrient?.width : undefined) ?? meta.width ?? 0;
  const h = (exif ? meta.autoOrient?.height : undefined) ?? meta.height ?? 0;
  let scale = 1;
  if (Math.max(w, h) > MAX_SIDE) {
    scale = MAX_SIDE / Math.max(w, h);
    img = img.resize(Math.round(w * scale), Math.round(h * scale), { kernel: 'lanczos3' });
  }
  const { data, info } = await img.flatten({ background: '#ffffff' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const rgb = toRgb(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels);
  const density = meta.density && meta.density > 30 && meta.density < 2400 ? meta.density * scale : undefined;
  return { ...rgb, dpi: density };
}

/** A page image as JPEG, for showing it. */
export async function toJpeg(rgb: Rgb, quality = 80): Promise<Uint8Array> {
  return new Uint8Array(await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } }).jpeg({ quality }).toBuffer());
}

/** Number of pages/frames in an image file (TIFF may hold several). */
export async function imagePages(bytes: Uint8Array): Promise<number> {
  const meta = await sharp(bytes).metadata();
  return meta.pages ?? 1;
}

function toRgb(data: Uint8Array, width: number, height: number, channels: number): Rgb {
  if (channels === 3) return { width, height, data };
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, n = width * height; i < n; i++) {
    const v = data[i * channels];
    if (channels >= 3) {
      out[i * 3] = v;
      out[i * 3 + 1] = data[i * channels + 1];
      out[i * 3 + 2] = data[i * channels + 2];
    } else out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = v;
  }
  return { width, height, data: out };
}

/** Fewer dropped pixels than this are no seal (a red pen tick, JPEG colour fringes): no mask is kept. */
const SEAL_PIXELS = 400;

/**
 * Grey levels with red ink removed: a red seal (公章) printed or stamped over the form becomes (nearly)
 * paper, while black text and grey lines under it stay dark (where black and red overlap the pixel
 * is dark, not red). `red`, when there was a seal's worth of red: where it was, dark (0) on paper
 * (255), so that it can be turned and warped with the page and tell which values lay under the seal.
 */
export function dropRed(img: Rgb): { grey: Gray; red?: Gray; lines?: Gray } {
  const { width, height, data } = img;
  const n = width * height;
  // Redness: how far red stands above the other two channels, smoothed over 3×3 pixels (JPEG keeps
  // colour at half resolution, so a thin red stroke comes out pinkish grey).
  const red = new Int16Array(n);
  for (let i = 0; i < n; i++) red[i] = data[i * 3] - Math.max(data[i * 3 + 1], data[i * 3 + 2]);
  const out = new Uint8Array(n);
  const dropped = new Uint8Array(n);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const lum = (data[i * 3] * 299 + data[i * 3 + 1] * 587 + data[i * 3 + 2] * 114) / 1000;
      out[i] = lum;
      if (lum < 60 || lum > 235) continue; // black ink stays black, even under a seal
      let sum = 0,
        cnt = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          sum += red[yy * width + xx];
          cnt++;
        }
      }
      const r = Math.max(red[i], sum / cnt);
      if (r > 12 && r > 0.12 * (255 - lum)) {
        out[i] = 255;
        dropped[i] = 1;
      }
    }
  // The grey rims of red strokes go too: light pixels touching a dropped one.
  let count = 0;
  const rims: number[] = [];
  for (let y = 1; y < height - 1; y++)
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      count += dropped[i];
      if (dropped[i] || out[i] < 110 || out[i] > 235) continue;
      if (dropped[i - 1] || dropped[i + 1] || dropped[i - width] || dropped[i + width]) (out[i] = 255), rims.push(i);
    }
  const grey = { width, height, data: out };
  if (count < SEAL_PIXELS) return { grey };
  // Black ink inside the seal's strokes counts as under it too (lum < 60 was kept as text).
  const mask = new Uint8Array(n).fill(255);
  for (let i = 0; i < n; i++) if (dropped[i] || red[i] > 25) mask[i] = 0;
  return { grey, red: { width, height, data: mask }, lines: { width, height, data: redChannelUnder(data, out, dropped, rims) } };
}

/**
 * The page as a scanner's red drop-out sees it where the seal was: its red channel, which the seal's
 * ink passes, so that a grey ruled line under the seal stays a line (the seal's text is gone from
 * the page OCR reads; only the lines are looked for here). The seal dims even the red channel a
 * little: its most common level there is taken for paper.
 */
function redChannelUnder(rgb: Uint8Array, grey: Uint8Array, dropped: Uint8Array, rims: number[]): Uint8Array {
  const out = new Uint8Array(grey);
  const hist = new Uint32Array(256);
  let seen = 0;
  for (let i = 0; i < dropped.length; i++) if (dropped[i]) (hist[rgb[i * 3]]++, seen++);
  let level = 255;
  for (let v = 255, above = 0; v > 0; v--) if ((above += hist[v]) >= seen * 0.1) { level = v; break; }
  const lift = level > 100 ? 255 / level : 1;
  // only what is clearly darker than that: the seal's own strokes, thicker in places, stay paper
  const put = (i: number) => {
    const v = rgb[i * 3] * lift;
    out[i] = v < 255 * 0.85 ? Math.round(v) : 255;
  };
  for (let i = 0; i < dropped.length; i++) if (dropped[i]) put(i);
  rims.forEach(put);
  return out;
}

/** Rotate by a multiple of 90° clockwise. */
export function rotate90(g: Gray, quarter: number): Gray {
  const q = ((quarter % 4) + 4) % 4;
  if (q === 0) return g;
  const { width: w, height: h, data } = g;
  const W = q === 2 ? w : h,
    H = q === 2 ? h : w;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x];
      let nx: number, ny: number;
      if (q === 1) {
        nx = h - 1 - y;
        ny = x;
      } else if (q === 2) {
        nx = w - 1 - x;
        ny = h - 1 - y;
      } else {
        nx = y;
        ny = w - 1 - x;
      }
      out[ny * W + nx] = v;
    }
  return { width: W, height: H, data: out };
}

/** Rotate by a small angle (degrees, counter-clockwise positive) about the centre; same size, white fill. */
export function rotateSmall(g: Gray, deg: number): Gray {
  if (Math.abs(deg) < 0.02) return g;
  const { width: w, height: h } = g;
  const out = new Uint8Array(w * h).fill(255);
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a),
    sin = Math.sin(a);
  const cx = (w - 1) / 2,
    cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Inverse map: source = R(-a) · (dest - c) + c, with y pointing down.
    let sx = cos * -cx - sin * dy + cx;
    let sy = sin * -cx + cos * dy + cy;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      const v = bilinear(g, sx, sy);
      if (v >= 0) out[y * w + x] = v;
    }
  }
  return { width: w, height: h, data: out };
}

/** The grey value at a fractional position, interpolated between its four pixels; -1 outside the image. */
export function bilinear(g: Gray, sx: number, sy: number): number {
  const { width: w, height: h, data } = g;
  const x0 = Math.floor(sx),
    y0 = Math.floor(sy);
  if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) return -1;
  const fx = sx - x0,
    fy = sy - y0;
  const i = y0 * w + x0;
  const top = data[i] + (data[i + 1] - data[i]) * fx;
  const bot = data[i + w] + (data[i + w + 1] - data[i + w]) * fx;
  return top + (bot - top) * fy;
}

/** Area-average downscale by an integer-free factor (scale < 1), or bilinear when enlarging. */
export function resize(g: Gray, W: number, H: number): Gray {
  const { width: w, height: h, data } = g;
  const out = new Uint8Array(W * H);
  const sx = w / W,
    sy = h / H;
  if (sx >= 1 && sy >= 1) {
    // box filter
    for (let y = 0; y < H; y++) {
      const y0 = Math.floor(y * sy),
        y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
      for (let x = 0; x < W; x++) {
        const x0 = Math.floor(x * sx),
          x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
        let s = 0;
        for (let yy = y0; yy < y1; yy++) {
          const row = yy * w;
          for (let xx = x0; xx < x1; xx++) s += data[row + xx];
        }
        out[y * W + x] = s / ((y1 - y0) * (x1 - x0));
      }
    }
    return { width: W, height: H, data: out };
  }
  for (let y = 0; y < H; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy),
      y1 = Math.min(h - 1, y0 + 1),
      ty = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx),
        x1 = Math.min(w - 1, x0 + 1),
        tx = fx - x0;
      const a = data[y0 * w + x0] + (data[y0 * w + x1] - data[y0 * w + x0]) * tx;
      const b = data[y1 * w + x0] + (data[y1 * w + x1] - data[y1 * w + x0]) * tx;
      out[y * W + x] = a + (b - a) * ty;
    }
  }
  return { width: W, height: H, data: out };
}

/** Crop (clamped to the image). */
export function crop(g: Gray, x0: number, y0: number, x1: number, y1: number): Gray {
  x0 = Math.max(0, Math.floor(x0));
  y0 = Math.max(0, Math.floor(y0));
  x1 = Math.min(g.width, Math.ceil(x1));
  y1 = Math.min(g.height, Math.ceil(y1));
  const W = Math.max(1, x1 - x0),
    H = Math.max(1, y1 - y0);
  const out = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < H && y0 + y < g.height; y++) out.set(g.data.subarray((y0 + y) * g.width + x0, (y0 + y) * g.width + x0 + Math.min(W, g.width - x0)), y * W);
  return { width: W, height: H, data: out };
}

/** Otsu threshold over the grey levels (ink is below it). */
export function otsu(g: Gray): number {
  const hist = new Float64Array(256);
  const step = g.data.length > 4e6 ? 3 : 1;
  for (let i = 0; i < g.data.length; i += step) hist[g.data[i]]++;
  let total = 0,
    sum = 0;
  for (let i = 0; i < 256; i++) {
    total += hist[i];
    sum += i * hist[i];
  }
  let wB = 0,
    sumB = 0,
    best = 0,
    t = 128;
  for (let i = 0; i < 256; i++) {
    wB += hist[i];
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += i * hist[i];
    const mB = sumB / wB,
      mF = (sum - sumB) / wF;
    const v = wB * wF * (mB - mF) * (mB - mF);
    if (v > best) {
      best = v;
      t = i;
    }
  }
  // Mostly-white pages: keep the threshold in a sensible band for printed ink.
  return Math.min(200, Math.max(90, t));
}

/** Summed-area table: sum[(y)(W+1) + x] adds up the values (set pixels, grey levels) above and left of (x, y). */
function areaSums(mask: Uint8Array, W: number, H: number): Float64Array {
  // (grey levels of a large page overflow 32 bits)
  const sum = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++) {
    let row = 0;
    for (let x = 0; x < W; x++) {
      row += mask[y * W + x];
      sum[(y + 1) * (W + 1) + x + 1] = sum[y * (W + 1) + x + 1] + row;
    }
  }
  return sum;
}

/** Set pixels (or grey levels) summed in each k×k window (clamped at the image's edge) around every pixel. */
export function windowCounts(mask: Uint8Array, W: number, H: number, k: number, each: (p: number, count: number, area: number) => void): void {
  const sum = areaSums(mask, W, H);
  const r = k >> 1;
  for (let y = 0; y < H; y++) {
    const y0 = Math.max(0, y - r),
      y1 = Math.min(H, y + r + 1);
    for (let x = 0; x < W; x++) {
      const x0 = Math.max(0, x - r),
        x1 = Math.min(W, x + r + 1);
      const n = sum[y1 * (W + 1) + x1] - sum[y0 * (W + 1) + x1] - sum[y1 * (W + 1) + x0] + sum[y0 * (W + 1) + x0];
      each(y * W + x, n, (y1 - y0) * (x1 - x0));
    }
  }
}

/**
 * Pixels darker than `ratio` of the mean of the window around them (a fortieth of the page's shorter
 * side): faint grey lines on paper are, the grain of a shadow is not.
 */
export function darkerThanAround(g: Gray, ratio: number): Uint8Array {
  const out = new Uint8Array(g.width * g.height);
  windowCounts(g.data, g.width, g.height, 2 * Math.round(Math.min(g.width, g.height) / 40) + 1, (p, sum, area) => (out[p] = g.data[p] < (sum / area) * ratio ? 1 : 0));
  return out;
}

/**
 * Faint ruled lines (grey hairlines, a light scan): pixels a little darker than the paper around
 * them where a run along a row or a column is darker still. How much darker than the paper the run
 * is, averaged over `reach` pixels along it, lifts a line out of the noise; it is summed with the
 * darker neighbouring run across it, since a hairline falling between two pixel rows leaves half its
 * ink in each. A pixel must be dark itself too, so that the paper between two characters does not
 * join them, and the run thin (see `line`; a faint border of a shaded cell is lost beside the
 * shade). The paper is the mean of the window around a pixel without its ink (`ink`, black text
 * beside a cell's border would darken it).
 */
export function faintLines(g: Gray, ink: Uint8Array, reach = 7): Uint8Array {
  const { width: W, height: H, data } = g;
  const out = new Uint8Array(W * H);
  const paperAt = paperLevels(g, ink);
  const r = reach >> 1;
  /** How much darker than `paper` the `reach` pixels from p along step are, on average (within the row or column: `from`..`to` steps). */
  const dark = (paper: number, p: number, step: number, from: number, to: number) => {
    const a = Math.max(-r, from),
      b = Math.min(r, to);
    let s = 0;
    for (let k = a; k <= b; k++) s += data[p + k * step];
    return paper - s / (b - a + 1);
  };
  // a line is thin: three pixels off it across, on both sides, the run is (nearly) paper again;
  // inside a shaded cell or the solid star of a seal it is not, nor at the edge of a shadow or of
  // the page in a photo
  const line = (paper: number, p: number, step: number, c: number, n: number, along: number, from: number, to: number) => {
    if (c < 3 || c > n - 4) return false;
    const d = (q: number) => dark(paper, q, along, from, to);
    const sum = d(p) + Math.max(d(p - step), d(p + step));
    return sum >= paper * 0.1 && Math.max(d(p - 3 * step), d(p + 3 * step)) < sum / 4;
  };
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const paper = paperAt(x, y);
      if (data[p] >= paper * 0.95) continue;
      if (line(paper, p, W, y, H, 1, -x, W - 1 - x) || line(paper, p, 1, x, W, W, -y, H - 1 - y)) out[p] = 1;
    }
  return out;
}

/**
 * The paper's grey level around each point: the mean of the pixels that are not ink over blocks of
 * about a 80th of the page's shorter side, each with its eight neighbours (light falls unevenly on
 * a photo, slowly).
 */
function paperLevels(g: Gray, ink: Uint8Array): (x: number, y: number) => number {
  const { width: W, height: H, data } = g;
  const B = Math.max(8, Math.round(Math.min(W, H) / 80));
  const BW = Math.ceil(W / B),
    BH = Math.ceil(H / B);
  const sum = new Float64Array(BW * BH),
    count = new Float64Array(BW * BH);
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / B) * BW;
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (ink[p]) continue;
      const b = row + Math.floor(x / B);
      sum[b] += data[p];
      count[b]++;
    }
  }
  const level = new Float32Array(BW * BH);
  for (let by = 0; by < BH; by++)
    for (let bx = 0; bx < BW; bx++) {
      let s = 0,
        n = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = by + dy,
            xx = bx + dx;
          if (yy < 0 || yy >= BH || xx < 0 || xx >= BW) continue;
          s += sum[yy * BW + xx];
          n += count[yy * BW + xx];
        }
      level[by * BW + bx] = n ? s / n : 0;
    }
  return (x, y) => level[Math.floor(y / B) * BW + Math.floor(x / B)];
}

/** 1 where ink. */
export function binarize(g: Gray, threshold = otsu(g)): Uint8Array {
  const out = new Uint8Array(g.data.length);
  for (let i = 0; i < out.length; i++) out[i] = g.data[i] < threshold ? 1 : 0;
  return out;
}
