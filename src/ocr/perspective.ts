/**
 * Photos taken at an angle: the desk around the page is cleared, and the form's table — its ruled
 * grid is the page's largest connected ink — is mapped back to a rectangle by the projective
 * transform (homography) that takes its four corners there. Scans, whose table is already a
 * rectangle, are left as they are.
 */
import { bilinear, type Gray } from './image.js';

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
  /** Extreme points: least x+y, greatest x−y, greatest x+y, greatest y−x (corners of a grid). */
  corners: Pt[];
}

/** Connected ink (4-neighbours) with size, bounds and corner points; `label` gets each pixel's component number + 1. */
function components(bin: Uint8Array, W: number, H: number, label: Int32Array): Component[] {
  const out: Component[] = [];
  const stack = new Int32Array(W * H);
  for (let start = 0; start < W * H; start++) {
    if (!bin[start] || label[start]) continue;
    const id = out.length + 1;
    const c: Component = { seed: start, count: 0, x0: W, y0: H, x1: 0, y1: 0, border: false, edge: 0, corners: [] };
    let tl = Infinity,
      tr = -Infinity,
      br = -Infinity,
      bl = -Infinity;
    const best: Pt[] = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
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
      if (x + y < tl) (tl = x + y), (best[0] = [x, y]);
      if (x - y > tr) (tr = x - y), (best[1] = [x, y]);
      if (x + y > br) (br = x + y), (best[2] = [x, y]);
      if (y - x > bl) (bl = y - x), (best[3] = [x, y]);
      if (x > 0 && bin[p - 1] && !label[p - 1]) (label[p - 1] = id), (stack[n++] = p - 1);
      if (x < W - 1 && bin[p + 1] && !label[p + 1]) (label[p + 1] = id), (stack[n++] = p + 1);
      if (y > 0 && bin[p - W] && !label[p - W]) (label[p - W] = id), (stack[n++] = p - W);
      if (y < H - 1 && bin[p + W] && !label[p + W]) (label[p + W] = id), (stack[n++] = p + W);
    }
    c.border = c.x0 === 0 || c.y0 === 0 || c.x1 === W - 1 || c.y1 === H - 1;
    c.corners = best;
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
export function clearBackground(g: Gray): Gray | undefined {
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
  const label = new Int32Array(W * H);
  const ids = new Set<number>();
  components(dark, W, H, label).forEach((c, i) => isBackground(c, W, H) && ids.add(i + 1));
  if (!ids.size) return undefined;
  const out = new Uint8Array(data);
  for (let p = 0; p < W * H; p++) if (ids.has(label[p])) out[p] = 255;
  return { width: W, height: H, data: out };
}

/**
 * The page with its table made a rectangle, when its corners are not one (a photo taken at an
 * angle); undefined otherwise. `bin` is `g` binarised, upright and deskewed.
 */
export function flattenTable(g: Gray, bin: Uint8Array): Gray | undefined {
  // Found at half the resolution (a quarter of the work; corners to 2 px), then scaled back.
  const W = g.width >> 1,
    H = g.height >> 1;
  const half = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = 2 * y * g.width + 2 * x;
      half[y * W + x] = bin[i] | bin[i + 1] | bin[i + g.width] | bin[i + g.width + 1];
    }
  const table = components(half, W, H, new Int32Array(W * H))
    .filter((c) => !c.border && c.x1 - c.x0 > W * 0.4 && c.y1 - c.y0 > H * 0.2)
    .sort((a, b) => b.count - a.count)[0];
  if (!table) return undefined;
  const [tl, tr, br, bl] = table.corners.map(([x, y]): Pt => [2 * x + 0.5, 2 * y + 0.5]);
  // the rectangle: its top-left at the table's, as wide and high as the table's longer sides
  const width = Math.max(tr[0] - tl[0], br[0] - bl[0]),
    height = Math.max(bl[1] - tl[1], br[1] - tr[1]);
  const rect: Pt[] = [tl, [tl[0] + width, tl[1]], [tl[0] + width, tl[1] + height], [tl[0], tl[1] + height]];
  const quad = [tl, tr, br, bl];
  const off = Math.max(...quad.map((p, k) => Math.hypot(p[0] - rect[k][0], p[1] - rect[k][1])));
  if (process.env.BANGBAN_OCR_TIMING) process.stderr.write(`table corners ${JSON.stringify(quad)} off ${(off / width).toFixed(4)}\n`);
  return off < width * OFF_RECTANGLE ? undefined : warp(g, homography(rect, quad));
}
