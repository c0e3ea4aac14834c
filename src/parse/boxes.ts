/**
 * Check boxes, whatever the notation: glyphs (☐☑☒■□), a tick before or after the option (√ ✓),
 * brackets ([√] (√)), a tick beside a box (√□, □√), and squares drawn as paths where the text layer
 * has no glyph at all (empty, filled, ticked, crossed). Drawn squares become ☑/☐ text at their place,
 * so every notation is read by one rule.
 */
import { matchKey } from '../core/normalizeText.js';
import type { PageData, TextItem } from './pdf.js';
import type { Ink } from './rules.js';

/** A box, empty or not: glyphs (Word symbol-font boxes, Wingdings ¨ þ ý and Wingdings 2 £ R S T, come as private-use characters), or brackets around at most a mark. */
const BOX = /[☐□▢◻○〇◯☑☒■▣◼◾●◉⊠⊗\uF0A8\uF0FE\uF0FD\uF0A3\uF052\uF053\uF054]|\([^()]{0,2}\)/;
/** Ticked: a ticked, crossed or filled box, or a tick. */
const ON = /[☑☒■▣◼◾●◉⊠⊗✅√✓✔✗✘×xX\uF0FE\uF0FD\uF052\uF053\uF054]/;

const has = (s: string, re: RegExp) => re.test(s);
const boxIn = (s: string) => BOX.test(s);

/**
 * The options ticked in a check-box cell. `text` is the cell's text with its lines separated by
 * '\n' (a mark at a line's end belongs to that line's option).
 */
export function ticked(text: string, options: string[]): string[] {
  // match keys of the text, keeping line breaks and spaces as one separator
  const flat = text
    .split(/([\s\u3000]+)/)
    .map((part) => (/^[\s\u3000]+$/.test(part) ? ' ' : matchKey(part)))
    .join('');
  const squashed = flat.replace(/ /g, '');
  const full = options.map(matchKey);
  // an option whose text wraps inside a narrow column is interrupted by its neighbours' text: then
  // its longest beginning that no other option shares stands for it
  const keys = full.map((k, i) => {
    if (squashed.includes(k)) return k;
    for (let n = k.length - 1; n >= 4; n--) {
      const head = k.slice(0, n);
      if (squashed.includes(head) && !full.some((o, j) => j !== i && o.startsWith(head))) return head;
    }
    return k;
  });
  // positions in `flat` (spaces allowed inside an option's text)
  const found = keys.map((k) => find(flat, k));
  const order = found.map((f, i) => ({ ...f, i })).filter((f) => f.at >= 0).sort((a, b) => a.at - b.at);
  if (!order.length) return [];
  // the text before, between and after the options
  const gaps: string[] = [];
  let from = 0;
  for (const o of order) {
    gaps.push(flat.slice(from, o.at));
    from = o.end;
  }
  gaps.push(flat.slice(from));
  const n = order.length;
  // which side of its option a notation puts the mark: boxes first (☐A ☐B) or after (A□ B□)
  let side: 'before' | 'after' | undefined;
  if (boxIn(gaps[0])) side = 'before';
  else if (boxIn(gaps[n])) side = 'after';
  else if (has(gaps[0], ON)) side = 'before';
  else if (has(gaps[n], ON)) side = 'after';
  // a box between every two options: one box an option, the one at an end lost (a scan's empty box
  // read as 口), which leaves something on that end only
  else if (n > 2 && gaps.slice(1, n).every((g) => boxIn(g)) && !gaps[0].trim() !== !gaps[n].trim()) side = gaps[0].trim() ? 'before' : 'after';
  const out = new Set<number>();
  if (side) {
    order.forEach((o, k) => {
      if (has(side === 'before' ? gaps[k] : gaps[k + 1], ON)) out.add(o.i);
    });
  } else {
    // marks only between options, no boxes: a mark goes with the option it touches (√A B√ C: the
    // first to A, the second to B); touching both or neither, with the next
    for (let k = 1; k < n; k++) {
      const g = gaps[k];
      const m = new RegExp(ON.source).exec(g);
      if (!m) continue;
      const touchesPrev = !/\s/.test(g.slice(0, m.index));
      const touchesNext = !/\s/.test(g.slice(m.index + 1));
      out.add(order[touchesPrev && !touchesNext ? k - 1 : k].i);
    }
  }
  return options.filter((_, i) => out.has(i));
}

/** `key` in `flat`, spaces allowed between its characters: start and end positions, or at -1. */
function find(flat: string, key: string): { at: number; end: number } {
  const re = new RegExp([...key].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' ?'));
  const m = re.exec(flat);
  return m ? { at: m.index, end: m.index + m[0].length } : { at: -1, end: -1 };
}

/** Drawn boxes are 4–16 points, roughly square. */
const isBoxSize = (r: Ink) => {
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  return w >= 4 && w <= 16 && h >= 4 && h <= 16 && w / h > 0.7 && w / h < 1.4;
};

/**
 * Check boxes drawn as paths, as ☑/☐ text items at their place (skipped where the text layer has a
 * glyph there already): an outlined square (or circle) is ticked when other ink lies inside it; a
 * filled square alone is a filled box.
 */
export function drawnBoxes(page: PageData): TextItem[] {
  const ink = page.rules.ink ?? [];
  if (!ink.length) return [];
  const outlines = [...ink.filter((r) => r.outline && isBoxSize(r)), ...squaresFromSegments(page)];
  const boxes: { r: Ink; on: boolean }[] = [];
  const inside = (a: Ink, b: Ink) => {
    const cx = (a.x0 + a.x1) / 2;
    const cy = (a.y0 + a.y1) / 2;
    const m = (b.x1 - b.x0) * 0.25;
    return cx > b.x0 - m && cx < b.x1 + m && cy > b.y0 - m && cy < b.y1 + m && a.x1 - a.x0 <= (b.x1 - b.x0) * 1.6;
  };
  const same = (a: Ink, b: Ink) => Math.abs(a.x0 - b.x0) < 1 && Math.abs(a.x1 - b.x1) < 1 && Math.abs(a.y0 - b.y0) < 1 && Math.abs(a.y1 - b.y1) < 1;
  for (const o of outlines) {
    if (boxes.some((b) => same(b.r, o))) continue;
    const on = ink.some((m) => !same(m, o) && !(m.outline && isBoxSize(m)) && inside(m, o) && !isEdgeOf(m, o));
    boxes.push({ r: o, on });
  }
  // a filled square of box size that no outline holds: a filled box (■ drawn)
  for (const f of ink) if (!f.outline && isBoxSize(f) && !boxes.some((b) => inside(f, b.r))) boxes.push({ r: f, on: true });
  const glyphAt = (r: Ink) => page.items.some((it) => it.str.trim() && it.x < r.x1 && it.x + it.w > r.x0 && it.y < r.y1 && it.y + it.size * 0.7 > r.y0);
  return boxes
    .filter((b) => !glyphAt(b.r))
    .map(({ r, on }) => {
      const h = r.y1 - r.y0;
      return { str: on ? '☑' : '☐', x: r.x0, y: r.y0 + h * 0.12, w: r.x1 - r.x0, size: h * 1.05 };
    });
}

/** A side of the box drawn as its own line (boxes drawn as four strokes). */
function isEdgeOf(m: Ink, o: Ink): boolean {
  const thin = (a: number, b: number) => Math.abs(a - b) < 0.8;
  const w = m.x1 - m.x0;
  const h = m.y1 - m.y0;
  return (thin(m.y0, m.y1) && (thin(m.y0, o.y0) || thin(m.y0, o.y1)) && w > (o.x1 - o.x0) * 0.7) || (thin(m.x0, m.x1) && (thin(m.x0, o.x0) || thin(m.x0, o.x1)) && h > (o.y1 - o.y0) * 0.7);
}

/** Squares drawn as four separate short strokes. */
function squaresFromSegments(page: PageData): Ink[] {
  const short = (len: number) => len >= 4 && len <= 16;
  const hs = page.rules.h.filter((s) => short(s.x2 - s.x1));
  const vs = page.rules.v.filter((s) => short(s.y2 - s.y1));
  const out: Ink[] = [];
  const near = (a: number, b: number) => Math.abs(a - b) < 0.8;
  for (const b of hs)
    for (const t of hs) {
      if (t.y1 <= b.y1 || !near(t.x1, b.x1) || !near(t.x2, b.x2)) continue;
      const r: Ink = { x0: b.x1, x1: b.x2, y0: b.y1, y1: t.y1, outline: true };
      if (!isBoxSize(r)) continue;
      const side = (x: number) => vs.some((v) => near(v.x1, x) && near(v.y1, r.y0) && near(v.y2, r.y1));
      if (side(r.x0) && side(r.x1)) out.push(r);
    }
  return out;
}
