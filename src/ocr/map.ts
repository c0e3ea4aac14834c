/**
 * OCR page → record: cells from the ruled lines found in the image, labels matched to the kind's
 * layout labels, each value read from the cell right of its label, check boxes from the pixels
 * beside each option. Every field carries a confidence.
 */
import type { Kind } from '../core/kind.js';
import { setAt } from '../core/pointer.js';
import { checkCreditCode, checkPhone, normalizeDigits } from '../core/identifiers.js';
import type { Box, OcrLine, OcrPageImage } from './page.js';
import { BOXLIKE, markBeside } from './page.js';
import { key, ocrTemplate, type OcrSlot } from './template.js';

export interface GridCell {
  box: Box;
  lines: OcrLine[];
  /** Text of the cell, lines in reading order, normalised. */
  key: string;
}

export interface FieldRead {
  value: unknown;
  confidence: number;
  page: number;
  /** The raw OCR text the value came from. */
  text?: string;
}

export interface PageRead {
  fields: Map<string, FieldRead>;
  /** Share of the kind's labels found on the page, 0–1. */
  labelScore: number;
}

/** Cells of the page's ruled tables; lines outside any table each form a cell of their own. */
export function gridCells(img: OcrPageImage): GridCell[] {
  const { page } = img;
  const tol = Math.max(4, page.dpi / 30);
  const cluster = (vals: number[]): number[] => {
    const out: number[][] = [];
    for (const v of [...vals].sort((a, b) => a - b)) {
      const last = out[out.length - 1];
      if (last && v - last[last.length - 1] <= tol) last.push(v);
      else out.push([v]);
    }
    return out.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  };
  const minLen = page.dpi * 0.4;
  const H = page.rules.h.filter((r) => r.x1 - r.x0 >= minLen);
  const V = page.rules.v.filter((r) => r.y1 - r.y0 >= minLen * 0.5);
  const ys = cluster(H.map((r) => r.y0));
  const xs = cluster(V.map((r) => r.x0));
  const cells: GridCell[] = [];
  if (ys.length >= 2 && xs.length >= 2) {
    const nr = ys.length - 1,
      nc = xs.length - 1;
    const parent = Array.from({ length: nr * nc }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const covered = (segs: typeof H, pos: number, a: number, b: number, vertical: boolean): boolean => {
      let cov = 0;
      for (const s of segs) {
        const p = vertical ? s.x0 : s.y0;
        if (Math.abs(p - pos) > tol) continue;
        const lo = Math.max(a, vertical ? s.y0 : s.x0),
          hi = Math.min(b, vertical ? s.y1 : s.x1);
        if (hi > lo) cov += hi - lo;
      }
      return cov >= (b - a) * 0.5;
    };
    // An atom with no ink at all in it and no rule around is outside the table: keep it apart.
    for (let i = 0; i < nr; i++)
      for (let j = 0; j < nc; j++) {
        if (j + 1 < nc && !covered(V, xs[j + 1], ys[i], ys[i + 1], true)) parent[find(i * nc + j + 1)] = find(i * nc + j);
        if (i + 1 < nr && !covered(H, ys[i + 1], xs[j], xs[j + 1], false)) parent[find((i + 1) * nc + j)] = find(i * nc + j);
      }
    const groups = new Map<number, Box>();
    for (let i = 0; i < nr; i++)
      for (let j = 0; j < nc; j++) {
        const r = find(i * nc + j);
        const b = groups.get(r);
        const a: Box = [xs[j], ys[i], xs[j + 1], ys[i + 1]];
        groups.set(r, b ? [Math.min(b[0], a[0]), Math.min(b[1], a[1]), Math.max(b[2], a[2]), Math.max(b[3], a[3])] : a);
      }
    for (const box of groups.values()) cells.push({ box, lines: [], key: '' });
  }
  const loose: OcrLine[] = [];
  for (const l of page.lines) {
    const cx = (l.box[0] + l.box[2]) / 2,
      cy = (l.box[1] + l.box[3]) / 2;
    const c = cells.find((c) => cx > c.box[0] && cx < c.box[2] && cy > c.box[1] && cy < c.box[3]);
    if (c) c.lines.push(l);
    else loose.push(l);
  }
  for (const l of loose) cells.push({ box: l.box, lines: [l], key: '' });
  for (const c of cells) {
    c.lines = readingOrder(c.lines);
    c.key = key(c.lines.map((l) => l.text).join(''));
  }
  return cells.filter((c) => c.lines.length || c.box[2] - c.box[0] > 0);
}

/** Top to bottom by rows, left to right within a row. */
function readingOrder(lines: OcrLine[]): OcrLine[] {
  const sorted = [...lines].sort((a, b) => a.box[1] + a.box[3] - b.box[1] - b.box[3]);
  const rows: OcrLine[][] = [];
  for (const l of sorted) {
    const row = rows[rows.length - 1];
    const h = l.box[3] - l.box[1];
    if (row && Math.abs((row[0].box[1] + row[0].box[3]) / 2 - (l.box[1] + l.box[3]) / 2) < h * 0.5) row.push(l);
    else rows.push([l]);
  }
  return rows.flatMap((r) => r.sort((a, b) => a.box[0] - b.box[0]));
}

/** 0–1: 1 − edit distance / longer length. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return 1 - prev[b.length] / Math.max(a.length, b.length);
}

/** Read one page against a kind. */
export function readPage(img: OcrPageImage, kind: Kind, cells = gridCells(img)): PageRead {
  const t = ocrTemplate(kind);
  const fields = new Map<string, FieldRead>();
  // Labels: best-matching cell, each cell used once, best pairs first.
  const pairs: { slot: OcrSlot; cell: GridCell; s: number }[] = [];
  for (const slot of t.slots)
    for (const cell of cells) {
      if (!cell.key) continue;
      const s = similarity(cell.key, slot.label);
      if (s >= 0.6) pairs.push({ slot, cell, s });
    }
  pairs.sort((a, b) => b.s - a.s);
  const usedCells = new Set<GridCell>(),
    placed = new Map<OcrSlot, { cell: GridCell; s: number }>();
  for (const p of pairs) {
    if (usedCells.has(p.cell) || placed.has(p.slot)) continue;
    usedCells.add(p.cell);
    placed.set(p.slot, p);
  }
  let found = 0;
  for (const l of t.labels) if (cells.some((c) => similarity(c.key, l) >= 0.75)) found++;
  const labelScore = t.labels.length ? found / t.labels.length : 0;

  for (const slot of t.slots) {
    const at = placed.get(slot);
    if (!at) continue;
    const valueCell = rightOf(cells, at.cell, usedCells);
    if (!valueCell) continue;
    const labelConf = Math.min(1, 0.4 + at.s * 0.6);
    if (slot.checkboxes) {
      const r = readOptions(img, valueCell, slot.checkboxes.options);
      fields.set(slot.checkboxes.field, { value: r.value, confidence: Math.min(labelConf, r.confidence), page: img.page.index, text: r.text });
      continue;
    }
    if (slot.fields.length !== 1) continue;
    const lines = valueCell.lines.filter((l) => !isHint(l.text, slot.hint) && !(slot.fixed && similarity(key(l.text), slot.fixed) > 0.7));
    if (!lines.length) continue;
    const raw = joinLines(lines.map((l) => l.text));
    const ptr = slot.fields[0];
    const { value, ok } = normalizeValue(kind, ptr, raw);
    if (value === '') continue;
    const ocrConf = Math.min(...lines.map(lineConfidence));
    const confidence = round(Math.min(labelConf, ocrConf) * (ok ? 1 : 0.6));
    fields.set(ptr, { value, confidence, page: img.page.index, text: raw });
  }
  return { fields, labelScore };
}

/** A line's confidence: its mean, pulled down by its weakest character. */
function lineConfidence(l: OcrLine): number {
  const min = l.chars.reduce((m, c) => Math.min(m, c.p), 1);
  return Math.min(l.confidence, 0.35 + 0.65 * min);
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function isHint(text: string, hint?: string): boolean {
  if (!hint) return false;
  const k = key(text);
  return similarity(k, hint) >= 0.6 || (k.length >= 3 && hint.includes(k));
}

/** The cell to the right of a label cell, sharing most of its height. */
function rightOf(cells: GridCell[], label: GridCell, used: Set<GridCell>): GridCell | undefined {
  const [, y0, x1, y1] = label.box;
  const h = y1 - y0;
  let best: GridCell | undefined,
    bestScore = 0;
  for (const c of cells) {
    if (c === label || used.has(c)) continue;
    if (c.box[0] < x1 - h * 0.5 || c.box[0] > x1 + h * 1.5) continue;
    const ov = Math.min(y1, c.box[3]) - Math.max(y0, c.box[1]);
    const score = ov / Math.max(1, Math.min(h, c.box[3] - c.box[1]));
    if (score > 0.5 && score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** Wrapped lines of a value join without a space (Chinese text wraps anywhere). */
function joinLines(parts: string[]): string {
  return parts.map((x) => x.trim()).filter(Boolean).join('');
}

/** Options of a check-box group: where each option's label is, and the mark beside it. */
function readOptions(img: OcrPageImage, cell: GridCell, options: string[]): { value: string[]; confidence: number; text: string } {
  const value: string[] = [];
  let confidence = 1;
  const texts: string[] = [];
  for (const opt of options) {
    const ok = key(opt);
    let best: { line: OcrLine; start: number; s: number } | undefined;
    for (const line of cell.lines) {
      const chars = line.chars;
      // Try each start position; compare the same number of characters (marks skipped).
      for (let i = 0; i < chars.length; i++) {
        if (BOXLIKE.test(chars[i].ch) && i + 1 < chars.length) continue;
        const seg = key(chars.slice(i, i + ok.length).map((c) => c.ch).join(''));
        const s = similarity(seg, ok);
        if (!best || s > best.s) best = { line, start: i, s };
        if (s === 1) break;
      }
    }
    if (!best || best.s < 0.5) {
      confidence = Math.min(confidence, 0.3);
      continue;
    }
    const c0 = best.line.chars[best.start];
    const labelBox: Box = [c0.x0, best.line.box[1], best.line.box[2], best.line.box[3]];
    // A mark read as a character just before the option ( √ 事前辅导 ) counts as well.
    const before = best.line.chars[best.start - 1];
    const mark = markBeside(img, labelBox);
    let checked = mark.checked;
    let conf = mark.confidence;
    if (before && /[√✓✔☑■▣⊠☒]/.test(before.ch) && !mark.checked) {
      checked = true;
      conf = Math.min(conf, before.p);
    }
    if (checked) value.push(opt);
    texts.push(`${checked ? '☑' : '☐'}${opt}`);
    confidence = Math.min(confidence, conf * (0.5 + 0.5 * best.s));
  }
  return { value, confidence: round(confidence), text: texts.join(' ') };
}

const CJK = '\\u3400-\\u9fff';
/** OCR reads ASCII punctuation between Chinese characters; Chinese text uses the full-width forms. */
function chinesePunctuation(s: string): string {
  return s
    .replace(new RegExp(`\\((?=[${CJK}])`, 'g'), '（')
    .replace(new RegExp(`(?<=[${CJK}])\\)`, 'g'), '）')
    .replace(new RegExp(`(?<=[${CJK}]),`, 'g'), '，')
    .replace(new RegExp(`(?<=[${CJK}]):`, 'g'), '：')
    .replace(new RegExp(`(?<=[${CJK}]);`, 'g'), '；');
}

/** Letters OCR confuses with digits, for fields that hold only digits. */
const DIGIT_LOOKALIKE: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', '|': '1', i: '1', Z: '2', z: '2', S: '5', s: '5', B: '8', b: '6', G: '6', g: '9' };

/** Turn OCR text into a field value by the field's schema format. `ok` is false when it does not fit. */
export function normalizeValue(kind: Kind, ptr: string, raw: string): { value: string; ok: boolean } {
  const s = kind.schema.at(ptr);
  const text = normalizeDigits(raw).trim();
  switch (s?.format) {
    case 'credit-code': {
      let v = text.replace(/[\s\-_.·]/g, '').toUpperCase();
      if (checkCreditCode(v)) {
        // Code alphabet has no I, O, Z, S, V: those are digits misread.
        const fixed = v.replace(/[IOZSV]/g, (c) => ({ I: '1', O: '0', Z: '2', S: '5', V: 'U' })[c] ?? c);
        if (!checkCreditCode(fixed)) v = fixed;
      }
      return { value: v, ok: !checkCreditCode(v) };
    }
    case 'phone': {
      let v = text.replace(/\s/g, '').replace(/[—–一]/g, '-');
      v = v.replace(/[A-Za-z|]/g, (c) => DIGIT_LOOKALIKE[c] ?? c);
      return { value: v, ok: !checkPhone(v) };
    }
    case 'date': {
      const m = text.replace(/\s/g, '').match(/(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})/);
      if (!m) return { value: text, ok: false };
      return { value: `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`, ok: true };
    }
    case 'date-minute': {
      const m = text.replace(/\s/g, '').match(/(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})\D{0,2}?(\d{1,2})[:：时](\d{2})/);
      if (!m) return { value: text, ok: false };
      return { value: `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}T${m[4].padStart(2, '0')}:${m[5]}`, ok: true };
    }
  }
  if (s?.['x-display'] === 'personName') return { value: text.replace(/[\s\u3000]+/g, ''), ok: true };
  return { value: chinesePunctuation(text.replace(/\s+/g, ' ')), ok: true };
}

/** Build the record from the fields read on all pages (the most confident reading wins). */
export function assemble(reads: PageRead[]): { record: Record<string, unknown>; fields: Map<string, FieldRead> } {
  const fields = new Map<string, FieldRead>();
  for (const r of reads)
    for (const [ptr, f] of r.fields) {
      const prev = fields.get(ptr);
      if (!prev || f.confidence > prev.confidence) fields.set(ptr, f);
    }
  const record: Record<string, unknown> = {};
  for (const [ptr, f] of [...fields].sort((a, b) => a[0].localeCompare(b[0]))) setAt(record, ptr, f.value);
  return { record, fields };
}
