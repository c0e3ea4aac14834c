/**
 * Photos taken at an angle: the desk around the page is cleared, and the form's table — its ruled
 * grid is the page's largest connected ink — is mapped back to a rectangle by the projective
 * transform (homography) that takes its four corners there. Scans, whose table is already a
 * rectangle, are left as they are.
 */
import { bilinear, darkerThanAround, windowCounts, type Gray } from './image.js';

type Pt = [number, number];

interface Component {
  seed: number;
  count: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  border: boolean;
  /** Its pixels on the image's edge. */
  edge: number;
}

/** Connected ink (4-neighbours) with size and bounds; `label` gets each pixel's component number + 1. */
function components(bin: Uint8Array, W: number, H: number, label: Int32Array): Component[] {
  const out: Component[] = [];
  const stack = new Int32Array(W * H);
  for (let start = 0; start < W * H; start++) {
    if (!bin[start] || label[start]) continue;
    const id = out.length + 1;
    const c: Component = { seed: start, count: 0, x0: W, y0: H, x1: 0, y1: 0, border: false, edge: 0 };
    let n = 0;
    stack[n++] = start;
    label[start] = id;
    while (n) {
      const p = stack[--n];
      const x = p % W,
        y = (p - x) / W;
      c.count++;
      if (x === 0 || y === 0 || x === W - 1 || y === H - 1) c.edge++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      if (x > 0 && bin[p - 1] && !label[p - 1]) (label[p - 1] = id), (stack[n++] = p - 1);
      if (x < W - 1 && bin[p + 1] && !label[p + 1]) (label[p + 1] = id), (stack[n++] = p + 1);
      if (y > 0 && bin[p - W] && !label[p - W]) (label[p - W] = id), (stack[n++] = p - W);
      if (y < H - 1 && bin[p + W] && !label[p + W]) (label[p + W] = id), (stack[n++] = p + W);
    }
    c.border = c.x0 === 0 || c.y0 === 0 || c.x1 === W - 1 || c.y1 === H - 1;
    out.push(c);
  }
  return out;
}

/**
 * A background around the page (a desk, a scanner's dark lid) reads as one big patch of "ink"
 * that runs along most of the image's edge; a table or text reaching the edge touches it briefly.
 */
const isBackground = (c: Component, W: number, H: number) => c.count > W * H * 0.02 && c.edge > (W + H) * 2 * 0.5;

/** The homography taking four points to four others (solved as the usual 8×8 linear system). */
export function homography(from: Pt[], to: Pt[]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i],
      [u, v] = to[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k < 9; k++) A[r][k] -= f * A[c][k];
    }
  }
  return [...A.map((row, i) => row[8] / row[i]), 1];
}

/** Resample: each output pixel from the source point the homography `back` maps it to (bilinear; paper outside). */
function warp(g: Gray, back: number[]): Gray {
  const { width: W, height: H } = g;
  const out = new Uint8Array(W * H).fill(255);
  const [a, b, c, d, e, f, p, q] = back;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const w = p * x + q * y + 1;
      const v = bilinear(g, (a * x + b * y + c) / w, (d * x + e * y + f) / w);
      if (v >= 0) out[y * W + x] = v;
    }
  return { width: W, height: H, data: out };
}

/** Corners further than this (fraction of the table's width) from a rectangle's: the photo is taken at an angle. */
const OFF_RECTANGLE = 0.006;

/**
 * The page with a background around it (a desk) turned to paper, or undefined when there is none.
 * The background is found among what is clearly darker than the paper (under 0.65 of its usual
 * brightness, so a page lit unevenly stays paper), not from the ink threshold: a desk can be as
 * light as pencil.
 */
export function clearBackground(g: Gray): { page: Gray; paper: Gray } | undefined {
  const { width: W, height: H, data } = g;
  const hist = new Uint32Array(256);
  for (let i = 0; i < data.length; i += 7) hist[data[i]]++;
  let seen = 0,
    paper = 255;
  const total = Math.ceil(data.length / 7);
  for (let v = 255; v >= 0; v--) if ((seen += hist[v]) >= total * 0.1) { paper = v; break; }
  const limit = paper * 0.65;
  // a background runs along most of the edge: with the edge mostly paper (every scan), there is none
  let edge = 0;
  for (let x = 0; x < W; x++) edge += +(data[x] < limit) + +(data[(H - 1) * W + x] < limit);
  for (let y = 0; y < H; y++) edge += +(data[y * W] < limit) + +(data[y * W + W - 1] < limit);
  if (edge <= (W + H) * 2 * 0.5) return undefined;
  const dark = new Uint8Array(W * H);
  for (let i = 0; i < dark.length; i++) dark[i] = data[i] < limit ? 1 : 0;
  // The background is a big patch: it is looked for on cells of S × S pixels (a cell dark when
  // most of it is), a sixteenth of the work of labelling every pixel of a photo.
  const S = 4;
  const w = Math.ceil(W / S),
    h = Math.ceil(H / S);
  const cells = new Uint16Array(w * h);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) cells[((y / S) | 0) * w + ((x / S) | 0)] += dark[y * W + x];
  const coarse = new Uint8Array(w * h);
  for (let c = 0; c < coarse.length; c++) coarse[c] = cells[c] * 2 >= S * S ? 1 : 0;
  // Opened first: a rule or a stroke that touches the background does not join it (and is kept).
  const k = 2 * Math.round(Math.min(w, h) / 400) + 3;
  const solid = erode(coarse, w, h, k);
  const label = new Int32Array(w * h);
  const ids = new Set<number>();
  components(solid, w, h, label).forEach((c, i) => isBackground(c, w, h) && ids.add(i + 1));
  if (!ids.size) return undefined;
  const background = new Uint8Array(w * h);
  for (let c = 0; c < w * h; c++) background[c] = ids.has(label[c]) ? 1 : 0;
  // what is dark within two cells of it (its ragged edge) goes with it
  const near = dilate(background, w, h, 5);
  const out = new Uint8Array(data);
  // the sheet: 255 where it is, 0 on the background
  const sheet = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const p = y * W + x,
        c = ((y / S) | 0) * w + ((x / S) | 0);
      if (dark[p] && near[c]) out[p] = 255;
      sheet[p] = background[c] ? 0 : 255;
    }
  return { page: { width: W, height: H, data: out }, paper: { width: W, height: H, data: sheet } };
}

/** Pixels whose whole k×k window is set (erosion). */
function erode(mask: Uint8Array, W: number, H: number, k: number): Uint8Array {
  const out = new Uint8Array(W * H);
  windowCounts(mask, W, H, k, (p, n, area) => (out[p] = n === area ? 1 : 0));
  return out;
}

/** Pixels with any set pixel in their k×k window (dilation). */
function dilate(mask: Uint8Array, W: number, H: number, k: number): Uint8Array {
  const out = new Uint8Array(W * H);
  windowCounts(mask, W, H, k, (p, n) => (out[p] = n > 0 ? 1 : 0));
  return out;
}

/** A straight line v = a + b·t (t is x for the top and bottom sides, y for the left and right). */
interface Line {
  a: number;
  b: number;
}

/**
 * The line through most of the points: least squares, then again without the points far off it
 * (a tick or a signature crossing the frame, a stamp on a corner), twice.
 */
function fitLine(pts: Pt[]): Line | undefined {
  let keep = pts;
  let line: Line | undefined;
  for (let round = 0; round < 3; round++) {
    if (keep.length < 10) return line;
    let st = 0,
      sv = 0,
      stt = 0,
      stv = 0;
    for (const [t, v] of keep) (st += t), (sv += v), (stt += t * t), (stv += t * v);
    const n = keep.length;
    const b = (n * stv - st * sv) / (n * stt - st * st);
    line = { a: (sv - b * st) / n, b };
    const off = keep.map(([t, v]) => Math.abs(v - line!.a - line!.b * t));
    const limit = Math.max(1.5, 3 * [...off].sort((x, y) => x - y)[off.length >> 1]);
    keep = keep.filter((_, i) => off[i] <= limit);
  }
  return line;
}

/** Where a side running along x (y = a + b·x) meets one running along y (x = a + b·y). */
function meet(h: Line, v: Line): Pt {
  const x = (v.a + v.b * h.a) / (1 - v.b * h.b);
  return [x, h.a + h.b * x];
}

/**
 * The four sides of a component's outline, each as the line through its outermost pixels (the
 * table's frame), over the middle 90 % of its width or height.
 */
function sides(label: Int32Array, id: number, c: Component, W: number): Line[] | undefined {
  const top: Pt[] = [],
    bottom: Pt[] = [],
    left: Pt[] = [],
    right: Pt[] = [];
  const mx = Math.round((c.x1 - c.x0) * 0.05),
    my = Math.round((c.y1 - c.y0) * 0.05);
  for (let x = c.x0 + mx; x <= c.x1 - mx; x++) {
    for (let y = c.y0; y <= c.y1; y++) if (label[y * W + x] === id) { top.push([x, y]); break; }
    for (let y = c.y1; y >= c.y0; y--) if (label[y * W + x] === id) { bottom.push([x, y]); break; }
  }
  for (let y = c.y0 + my; y <= c.y1 - my; y++) {
    for (let x = c.x0; x <= c.x1; x++) if (label[y * W + x] === id) { left.push([y, x]); break; }
    for (let x = c.x1; x >= c.x0; x--) if (label[y * W + x] === id) { right.push([y, x]); break; }
  }
  const lines = [top, right, bottom, left].map(fitLine);
  return lines.every((l) => l) ? (lines as Line[]) : undefined;
}

/**
 * The page with its table made a rectangle, when its corners are not one (a photo taken at an
 * angle); undefined otherwise. `bin` is `g` binarised, upright and deskewed. The corners are where
 * the lines fitted to the table's four sides meet, so ink crossing the frame moves none of them.
 */
export function flattenTable(g: Gray, bin: Uint8Array): Gray | undefined {
  return tableWarp(g, bin)?.(g);
}

/**
 * A frame a photo can make of a table: its corners on the outline's bounding box (at half
 * resolution) and each side at least 0.7 of the opposite one. Sides fitted to something else (the
 * table joined to a shadow at the page's edge) meet far off it.
 */
function plausible(quad: Pt[], c: Component): boolean {
  const slack = 0.05 * Math.max(c.x1 - c.x0, c.y1 - c.y0) * 2;
  if (quad.some(([x, y]) => x < 2 * c.x0 - slack || x > 2 * c.x1 + slack || y < 2 * c.y0 - slack || y > 2 * c.y1 + slack)) return false;
  const len = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  const [tl, tr, br, bl] = quad;
  const ratio = (a: number, b: number) => Math.min(a, b) / Math.max(a, b);
  return ratio(len(tl, tr), len(bl, br)) >= 0.7 && ratio(len(tl, bl), len(tr, br)) >= 0.7;
}

/** The warp that makes the table a rectangle (see flattenTable), to apply to `g` and to images in register with it. */
export function tableWarp(g: Gray, bin: Uint8Array): ((image: Gray) => Gray) | undefined {
  // Found at half the resolution (a quarter of the work), then scaled back.
  const W = g.width >> 1,
    H = g.height >> 1;
  const half = new Uint8Array(W * H);
  const grey = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = 2 * y * g.width + 2 * x;
      half[y * W + x] = bin[i] | bin[i + 1] | bin[i + g.width] | bin[i + g.width + 1];
      grey[y * W + x] = Math.min(g.data[i], g.data[i + 1], g.data[i + g.width], g.data[i + g.width + 1]);
    }
  // Only ink darker than the paper around it: the grain of a shadow across the page (uneven light)
  // passes a threshold for the whole page and would join the table to the page's edge.
  const dark = darkerThanAround({ width: W, height: H, data: grey }, 0.75);
  for (let p = 0; p < W * H; p++) half[p] &= dark[p];
  const label = new Int32Array(W * H);
  const comps = components(half, W, H, label);
  let id = 0;
  comps.forEach((c, i) => {
    // large on the page whichever way the table stands (a form turned on its side, a landscape photo)
    const w = c.x1 - c.x0,
      h = c.y1 - c.y0;
    if (!c.border && Math.max(w, h) > Math.max(W, H) * 0.4 && Math.min(w, h) > Math.min(W, H) * 0.2 && (!id || c.count > comps[id - 1].count)) id = i + 1;
  });
  if (!id) return undefined;
  const quad = frame(label, id, comps[id - 1], W);
  return quad && rectangleWarp(quad, 'table');
}

/** The corners (tl, tr, br, bl, at full resolution) of a component found at half resolution, where its fitted sides meet; undefined when they make no plausible frame. */
function frame(label: Int32Array, id: number, c: Component, W: number): Pt[] | undefined {
  const s = sides(label, id, c, W);
  if (!s) return undefined;
  const [top, right, bottom, left] = s;
  const quad = [meet(top, left), meet(top, right), meet(bottom, right), meet(bottom, left)].map(([x, y]): Pt => [2 * x + 0.5, 2 * y + 0.5]);
  return plausible(quad, c) ? quad : undefined;
}

/**
 * With no table to go by (a form set as lines of text), the sheet's own outline against the desk
 * (`paper`: 255 on the sheet, as clearBackground gives it, turned and deskewed with the page): the
 * warp that makes the sheet a rectangle, or undefined when it is one or its outline is not clear (a
 * corner out of the picture).
 */
export function sheetWarp(paper: Gray): ((image: Gray) => Gray) | undefined {
  const W = paper.width >> 1,
    H = paper.height >> 1;
  const half = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) half[y * W + x] = paper.data[2 * y * paper.width + 2 * x] > 127 ? 1 : 0;
  const label = new Int32Array(W * H);
  const comps = components(half, W, H, label);
  let id = 0;
  comps.forEach((c, i) => (!id || c.count > comps[id - 1].count) && (id = i + 1));
  const c = comps[id - 1];
  // the whole sheet in the picture, and most of it
  if (!c || c.border || c.count < W * H * 0.3) return undefined;
  const quad = frame(label, id, c, W);
  return quad && rectangleWarp(quad, 'sheet');
}

/** The warp taking a quadrilateral (tl, tr, br, bl) to a rectangle at its top-left corner, or undefined when it is one already. */
function rectangleWarp(quad: Pt[], what: string): ((image: Gray) => Gray) | undefined {
  const [tl, tr, br, bl] = quad;
  // the rectangle: its top-left at the table's, as wide and high as the table's longer sides
  const width = Math.max(tr[0] - tl[0], br[0] - bl[0]),
    height = Math.max(bl[1] - tl[1], br[1] - tr[1]);
  const rect: Pt[] = [tl, [tl[0] + width, tl[1]], [tl[0] + width, tl[1] + height], [tl[0], tl[1] + height]];
  const off = Math.max(...quad.map((p, k) => Math.hypot(p[0] - rect[k][0], p[1] - rect[k][1])));
  if (process.env.BANGBAN_OCR_TIMING) process.stderr.write(`${what} corners ${JSON.stringify(quad.map((p) => p.map(Math.round)))} off ${(off / width).toFixed(4)}\n`);
  if (off < width * OFF_RECTANGLE) return undefined;
  const back = homography(rect, quad);
  return (image: Gray) => warp(image, back);
}
