/**
 * Lines set closer than the detector can part at the page's scale: a long value shrunk into a
 * fillable field's box (three lines of 7-point text in a cell), where the detector's boxes of
 * neighbouring lines run into each other and pieces of the middle line get boxes of their own.
 * Such a tangle is detected again in a crop of its region at twice the page's scale.
 */
import { crop, resize, type Gray } from './image.js';
import { detect, type Box } from './engine.js';

/** Two boxes are tangled when they share columns and over a quarter of the lower one's height. */
function tangled(a: Box, b: Box): boolean {
  const ox = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const oy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return ox > Math.min(a[2] - a[0], b[2] - b[0]) * 0.2 && oy > Math.min(a[3] - a[1], b[3] - b[1]) * 0.25;
}

/** Groups of boxes that tangle with each other (two or more each), by index. */
export function tangles(boxes: Box[]): number[][] {
  const group = boxes.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : (group[i] = root(group[i])));
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (tangled(boxes[i], boxes[j])) group[root(i)] = root(j);
  const out = new Map<number, number[]>();
  boxes.forEach((_, i) => out.set(root(i), [...(out.get(root(i)) ?? []), i]));
  return [...out.values()].filter((g) => g.length > 1);
}

/**
 * `boxes` (detected on `g` scaled by `scale`) with each tangle replaced by what detection finds in
 * its region at twice that scale, when that has fewer tangled boxes.
 */
export async function untangle(g: Gray, boxes: Box[], scale: number): Promise<Box[]> {
  const groups = tangles(boxes);
  if (!groups.length) return boxes;
  const drop = new Set<number>();
  const added: Box[] = [];
  for (const idx of groups) {
    const m = 4;
    const x0 = Math.max(0, Math.floor(Math.min(...idx.map((i) => boxes[i][0])) - m)),
      y0 = Math.max(0, Math.floor(Math.min(...idx.map((i) => boxes[i][1])) - m)),
      x1 = Math.min(g.width, Math.ceil(Math.max(...idx.map((i) => boxes[i][2])) + m)),
      y1 = Math.min(g.height, Math.ceil(Math.max(...idx.map((i) => boxes[i][3])) + m));
    // a tangle as large as a good part of the page is no small print (a skewed photo's lines)
    if ((x1 - x0) * (y1 - y0) > g.width * g.height * 0.05) continue;
    const f = Math.min(3, 2 * scale);
    const region = resize(crop(g, x0, y0, x1, y1), Math.round((x1 - x0) * f), Math.round((y1 - y0) * f));
    const found = joinRow((await detect(region, Infinity)).map((d): Box => [x0 + d.box[0] / f, y0 + d.box[1] / f, x0 + d.box[2] / f, y0 + d.box[3] / f]));
    const left = tangles(found).reduce((n, t) => n + t.length, 0);
    if (!found.length || left >= idx.length) continue;
    idx.forEach((i) => drop.add(i));
    added.push(...found);
  }
  return [...boxes.filter((_, i) => !drop.has(i)), ...added];
}

/**
 * Pieces of one line joined: closer up the detector parts a line at the wider gaps between its
 * characters (河 / 南省南阳市…). Pieces sharing most of their rows, less than a line height apart.
 */
export function joinRow(boxes: Box[]): Box[] {
  const out = [...boxes].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < out.length; i++)
    for (let j = i + 1; j < out.length; j++) {
      const a = out[i],
        b = out[j];
      const h = Math.min(a[3] - a[1], b[3] - b[1]);
      const oy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
      if (oy < h * 0.6 || b[0] - a[2] > h) continue;
      out[i] = [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
      out.splice(j, 1);
      j = i;
    }
  return out;
}
