/**
 * Reading a kind's values off its pages, driven by its template (labels, the value cells they
 * precede, the fixed text around paragraph fields). Works for any producer that prints the table
 * with ruled lines: labels are found as whole cells (however they wrap), the value is the cell to the
 * right of its label.
 */
import { boxAt, center, inside, joinLines, joinSeparator, lines, lineText, placedLineText, preparePage, type Box, type Line, type Page, type Rect } from './geometry.js';
import type { PageData, TextItem } from './pdf.js';
import { distance as levenshtein } from 'fastest-levenshtein';
import { foldText, spellingsOf } from '../core/normalizeText.js';
import { drawnBoxes, ticked } from './boxes.js';
import { textRect, toFieldBox, union, type FieldBox } from './position.js';

export { ticked } from './boxes.js';
import { matchKey, type EachTable, type LabelSlot, type Template, type ValueSlot } from './template.js';

export interface Reading {
  /** Text, or the ticked options of a checkbox list. */
  raw: string | string[];
  confidence: number;
  page: number;
  /** Where on the page it was read (the value's cell, else its text): see FieldBox. */
  box?: FieldBox;
}

export interface ReadResult {
  values: Map<string, Reading>;
  /** Share of the kind's labels and fixed text found on the pages (0–1). */
  score: number;
  labelsFound: number;
  labelsTotal: number;
}

interface Cell {
  box: Box;
  page: Page;
  items: TextItem[];
  key: string;
}

export interface PreparedPages {
  pages: Page[];
  cells: Cell[];
  /** Items outside table cells, per page. */
  flow: { page: Page; items: TextItem[] }[];
}

/** Group each page's text into ruled cells once; every kind's template reads the same grouping. */
export function preparePages(data: PageData[]): PreparedPages {
  // every path (text layer, OCR) is folded here, before anything is matched; in place, so callers
  // that keep data beside their items (OCR confidences) still find them
  for (const d of data) {
    for (const it of d.items) it.str = foldText(it.str);
    d.items.push(...drawnBoxes(d));
  }
  const pages = data.map(preparePage);
  const cells: Cell[] = [];
  const flow: PreparedPages['flow'] = [];
  for (const page of pages) {
    const byKey = new Map<string, Cell>();
    const loose: TextItem[] = [];
    for (const it of page.data.items) {
      if (!it.str.trim()) continue;
      const [x, y] = center(it);
      const box = boxAt(page, x, y);
      if (!box.closed) {
        loose.push(it);
        continue;
      }
      let c = byKey.get(box.key);
      if (!c) {
        c = { box, page, items: [], key: '' };
        byKey.set(box.key, c);
        cells.push(c);
      }
      c.items.push(it);
    }
    for (const c of byKey.values()) c.key = matchKey(joinLines(lines(c.items)));
    flow.push({ page, items: loose });
  }
  return { pages, cells, flow };
}

/** A label without its bracketed notes, required-field stars and colons: 申请单位名称(盖章)： → 申请单位名称. */
const strip = (k: string) => k.replace(/\([^)]*\)?/g, '').replace(/[:*※]/g, '');

/**
 * How well a cell's text names a label (0 = not at all): exactly, without notes, with a note or a
 * colon added, then approximately (a character missing or misread — OCR, an odd font), never for a
 * short label that differs (经办人 ≠ 代办人).
 */
export function labelScore(cell: string, key: string): number {
  if (cell === key) return 1;
  const c = strip(cell);
  const k = strip(key);
  if (!c || !k) return 0;
  if (c === k) return 0.95;
  // 申请日期：2026年5月18日 is a label with its value in one cell, not a label cell
  if (/:./.test(cell)) return 0;
  if (k.length >= 3 && c.startsWith(k) && c.length <= k.length * 2) return 0.7;
  if (k.length >= 3 && c.includes(k) && c.length <= k.length * 2) return 0.65;
  if (k.length < 4 || Math.abs(c.length - k.length) > Math.max(1, k.length / 4)) return 0;
  const sim = 1 - levenshtein(c, k) / Math.max(c.length, k.length);
  return sim >= 0.75 ? 0.85 * sim : 0;
}

/** A cell whose first line has a gap after its first words (经办人　　陈月明): a label with its value, not a label cell. */
function holdsValue(cell: Cell): boolean {
  const first = lines(cell.items)[0];
  return !!first && / \S/.test(lineText(first).trim());
}

/** Every label of the template on a cell: the best pairs first, each label and each cell used once. */
function findLabels(t: Template, p: PreparedPages): Map<LabelSlot, { cell: Cell; confidence: number }> {
  const pairs: { l: LabelSlot; cell: Cell; score: number; len: number }[] = [];
  for (const cell of p.cells) {
    if (!cell.key) continue;
    for (const l of t.labels) {
      let best = 0;
      let len = 0;
      // the layout's own label counts a little more than a synonym scoring the same
      for (const [k, key] of [l.key, ...l.alternatives].entries()) {
        const s = labelScore(cell.key, key) * (k === 0 ? 1 : 0.98);
        if (s > best) [best, len] = [s, key.length];
      }
      if (best > 0 && (best >= 0.9 || !holdsValue(cell))) pairs.push({ l, cell, score: best, len });
    }
  }
  pairs.sort((a, b) => b.score - a.score || b.len - a.len);
  const found = new Map<LabelSlot, { cell: Cell; confidence: number }>();
  const used = new Set<Cell>();
  for (const { l, cell, score } of pairs) {
    if (found.has(l) || used.has(cell)) continue;
    found.set(l, { cell, confidence: Math.min(1, Math.round(score * 100) / 100) });
    used.add(cell);
  }
  return found;
}

/** A value cell found on the page: the cell to the right of its label. */
export interface LocatedValue {
  slot: ValueSlot;
  page: Page;
  box: Box;
  items: TextItem[];
  /** Options standing in cells of their own along the label's row: each cell's items, left to right. */
  parts?: TextItem[][];
  confidence: number;
}

export function locateValues(t: Template, p: PreparedPages): { located: LocatedValue[]; labelsFound: number; labelCells: Set<Cell> } {
  const labels = findLabels(t, p);
  const labelCells = new Set([...labels.values()].map((l) => l.cell));
  const located: LocatedValue[] = [];
  for (const slot of t.values) {
    const l = labels.get(slot.label);
    if (!l) continue;
    const { cell } = l;
    const ys = cell.items.map((i) => center(i)[1]);
    const y = ys.length ? (Math.min(...ys) + Math.max(...ys)) / 2 : (cell.box.y0 + cell.box.y1) / 2;
    // the box just right of the label (stepping over the gap of a double border), else the one below
    const right = next(cell.page, cell.box, (b) => boxAt(cell.page, b.x1 + 1.5, y), (b) => b.x1 - b.x0);
    const cx = (cell.box.x0 + cell.box.x1) / 2;
    const below = next(cell.page, cell.box, (b) => boxAt(cell.page, cx, b.y0 - 1.5), (b) => b.y1 - b.y0);
    const cellOf = (b: Box | undefined) => (b ? p.cells.find((c) => c.page === cell.page && c.box.key === b.key) : undefined);
    const usable = (b: Box | undefined): b is Box => !!b && !labelCells.has(cellOf(b)!);
    // below: only a cell spanning the same columns (labels above their values), never part of another row's structure
    const under = usable(below) && Math.abs(below.x0 - cell.box.x0) < 2 && Math.abs(below.x1 - cell.box.x1) < 2;
    const box = usable(right) ? right : under ? below : undefined;
    if (!box) continue;
    const target = cellOf(box);
    const items = target?.items ?? [];
    // options may stand in cells of their own along the label's row (☐ | 大厅综合窗口受理 | ☑ | …)
    const row = slot.checkboxes ? rowRight(cell, labelCells, p) : [];
    const parts = row.length > 1 ? row.map((c) => c.items) : undefined;
    located.push({ slot, page: cell.page, box, items: parts ? parts.flat() : items, parts, confidence: l.confidence });
  }
  return { located, labelsFound: labels.size, labelCells };
}

/**
 * Fallback where no grid holds a label: on a line of text outside cells, a label standing at the
 * line's start or after a gap, followed by a colon or a gap, governs the text up to the next label
 * on the line (申请日期：2026年5月18日    经办人：陈月明). Returns how many labels were found so.
 */
function readLoose(t: Template, groups: { page: Page; items: TextItem[] }[], done: Set<LabelSlot>, out: Map<string, Reading>): number {
  const slots = t.values.filter((v) => !done.has(v.label) && !v.fields.some((f) => out.has(f)));
  if (!slots.length) return 0;
  // A long label whose last character wrapped below it (代办申请接收时 / 间) counts without it; the
  // whole label is tried first.
  const names = (l: LabelSlot) => {
    const whole = [l.key, ...l.alternatives].map(strip).filter((k) => k.length >= 2);
    return [...whole, ...whole.filter((k) => k.length >= 6).map((k) => k.slice(0, -1))].sort((a, b) => b.length - a.length);
  };
  const allLabels = [...new Set(t.labels.flatMap(names))];
  const found = new Set<LabelSlot>();
  for (const f of groups) {
    const ls = lines(f.items).map((line) => {
      const ink = line.glyphs.filter((g) => g.ch.trim());
      return { line, ink, key: ink.map((g) => matchKey(g.ch)).join('') };
    });
    const rightEdge = Math.max(...ls.map((l) => (l.ink.length ? l.ink[l.ink.length - 1].x + l.ink[l.ink.length - 1].w : -Infinity)));
    const labelsOn = (l: (typeof ls)[number]) => {
      const { line, ink, key } = l;
      // a gap, or the start of a piece of text read apart from the one before it (a photo's
      // perspective may make two neighbouring pieces overlap)
      const gapBefore = (i: number) => i === 0 || ink[i].x - (ink[i - 1].x + ink[i - 1].w) > line.size * 0.8 || (!!ink[i].opens && ink[i].x < ink[i - 1].x + ink[i - 1].w);
      /** Where a label stands at i..end, with a colon or a gap after it: the value's first glyph. */
      // A long label read with one character wrong (审请办理… for 申请办理…) stands only before its colon.
      const standsAt = (i: number, k: string, oneWrong: boolean) => {
        if (!gapBefore(i)) return -1;
        const here = key.slice(i, i + k.length);
        const exact = here === k;
        if (!exact && !(oneWrong && k.length >= 6 && here.length === k.length && [...k].filter((c, n) => c !== here[n]).length === 1)) return -1;
        let end = i + k.length;
        // a note after the label: 申请单位名称（盖章）：
        const close = key[end] === '(' ? key.indexOf(')', end) : -1;
        if (close > 0 && close - end <= 8) end = close + 1;
        if (key[end] === ':') return end + 1;
        return exact && (end === ink.length || gapBefore(end)) ? end : -1;
      };
      const starts: { at: number; value: number; slot?: ValueSlot }[] = [];
      if (key.length !== ink.length) return starts;
      for (let i = 0; i < ink.length; i++)
        for (const oneWrong of [false, true]) {
          const hit = allLabels.map((k) => [k, standsAt(i, k, oneWrong)] as const).find(([, v]) => v >= 0);
          if (!hit) continue;
          const [k, v] = hit;
          starts.push({ at: i, value: v, slot: slots.find((s) => names(s.label).includes(k)) });
          i = v - 1;
          break;
        }
      return starts;
    };
    const starts = ls.map(labelsOn);
    ls.forEach((l, li) => {
      starts[li].forEach((s, j) => {
        if (!s.slot || found.has(s.slot.label)) return;
        const last = j + 1 === starts[li].length;
        const asItems = (x: (typeof ls)[number], from: number, to: number) => x.ink.slice(from, to).map((g) => ({ str: g.ch, x: g.x, y: x.line.bottom + x.line.size * 0.2, w: g.w, size: x.line.size }));
        const items = asItems(l, s.value, last ? l.ink.length : starts[li][j + 1].at);
        // the value ends its line, which is full: it wraps onto the lines below until a label starts one
        for (let k = li; last && k + 1 < ls.length; k++) {
          const cur = ls[k];
          const nxt = ls[k + 1];
          const end = cur.ink[cur.ink.length - 1];
          // lines of one paragraph stand at most two text heights apart, centre to centre (OCR's
          // heights vary from line to line by a tenth or more, so the larger of the two counts)
          const pitch = (cur.line.top + cur.line.bottom - nxt.line.top - nxt.line.bottom) / 2;
          if (!end || end.x + end.w < rightEdge - cur.line.size * 2 || pitch > 2 * Math.max(cur.line.size, nxt.line.size) || starts[k + 1].length) break;
          items.push(...asItems(nxt, 0, nxt.ink.length));
        }
        if (!items.length) return;
        const box = { x0: Math.min(...items.map((i) => i.x)), x1: rightEdge, y0: Math.min(...items.map((i) => i.y)), y1: l.line.top, closed: false, key: '' };
        found.add(s.slot.label);
        readValue(s.slot, items, box, f.page, 0.8, out);
      });
    });
  }
  return found.size;
}

/** The cells right of a label cell within its row, up to the next label cell, left to right. */
function rowRight(cell: Cell, labelCells: Set<Cell>, p: PreparedPages): Cell[] {
  const { y0, y1, x1 } = cell.box;
  const inBand = (c: Cell) => c.page === cell.page && c.box.x0 >= x1 - 1 && (c.box.y0 + c.box.y1) / 2 > y0 && (c.box.y0 + c.box.y1) / 2 < y1;
  const stop = Math.min(...[...labelCells].filter((c) => c !== cell && inBand(c)).map((c) => c.box.x0));
  return p.cells.filter((c) => inBand(c) && c.box.x1 <= stop + 1 && !labelCells.has(c)).sort((a, b) => a.box.x0 - b.box.x0);
}

/** The neighbouring cell of a box in one direction, stepping over the thin gap of a double border. */
function next(page: Page, from: Box, step: (b: Box) => Box, size: (b: Box) => number): Box | undefined {
  let box = step(from);
  for (let k = 0; k < 3 && box.closed && size(box) < 4; k++) box = step(box);
  return box.closed && box.key !== from.key ? box : undefined;
}

export function readTemplate(t: Template, p: PreparedPages): ReadResult {
  const values = new Map<string, Reading>();
  const { located, labelsFound: inCells, labelCells } = locateValues(t, p);
  for (const v of located) readValue(v.slot, v.items, v.box, v.page, v.confidence, values, v.parts);
  // labels without a cell of their own: label and value side by side on a line of text, outside the
  // grid or inside one cell (申请日期：2026年5月18日)
  const used = new Set<string>([...labelCells].map((c) => `${c.page.index}:${c.box.key}`));
  for (const v of located) used.add(`${v.page.index}:${v.box.key}`);
  const groups = [...p.flow, ...p.cells.filter((c) => !used.has(`${c.page.index}:${c.box.key}`))];
  const labelsFound = inCells + readLoose(t, groups, new Set(located.map((v) => v.slot.label)), values);
  readFlow(t, p, values);
  for (const e of t.eachTables) readEach(e, t, p, values);
  const anchors = t.anchors.length ? anchorHits(t, p) : 0;
  const total = t.labels.length + t.anchors.length;
  return { values, score: total ? (labelsFound + anchors) / total : 0, labelsFound, labelsTotal: t.labels.length };
}

/** Values of a list printed in one cell, separated by spaces; a two-character name spaced to three (王 玉) stays one. */
function splitNames(text: string): string[] {
  const parts = text.split(/ +/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const single = (x: string | undefined) => !!x && [...x].length === 1 && /\p{Script=Han}/u.test(x);
    if (single(parts[i]) && single(parts[i + 1])) {
      out.push(parts[i] + parts[i + 1]);
      i++;
    } else out.push(parts[i]);
  }
  return out;
}

/** Rows under a repeated header: one list item per row, each column's text to its field. */
function readEach(e: EachTable, t: Template, p: PreparedPages, out: Map<string, Reading>): void {
  const labelKeys = new Set(t.labels.map((l) => l.key));
  const anchor = e.columns[0];
  const heads = p.cells.filter((c) => c.key === anchor.label.key).sort((a, b) => a.page.index - b.page.index || b.box.y1 - a.box.y1);
  let k = 0;
  for (const head of heads) {
    const page = head.page;
    // this page's header cell of every column
    const colHeads = e.columns.map((col) => p.cells.find((c) => c.page === page && c.key === col.label.key && Math.abs(c.box.y1 - head.box.y1) < 2));
    const cx = (b: Box) => (b.x0 + b.x1) / 2;
    // step past the ruled line (and the tolerance with which lines are matched) into the next row
    const STEP = 2.5;
    let y = head.box.y0 - STEP;
    for (let guard = 0; guard < 500; guard++) {
      const row = boxAt(page, cx(head.box), y);
      // a row of the same table: the same column under the header, directly below the last row
      if (!row.closed || row.y1 - row.y0 < 4 || Math.abs(row.x0 - head.box.x0) > 2 || Math.abs(row.x1 - head.box.x1) > 2 || Math.abs(row.y1 - (y + STEP)) > 2) break;
      const mid = (row.y0 + row.y1) / 2;
      const boxes: (Box | undefined)[] = [];
      const texts = e.columns.map((col, j) => {
        const h = colHeads[j];
        if (!h) return '';
        const box = boxAt(page, cx(h.box), mid);
        boxes[j] = box;
        const items = page.data.items.filter((i) => i.str.trim() && inside(i, box));
        return col.scalarList ? lines(items).map(lineText).join(' ') : joinLines(lines(items), box.x1 - (Math.min(...items.map((i) => i.x)) - box.x0));
      });
      const firstCell = p.cells.find((c) => c.page === page && c.box.key === boxAt(page, row.x0 + 1.5, mid).key);
      if (firstCell && labelKeys.has(firstCell.key)) break;
      if (texts.every((x) => !x.trim())) break;
      e.columns.forEach((col, j) => {
        const text = texts[j].trim();
        if (!text) return;
        const pointer = `${e.list}/${k}${col.rel}`;
        out.set(pointer, at({ raw: col.scalarList ? splitNames(text) : text, confidence: 0.9, page: page.index }, page.data, boxes[j]));
      });
      k++;
      y = row.y0 - STEP;
    }
  }
}

/** A reading with where it was read, when that is on the page. */
function at(r: Reading, page: PageData, rect: Rect | undefined): Reading {
  const box = toFieldBox(page, rect);
  return box ? { ...r, box } : r;
}

/**
 * The value's cell (a box ruled on every side), else the value's text; for check boxes whose
 * options stand in cells of their own, the options' text and marks.
 */
function valueRect(box: Box, items: TextItem[], parts?: TextItem[][]): Rect | undefined {
  if (parts) return textRect(parts.flat());
  return box.closed ? box : textRect(items);
}

function readValue(slot: ValueSlot, items: TextItem[], box: Box, onPage: Page, confidence: number, out: Map<string, Reading>, parts?: TextItem[][]): void {
  const page = onPage.index;
  const where = (r: Reading) => at(r, onPage.data, valueRect(box, items, parts));
  const ls = lines(items);
  const minX = Math.min(...items.map((i) => i.x));
  const right = items.length ? box.x1 - (minX - box.x0) : box.x1;
  let text = joinLines(ls, right);
  if (slot.hint) text = removeHint(text, slot.hint);
  if (slot.checkboxes) {
    const text = (parts ?? [items]).map((part) => lines(part).map(lineText).join('\n')).join('\n');
    out.set(slot.checkboxes.field, where({ raw: ticked(text, slot.checkboxes.options), confidence, page }));
    return;
  }
  const fields = slot.spans.filter((s) => s.field);
  if (fields.length === 1 && slot.spans.length === 1) {
    if (text.trim()) out.set(fields[0].field!, where({ raw: text.trim(), confidence, page }));
    return;
  }
  // Several spans in one cell: fixed text between fields splits the value.
  for (const [field, v] of splitByAnchors(slot.spans, text)) if (v.trim()) out.set(field, where({ raw: v.trim(), confidence: confidence * 0.9, page }));
}

function removeHint(text: string, hint: string): string {
  // the hint may wrap too, and another producer may print its brackets full-width
  const pattern = [...matchKey(hint)].map((c) => `(?:${spellingsOf(c).map(escape).join('|')})`).join('[\\s\\u3000]*');
  const m = new RegExp(pattern).exec(text);
  return m ? (text.slice(0, m.index) + text.slice(m.index + m[0].length)).trim() : text;
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function splitByAnchors(spans: { text: string; field?: string }[], text: string): [string, string][] {
  const out: [string, string][] = [];
  let rest = text;
  spans.forEach((s, i) => {
    if (!s.field) {
      const k = rest.indexOf(s.text.trim());
      if (k >= 0 && s.text.trim()) rest = rest.slice(k + s.text.trim().length);
      return;
    }
    const next = spans.slice(i + 1).find((x) => !x.field && x.text.trim());
    const k = next ? rest.indexOf(next.text.trim()) : -1;
    out.push([s.field, k >= 0 ? rest.slice(0, k) : rest]);
    rest = k >= 0 ? rest.slice(k) : '';
  });
  return out;
}

/** Running text outside tables, in reading order, with a map from squashed positions back to it. */
function flowText(p: PreparedPages): { text: string; squashed: string; map: number[]; pageAt: number[]; placeAt: (Rect | undefined)[]; spaceBreaks: Set<number> } {
  let text = '';
  const spaceBreaks = new Set<number>();
  const pageAt: number[] = [];
  // where each character of the text stands on its page (none for spaces put back and line breaks)
  const placeAt: (Rect | undefined)[] = [];
  // kept across pages: a value may continue on the next page
  let prev: { line: Line; text: string } | undefined;
  for (const f of p.flow) {
    const ls = lines(f.items);
    // the right edge of the text block: where the longest lines end
    const right = Math.max(...ls.map((l) => (l.glyphs.length ? l.glyphs[l.glyphs.length - 1].x + l.glyphs[l.glyphs.length - 1].w : -Infinity)));
    for (const l of ls) {
      const placed = placedLineText(l);
      const lt = placed.text;
      // page numbers (— 3 —, - 3 -, 第 3 页) are the printer's, not the document's text
      if (/^\s*(?:[—–-]+\s*\d+\s*[—–-]+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)\s*$/.test(lt)) continue;
      // the break before this line: a space when the line broke at one (two Latin words)
      if (prev && text.endsWith('\n') && joinSeparator(prev.line, prev.text.trim(), l, lt.trim(), Number.isFinite(right) ? right : undefined) === ' ') spaceBreaks.add(text.length - 1);
      prev = { line: l, text: lt };
      const s = lt + '\n';
      text += s;
      for (let k = 0; k < s.length; k++) pageAt.push(f.page.index);
      for (const g of placed.at) placeAt.push(g && { x0: g.x, x1: g.x + g.w, y0: l.bottom, y1: l.top });
      placeAt.push(undefined);
    }
  }
  let squashed = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const k = matchKey(text[i]);
    for (const c of k) {
      squashed += c;
      map.push(i);
    }
  }
  return { text, squashed, map, pageAt, placeAt, spaceBreaks };
}

const ANCHOR = 14;

/** Fixed text (squashed) from span `from` onwards until the next field; `block` skips to after the next break first. */
function fixedAfter(spans: { text: string; field?: string }[], from: number): string {
  let s = '';
  for (let k = from; k < spans.length && !spans[k].field && s.length < ANCHOR; k++) s += matchKey(spans[k].text);
  return s.slice(0, ANCHOR);
}

/** List items as printed one per line: a numbered or bulleted line starts an item, other lines continue it. */
const ITEM = /^\s*(?:\d{1,3}\s*[.．、)）]|[(（]\s*\d{1,3}\s*[)）]|[-•·●▪]\s)\s*/;
export function splitItems(text: string, spaceBefore: Set<number> = new Set()): string[] {
  const items: string[] = [];
  text.split('\n').forEach((line, i) => {
    const l = line.trim();
    if (!l) return;
    if (ITEM.test(l) || !items.length) items.push(l.replace(ITEM, ''));
    else items[items.length - 1] += (spaceBefore.has(i) ? ' ' : '') + l;
  });
  return items.map((i) => i.trim()).filter(Boolean);
}

/**
 * Fields inside running text: the value is what lies between the fixed text before and after it,
 * never running into the next block; a block the document leaves out (an optional line) is skipped.
 */
function readFlow(t: Template, p: PreparedPages, out: Map<string, Reading>): void {
  if (!t.flow.some((s) => s.field)) return;
  const f = flowText(p);
  const find = (needle: string, from: number) => (needle ? f.squashed.indexOf(needle, from) : -1);
  /** Squashed position of the end of the line that squashed position `at` is on. */
  const lineEnd = (at: number) => {
    const from = f.map[at] ?? f.text.length;
    const nl = f.text.indexOf('\n', from);
    const e = f.map.findIndex((m) => m >= (nl < 0 ? f.text.length : nl));
    return e < 0 ? f.squashed.length : e;
  };
  let cursor = 0;
  const spans = t.flow;
  spans.forEach((s, i) => {
    if (!s.field || out.has(s.field)) return;
    let before = '';
    // the fixed text before the field within its block (an optional part before it may be absent)
    for (let k = i - 1; k >= 0 && !spans[k].field && before.length < ANCHOR; k--) {
      if (spans[k].text === '\n' && before) break;
      before = matchKey(spans[k].text) + before;
    }
    before = before.slice(-ANCHOR);
    // the fixed text after it, within its block
    let after = '';
    for (let k = i + 1; k < spans.length && !spans[k].field && spans[k].text !== '\n' && after.length < ANCHOR; k++) after += matchKey(spans[k].text);
    after = after.slice(0, ANCHOR);
    // the starts of the next few blocks: the first characters of their fixed text
    const nextBlocks: string[] = [];
    let nextIsField = false;
    for (let nb = i + 1; nb < spans.length && nextBlocks.length < 3; nb++) {
      if (spans[nb].text !== '\n') continue;
      while (nb + 1 < spans.length && spans[nb + 1].text === '\n') nb++;
      if (nb + 1 < spans.length && spans[nb + 1].field && !nextBlocks.length) nextIsField = true;
      const a = nb + 1 < spans.length && !spans[nb + 1].field ? fixedAfter(spans, nb + 1).slice(0, 6) : '';
      if (a.length >= 2) nextBlocks.push(a);
    }
    const first = (from: number) => Math.min(...nextBlocks.map((a) => find(a, from)).filter((x) => x >= 0), Infinity);
    let start = cursor;
    let fallback = false;
    if (before) {
      // an optional part just before the field may be missing: fall back to the text nearest the field
      let at = -1;
      let used = before;
      for (const n of [before.length, 4, 2, 1]) {
        if (n > before.length) continue;
        used = before.slice(-n);
        at = find(used, cursor);
        if (at >= 0) break;
      }
      if (at < 0) return;
      // a later block comes first: this field's own block is not in the document
      if (first(cursor) < at) return;
      start = at + used.length;
      fallback = used !== before;
    }
    const lim = first(start);
    const limit = Number.isFinite(lim) ? lim : -1;
    let end = after ? find(after, start) : -1;
    // a shortened anchor is trusted only when the text after the field is found, within the block
    if (fallback && (end < 0 || (limit >= 0 && end > limit))) return;
    if (end < 0 || (limit >= 0 && end > limit)) {
      // a field that ends its block: up to the next block, or to the end of its line when the next
      // block starts with a field too (a signature's lines) or nothing follows
      end = limit >= 0 && !nextIsField ? limit : lineEnd(start);
      if (limit >= 0 && end > limit) end = limit;
    }
    if (end <= start) return;
    cursor = end;
    const a = f.map[start];
    const b = f.map[end - 1] + 1;
    const text = f.text.slice(a, b);
    const page = f.pageAt[a] ?? 0;
    // the value's text on the page it starts on
    const rect = union(f.placeAt.slice(a, b).filter((r, k): r is Rect => !!r && f.pageAt[a + k] === page));
    const place = (r: Reading) => at(r, p.pages.find((pg) => pg.index === page)!.data, rect);
    if (t.lists.has(s.field)) {
      // lines that continue after a break at a space (between two Latin words)
      const spaced = new Set<number>();
      let line = 0;
      for (let k = a; k < b; k++) {
        if (f.text[k] !== '\n') continue;
        line++;
        if (f.spaceBreaks.has(k)) spaced.add(line);
      }
      const items = splitItems(text, spaced);
      if (items.length) out.set(s.field, place({ raw: items, confidence: 0.8, page }));
      return;
    }
    let raw = '';
    for (let k = a; k < b; k++) raw += f.text[k] === '\n' ? (f.spaceBreaks.has(k) ? ' ' : '') : f.text[k];
    raw = raw.trim();
    if (raw) out.set(s.field, place({ raw, confidence: 0.8, page }));
  });
}

function anchorHits(t: Template, p: PreparedPages): number {
  const all = matchKey(p.flow.map((f) => lines(f.items).map(lineText).join('')).join('') + p.cells.map((c) => c.key).join(''));
  return t.anchors.filter((a) => all.includes(a)).length;
}
