/**
 * Cells and lines from positioned text and ruled lines: a text item belongs to the box formed by the
 * nearest ruled lines around it; the items of a box read top to bottom, left to right.
 */
import type { PageData, TextItem } from './pdf.js';
import type { Segment } from './rules.js';

export interface Rect {
  x0: number;
  x1: number;
  /** bottom */
  y0: number;
  /** top */
  y1: number;
}

export interface Box extends Rect {
  /** Every side is a ruled line (not the page edge): a table cell. */
  closed: boolean;
  key: string;
}

export interface Page {
  index: number;
  data: PageData;
  h: Segment[];
  v: Segment[];
  /** Typical text size on the page. */
  size: number;
}

/** Ruled lines shorter than this are the drawn check boxes, not cell borders. */
export function preparePage(data: PageData): Page {
  const sizes = data.items.filter((i) => i.str.trim()).map((i) => i.size).sort((a, b) => a - b);
  const size = sizes.length ? sizes[Math.floor(sizes.length / 2)] : 10;
  const min = Math.max(8, size * 1.2);
  return {
    index: data.index,
    data,
    size,
    h: data.rules.h.filter((s) => s.x2 - s.x1 >= min),
    v: data.rules.v.filter((s) => s.y2 - s.y1 >= min),
  };
}

const TOL = 1.2;

export function boxAt(page: Page, x: number, y: number): Box {
  let left = -Infinity;
  let right = Infinity;
  let bottom = -Infinity;
  let top = Infinity;
  for (const s of page.v) {
    if (y < s.y1 - TOL || y > s.y2 + TOL) continue;
    if (s.x1 < x && s.x1 > left) left = s.x1;
    if (s.x1 > x && s.x1 < right) right = s.x1;
  }
  for (const s of page.h) {
    if (x < s.x1 - TOL || x > s.x2 + TOL) continue;
    if (s.y1 < y && s.y1 > bottom) bottom = s.y1;
    if (s.y1 > y && s.y1 < top) top = s.y1;
  }
  const closed = [left, right, bottom, top].every(Number.isFinite);
  const r = (n: number) => (Number.isFinite(n) ? Math.round(n * 2) / 2 : n);
  return { x0: left, x1: right, y0: bottom, y1: top, closed, key: `${r(left)},${r(right)},${r(bottom)},${r(top)}` };
}

export const center = (i: TextItem): [number, number] => [i.x + i.w / 2, i.y + i.size * 0.3];

export function inside(i: TextItem, r: Rect): boolean {
  const [x, y] = center(i);
  return x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1;
}

/** One character with its horizontal extent (items are split evenly). */
export interface Glyph {
  ch: string;
  x: number;
  w: number;
  /** The first character of its text item: text read apart (OCR's lines) may overlap with no gap. */
  opens?: true;
}

export interface Line {
  glyphs: Glyph[];
  top: number;
  bottom: number;
  size: number;
}

/** Items grouped into lines (by vertical overlap), top to bottom, each left to right. */
export function lines(items: TextItem[]): Line[] {
  const out: (Line & { items: TextItem[] })[] = [];
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  for (const it of sorted) {
    const top = it.y + it.size * 0.8;
    const bottom = it.y - it.size * 0.2;
    let best: (typeof out)[number] | undefined;
    for (const l of out) {
      const overlap = Math.min(top, l.top) - Math.max(bottom, l.bottom);
      if (overlap > 0.5 * Math.min(top - bottom, l.top - l.bottom)) {
        best = l;
        break;
      }
    }
    if (best) {
      best.items.push(it);
      best.size = Math.max(best.size, it.size);
    } else out.push({ items: [it], top, bottom, size: it.size, glyphs: [] });
  }
  out.sort((a, b) => b.top - a.top);
  for (const l of out) {
    l.items.sort((a, b) => a.x - b.x);
    for (const it of l.items) {
      const chars = [...it.str];
      const w = chars.length ? it.w / chars.length : 0;
      chars.forEach((ch, k) => l.glyphs.push(k ? { ch, x: it.x + k * w, w } : { ch, x: it.x, w, opens: true }));
    }
  }
  return out;
}

const SPACE = /[ \t\u00a0]/;

/**
 * The usual gap between neighbouring characters where Chinese is involved: 0 for plain text, the
 * stretch of a justified line or the tracking of a spaced one. Letters inside a Latin word are never
 * spread, so they do not count.
 */
function usualGap(l: Line): number {
  const gaps: number[] = [];
  let prev: Glyph | undefined;
  for (const g of l.glyphs) {
    if (SPACE.test(g.ch)) continue;
    if (prev && (CJK.test(prev.ch) || CJK.test(g.ch))) gaps.push(g.x - (prev.x + prev.w));
    prev = g;
  }
  if (gaps.length < 3) return 0;
  gaps.sort((x, y) => x - y);
  // The lower median: on a short line two of four gaps may be spaces (仲景路 1088 号), and the upper
  // median would take a space for the usual gap and lose both.
  return gaps[(gaps.length - 1) >> 1];
}

/**
 * The text of one line. Spaces come from gaps, not from space characters (pdf.js also reports the
 * stretch of a justified line as spaces): a gap wider than the line's usual one is a space.
 */
export function lineText(l: Line): string {
  return textOf(l);
}

/** A line's text (lineText) with the glyph of each of its UTF-16 units: undefined for a space put back. */
export function placedLineText(l: Line): { text: string; at: (Glyph | undefined)[] } {
  const at: (Glyph | undefined)[] = [];
  return { text: textOf(l, at), at };
}

function textOf(l: Line, at?: (Glyph | undefined)[]): string {
  let s = '';
  let prev: Glyph | undefined;
  const usual = usualGap(l);
  for (const g of l.glyphs) {
    if (SPACE.test(g.ch)) continue;
    if (prev && g.x - (prev.x + prev.w) > usual + l.size * 0.2) {
      s += ' ';
      at?.push(undefined);
    }
    s += g.ch;
    // a glyph of several UTF-16 units: each unit is at the glyph
    if (at) for (let k = 0; k < g.ch.length; k++) at.push(g);
    prev = g;
  }
  return s;
}

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2018-\u201d]/u;
const CLOSING = /[，。、）》」』】；：！？”’,.;:!?)\]]/;

/**
 * Lines of a cell joined into one value. Wrapped lines join directly; a space is put back where the
 * line must have broken at one: between two Latin words (unless one word filled the whole line), or
 * where the next line's first word would have fitted on the line before (so the break was not
 * forced there). A space between Chinese and Latin text exactly at a line end cannot be seen and is
 * not restored.
 */
export function joinLines(ls: Line[], right?: number): string {
  let out = '';
  let prev: Line | undefined;
  for (const l of ls) {
    const text = lineText(l).trim();
    if (!text) continue;
    if (prev && out) out += joinSeparator(prev, out, l, text, right);
    out += text;
    prev = l;
  }
  return out;
}

/** What goes between two wrapped lines: nothing, or the space the line broke at. */
export function joinSeparator(prev: Line, prevText: string, next: Line, nextText: string, right?: number): '' | ' ' {
  const last = prevText[prevText.length - 1];
  const first = nextText[0];
  if (!last || !first) return '';
  // a line breaks inside a word only when the word alone is wider than the line
  if (LATIN.test(last) && LATIN.test(first)) {
    if (!wordFillsLine(prev)) return ' ';
    // a lone word on its line was split only if the line had no room left for the next letter
    if (right === undefined) return '';
    const ink = (l: Line) => l.glyphs.filter((g) => !SPACE.test(g.ch));
    const end = ink(prev).at(-1);
    const next1 = ink(next)[0];
    return end && next1 && right - (end.x + end.w) >= next1.w - 0.05 ? ' ' : '';
  }
  if (right !== undefined && (!CJK.test(last) || !CJK.test(first)) && fits(prev, next, right)) return ' ';
  // a writer who spaces Han from Latin and digits inside the lines did so at the break too, where
  // the paper shows no space (仲景路 | 1088 号)
  if (HAN.test(last) !== HAN.test(first) && (LATIN.test(last) || LATIN.test(first)) && (SPACED_SCRIPTS.test(prevText) || SPACED_SCRIPTS.test(nextText))) return ' ';
  return '';
}

const HAN = /\p{Script=Han}/u;
const SPACED_SCRIPTS = /\p{Script=Han} [A-Za-z0-9]|[A-Za-z0-9] \p{Script=Han}/u;

const LATIN = /[A-Za-z0-9]/;

/** The line is one unbroken Latin run from its start (a word too long for the line was split). */
function wordFillsLine(l: Line): boolean {
  const ink = l.glyphs.filter((g) => !SPACE.test(g.ch));
  if (!ink.length) return false;
  for (let i = ink.length - 1; i > 0; i--) {
    if (!/[A-Za-z0-9\-_.@/]/.test(ink[i - 1].ch)) return false;
    if (ink[i].x - (ink[i - 1].x + ink[i - 1].w) > l.size * 0.2) return false;
  }
  return true;
}

function fits(prev: Line, next: Line, right: number): boolean {
  const lastGlyph = [...prev.glyphs].reverse().find((g) => !SPACE.test(g.ch));
  if (!lastGlyph) return false;
  const remaining = right - (lastGlyph.x + lastGlyph.w);
  const start = next.glyphs.findIndex((g) => !SPACE.test(g.ch));
  if (start < 0) return false;
  const gs = next.glyphs.slice(start);
  // the first unit the line breaker could not split, with the spaces that follow it (pdfmake
  // measures a word together with its trailing space)
  let k = 1;
  if (/[A-Za-z0-9]/.test(gs[0].ch)) while (k < gs.length && /[A-Za-z0-9\-_.@/]/.test(gs[k].ch)) k++;
  else while (k < gs.length && CLOSING.test(gs[k].ch)) k++;
  const first = gs[0].x;
  let end = gs[k - 1].x + gs[k - 1].w;
  const after = gs[k];
  if (after && (SPACE.test(after.ch) || after.x - end > next.size * 0.2)) {
    const nextInk = gs.slice(k).find((g) => !SPACE.test(g.ch));
    end = nextInk ? nextInk.x : end;
  }
  const w = end - first;
  // measured to a hundredth of a point: the line breaker decided on the same widths
  return remaining >= w + 0.02;
}
