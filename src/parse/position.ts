/**
 * Where on its page a value was read: the reader's rectangles (PDF points, y up, in the frame the
 * reader turned the page into) as fractions of the upright page, origin top-left (docs/parse.md,
 * "Where a value was read").
 */
import type { Rect } from './geometry.js';

/** A field's region on its page: fractions (0–1) of the upright page's width and height, from its top-left corner. */
export interface FieldBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What a page needs for it: its rectangle in the reader's coordinates (default: 0, 0 to its width and height). */
export interface Framed {
  width: number;
  height: number;
  frame?: Rect;
}

/** The smallest rectangle holding all of them; undefined for none. */
export function union(rects: Rect[]): Rect | undefined {
  const ok = rects.filter((r) => [r.x0, r.x1, r.y0, r.y1].every(Number.isFinite));
  if (!ok.length) return undefined;
  return { x0: Math.min(...ok.map((r) => r.x0)), x1: Math.max(...ok.map((r) => r.x1)), y0: Math.min(...ok.map((r) => r.y0)), y1: Math.max(...ok.map((r) => r.y1)) };
}

/** Text items' extent: from the baseline start, a fifth of their size below it to four fifths above. */
export function textRect(items: { x: number; y: number; w: number; size: number }[]): Rect | undefined {
  return union(items.map((i) => ({ x0: i.x, x1: i.x + Math.max(0, i.w), y0: i.y - i.size * 0.2, y1: i.y + i.size * 0.8 })));
}

/** A page's rectangle in the coordinates of its items. */
export const frameOf = (page: Framed): Rect => page.frame ?? { x0: 0, y0: 0, x1: page.width, y1: page.height };

const round = (n: number) => Math.round(n * 10000) / 10000;
const clamp = (n: number) => Math.min(1, Math.max(0, n));

/** A rectangle of the reader's as fractions of its upright page; undefined when it lies off the page. */
export function toFieldBox(page: Framed, r: Rect | undefined): FieldBox | undefined {
  if (!r) return undefined;
  const f = frameOf(page);
  const W = f.x1 - f.x0;
  const H = f.y1 - f.y0;
  if (!(W > 0 && H > 0)) return undefined;
  const x0 = clamp((r.x0 - f.x0) / W);
  const x1 = clamp((r.x1 - f.x0) / W);
  const top = clamp((f.y1 - r.y1) / H);
  const bottom = clamp((f.y1 - r.y0) / H);
  if (x1 <= x0 || bottom <= top) return undefined;
  return { x: round(x0), y: round(top), w: round(x1 - x0), h: round(bottom - top) };
}

/**
 * A rectangle turned with its page by `turns` quarter turns clockwise about the origin (y up), as
 * the reader turns a page whose text runs up, down or upside down.
 */
export function turnRect(r: Rect, turns: number): Rect {
  const a = turnPoint([r.x0, r.y0], turns);
  const b = turnPoint([r.x1, r.y1], turns);
  return { x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]), y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]) };
}

/** A point turned by `turns` quarter turns clockwise about the origin (y up). */
export function turnPoint([x, y]: [number, number], turns: number): [number, number] {
  return turns === 1 ? [y, -x] : turns === 2 ? [-x, -y] : turns === 3 ? [-y, x] : [x, y];
}
