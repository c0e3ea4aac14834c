/**
 * OCR pages through the text parser (src/parse): each page becomes positioned text and ruled lines
 * in PDF points, exactly what a text-layer PDF gives, so the same label-and-table logic maps it to
 * fields. What OCR adds: the ticks come from pixels (a synthetic ☑/☐ or √ before each option), and
 * every field carries the recognition confidence of the text it was read from.
 */
import type { Kind } from '../core/kind.js';
import { allKinds, getKind } from '../kinds/index.js';
import { setAt } from '../core/pointer.js';
import { validateRecord } from '../core/records.js';
import type { Issue } from '../core/errors.js';
import type { PageData, TextItem } from '../parse/pdf.js';
import type { Segment } from '../parse/rules.js';
import { preparePages, readTemplate, locateValues } from '../parse/read.js';
import { templateOf, matchKey } from '../parse/template.js';
import { normaliseValue } from '../parse/normalize.js';
import type { FieldBox } from '../parse/position.js';
import { distance, fixPlaces, repairTerms, repairTowns, stripHint } from './lexicon.js';
import { isSurname } from '../core/names.js';
import { codeFormat, readCode, type CodeFormat } from './constrained.js';
import { formatOf, type FieldFormat } from '../core/formats.js';
import { BOXLIKE, HAN, HAN_RANGE, type Box, type OcrLine, type OcrPageImage } from './page.js';
import { optionMarks, wrappedOptions } from './ticks.js';
import { inkAfterText, inkedColumns } from './geometry.js';

/** A code read with every character at least this sure is kept as read, even when it fails its check. */
const SURE = 0.85;

/** Leading characters OCR makes of a drawn box or a mark: the pixels decide those instead. */
const LEADING_MARKS = /^[■□☐☑☒√✓✔▢▣⊠◻◼▪▫]+/u;

export interface OcrField {
  confidence: number;
  /** 1-based page number. */
  page: number;
  needsReview?: true;
  /** Why staff should check it, in Chinese (REVIEW_REASONS or the format's own reason), joined by ；. */
  reason?: string;
  /** Where it was read: fractions of the page image as the reader turned and straightened it (FieldInfo.box). */
  box?: FieldBox;
}

/** The reasons a field is sent to review. */
export const REVIEW_REASONS = {
  lowConfidence: '识别置信度低',
  underSeal: '印章覆盖',
  corrected: '已按格式校正',
  failsFormat: '不符合格式或校验位',
  skipped: '疑有漏字',
  invalid: '校验未通过',
} as const;

/** A field's reason with more added, each once. */
function withReasons(reason: string | undefined, more: string[]): string {
  return [...new Set([...(reason ? reason.split('；') : []), ...more])].join('；');
}

export interface OcrParse {
  kind: Kind;
  record: Record<string, unknown>;
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  fields: Record<string, OcrField>;
  needsReview: string[];
  /** Share of the kind's labels and fixed text found. */
  score: number;
}

/** OCR items → their confidence, the line they were read from and its page, kept beside the items the parser sees. */
type Conf = Map<TextItem, { confidence: number; line: OcrLine; img: OcrPageImage; skipped: boolean }>;

/** One OCR page as the parser's page data (points, y up). */
export function toPageData(img: OcrPageImage, kinds: Kind[], conf: Conf): PageData {
  const { page } = img;
  const s = 72 / page.dpi;
  const X = (x: number) => x * s;
  const Y = (y: number) => (page.height - y) * s;
  const items: TextItem[] = [];
  const add = (str: string, box: Box, c: number, line: OcrLine, tight = false) => {
    const h = box[3] - box[1];
    const size = (h / 1.35) * s;
    const yc = Y((box[1] + box[3]) / 2);
    // Text: from its first to its last inked column, as a PDF's glyphs would span (the parser puts
    // back spaces at wrapped lines by how much room was left).
    const [x0, x1] = tight ? inkSpan(img.bin, page.width, box) : [box[0], box[2]];
    const it: TextItem = { str, x: X(x0), y: yc - size * 0.3, w: X(x1) - X(x0), size };
    items.push(it);
    conf.set(it, { confidence: c, line, img, skipped: skipped.has(line) });
  };
  /** Chars [from, to) of a line spanning x0..x1, as one item per run of text between wide gaps. */
  const addSpaced = (l: OcrLine, from: number, to: number, x0: number, x1: number) => {
    const text = [...l.text];
    let a = from,
      left = x0;
    for (const cut of wideGaps(l, from, to, (x0, x1) => blankRun(img.bin, page.width, l, x0, x1))) {
      const mid = (l.chars[cut - 1].x1 + l.chars[cut].x0) / 2;
      add(text.slice(a, cut).join(''), [left, l.box[1], Math.max(left + 1, mid), l.box[3]], confidence(l), l, true);
      [a, left] = [cut, mid];
    }
    add(text.slice(a, to).join(''), [left, l.box[1], Math.max(left + 1, x1), l.box[3]], confidence(l), l, true);
  };
  const lines: OcrLine[] = [];
  for (const l of page.lines) {
    // A lone, doubtful character is noise far more often than text (a speck, a piece of a border),
    // unless it stands where a wrapped value goes on: under the start of a line of its height.
    if ([...l.text.trim()].length === 1 && l.confidence < 0.85 && !(l.confidence >= 0.5 && wrapsFrom(l, page.lines))) continue;
    // A box at the start of a line, read as 口: the pixels say what it is.
    const h = l.box[3] - l.box[1];
    const boxed = page.checkboxes.some((c) => c.box[0] - l.box[0] < h * 0.6 && c.box[2] > l.box[0] && c.box[1] < (l.box[1] + l.box[3]) / 2 && c.box[3] > (l.box[1] + l.box[3]) / 2);
    const m = (boxed ? /^[■□☐☑☒√✓✔▢▣⊠◻◼▪▫口囗]+/u : LEADING_MARKS).exec(l.text);
    if (m && m[0].length < l.text.length) {
      const cut = l.chars[m[0].length];
      const box: Box = [cut ? cut.x0 : l.box[0], l.box[1], l.box[2], l.box[3]];
      lines.push({ ...l, text: l.text.slice(m[0].length), box, chars: l.chars.slice(m[0].length) });
    } else lines.push({ ...l });
  }
  const towns = [...new Set(kinds.flatMap((k) => k.def.lexicon?.towns ?? []))];
  const terms = [...new Set(kinds.flatMap((k) => k.def.lexicon?.terms ?? []))];
  for (const l of lines) {
    repairTowns(l, towns);
    repairTerms(l, terms);
  }
  // Ticks from pixels, before each option label of the kinds: the drawn box there (☑/☐), or with
  // no box, any mark there (√). A label the tick ran into may be misread by a character or two
  // (邮寄 → 邮等): it is found approximately and put right, since the parser needs its exact text.
  const cuts = new Map<OcrLine, { at: number; x0: number; x1: number }[]>();
  const lead = new Map<OcrLine, number>();
  const groups = optionLabels(kinds);
  const found = findOptions(lines, groups);
  const options = [...found, ...wrappedOptions(lines, groups, found)];
  // A character the recogniser skipped leaves a gap of two in the line's run of Chinese characters:
  // then the text is doubtful (option labels are known text and do not count).
  // So is ink past the last character read (a 、 ending a wrapped line, read as nothing).
  const skipped = new Set(lines.filter((l) => !options.some((o) => o.line === l) && (skippedChar(l) || inkAfterText(img.bin, page.width, l))));
  const confidence = (l: OcrLine) => (skipped.has(l) ? Math.min(0.6, lineConfidence(l)) : lineConfidence(l));
  const marks = optionMarks(img, options, groups);
  for (const o of options) {
    const { line: l, at } = o;
    const mark = marks.get(o);
    if (!mark) continue;
    add(mark.str, mark.box, mark.confidence, l);
    if (mark.after) continue;
    // The line's text starts after the mark, so the mark reads before the option; a line holding
    // two options (the detector joined them) is cut at the second one's mark.
    if (at > 0 && mark.box[0] > l.box[0] + (l.box[3] - l.box[1])) {
      const list = cuts.get(l) ?? [];
      list.push({ at, x0: mark.box[0], x1: mark.box[2] });
      cuts.set(l, list);
    } else if (mark.box[2] > l.box[0] && mark.box[0] < l.box[0] + (l.box[3] - l.box[1]) * 2) {
      l.box = [mark.box[2] + 1, l.box[1], Math.max(l.box[2], mark.box[2] + 2), l.box[3]];
      // what the recogniser made of the mark (M, V, X …) goes with it
      if (at > 0 && l.chars.slice(0, at).every((c) => (c.x0 + c.x1) / 2 < mark.box[2] + (l.box[3] - l.box[1]) * 0.3)) lead.set(l, at);
    }
  }
  for (const l of lines) {
    const list = (cuts.get(l) ?? []).sort((a, b) => a.at - b.at);
    const chars = [...l.text];
    let start = lead.get(l) ?? 0,
      x = l.box[0];
    for (const c of list) {
      // what the recogniser made of the mark (口, ■) goes with it
      let end = c.at;
      while (end > start && l.chars[end - 1] && (l.chars[end - 1].x0 + l.chars[end - 1].x1) / 2 > c.x0) end--;
      if (end > start) addSpaced(l, start, end, x, Math.max(x + 1, c.x0 - 1));
      start = c.at;
      x = c.x1 + 1;
    }
    addSpaced(l, start, chars.length, x, Math.max(x + 1, l.box[2]));
  }
  const rule = (r: { x0: number; y0: number; x1: number; y1: number }): Segment => {
    const [x1, x2] = [X(r.x0), X(r.x1)].sort((a, b) => a - b);
    const [y1, y2] = [Y(r.y0), Y(r.y1)].sort((a, b) => a - b);
    return { x1, y1, x2, y2 };
  };
  return { index: page.index, width: page.width * s, height: page.height * s, items, rules: { h: page.rules.h.map(rule), v: page.rules.v.map(rule) } };
}

/**
 * Where a line's chars [from, to) stand apart by a wide gap: the detector often joins a label and the
 * value a cell holds after it (法定代表人　　玉人杰) into one line, whose gap only the chars' positions
 * show. A gap is wide when the step from one char's centre to the next is over 2.6 times the line's
 * usual step and over 1.3 line heights: a space between words is not, nor the room a character read
 * as nothing leaves (about twice the step, see skippedChar). The recogniser's positions wander by a
 * few pixels, so with the page's pixels (`blank`: the widest run of blank columns between two x) a
 * step of 1.8 usual ones will do where over 1.2 characters' width is blank: no character hides there.
 * Returns the indices that start a new run.
 */
export function wideGaps(l: OcrLine, from: number, to: number, blank?: (x0: number, x1: number) => number): number[] {
  const cs = l.chars;
  if (cs.length !== [...l.text].length || to - from < 3) return [];
  const mid = (i: number) => (cs[i].x0 + cs[i].x1) / 2;
  const ink: number[] = [];
  for (let i = from; i < to; i++) if (cs[i].ch.trim()) ink.push(i);
  const steps = ink.slice(1).map((i, k) => mid(i) - mid(ink[k]));
  if (steps.length < 2) return [];
  const usual = [...steps].sort((a, b) => a - b)[(steps.length - 1) >> 1];
  const h = l.box[3] - l.box[1];
  const empty = (k: number) => !!blank && blank(mid(ink[k]), mid(ink[k + 1])) > (cs[ink[k]].x1 - cs[ink[k]].x0) * 1.2;
  return ink.slice(1).filter((_, k) => steps[k] > h * 1.3 && (steps[k] > usual * 2.6 || (steps[k] > usual * 1.8 && empty(k))));
}

/** The widest run of blank columns of a line's box between x0 and x1 (see inkedColumns). */
function blankRun(bin: Uint8Array, width: number, l: OcrLine, x0: number, x1: number): number {
  let best = 0,
    prev = x0;
  for (const x of [...inkedColumns(bin, width, [x0, l.box[1], x1, l.box[3]]), x1]) {
    best = Math.max(best, x - prev - 1);
    prev = x;
  }
  return best;
}

/** Whether a line starts right under another line's start, as the wrapped end of a value does. */
function wrapsFrom(l: OcrLine, all: OcrLine[]): boolean {
  const h = l.box[3] - l.box[1];
  return all.some((a) => {
    const ha = a.box[3] - a.box[1];
    return a !== l && Math.abs(a.box[0] - l.box[0]) < ha * 0.5 && l.box[1] - a.box[3] > -ha * 0.3 && l.box[1] - a.box[3] < ha * 0.5 && h > ha * 0.5 && h < ha * 1.3;
  });
}

/** First and last inked column inside a box (the box itself when it holds no ink). */
function inkSpan(bin: Uint8Array, width: number, b: Box): [number, number] {
  const cols = inkedColumns(bin, width, b);
  return cols.length ? [cols[0], cols[cols.length - 1] + 1] : [b[0], b[2]];
}

/**
 * Whether a line's Chinese characters, or its digits, stand about one pitch apart except for one gap
 * of about two (1.8 to 2.6 times the usual), where a character was read as nothing (a phone number
 * one digit short). Two such gaps, or a wider one, are layout (a blank in the text, two cells read
 * as one line), not one character skipped.
 */
export function skippedChar(l: OcrLine): boolean {
  const cs = l.chars.filter((c) => c.ch.trim());
  return [HAN, /^[0-9]$/].some((re) => {
    const gaps: number[] = [];
    for (let i = 1; i < cs.length; i++) if (re.test(cs[i].ch) && re.test(cs[i - 1].ch)) gaps.push(cs[i].x0 - cs[i - 1].x0);
    if (gaps.length < 3) return false;
    const usual = [...gaps].sort((a, b) => a - b)[(gaps.length - 1) >> 1];
    if (!(usual > 0)) return false;
    return gaps.filter((g) => g >= usual * 1.8).length === 1 && Math.max(...gaps) <= usual * 2.6;
  });
}

/** A line's confidence: its mean, pulled down by its weakest character (a blank read between characters does not count). */
export function lineConfidence(l: OcrLine): number {
  const min = l.chars.reduce((m, c) => (BOXLIKE.test(c.ch) || !c.ch.trim() ? m : Math.min(m, c.p)), 1);
  return Math.min(l.confidence, 0.35 + 0.65 * min);
}

/**
 * Where the option labels stand in the lines: exact matches, else for an option found nowhere
 * exactly, its closest reading on the page (at most a quarter of its characters wrong), which is
 * then put right in the line — only where most of its group's other options were found exactly, so
 * the form really has that group. A reading is never taken from text another option already holds
 * (邮寄送达办理结果 is not 上门送达办理结果 misread, nor 大厅综合窗口受理 the start of
 * 大厅综合窗口办结领证), and only when it is closer to this option than to every other of its group.
 * `at` indexes the line's chars.
 */
function findOptions(lines: OcrLine[], groups: string[][]): { line: OcrLine; at: number; option: string }[] {
  // `end`: one past the option's last char in the line
  const out: { line: OcrLine; at: number; end: number; option: string }[] = [];
  const keys = new Map(lines.map((l) => [l, keyed(l)]));
  for (const group of groups) {
    const missing: string[] = [];
    for (const opt of group) {
      const before = out.length;
      for (const l of lines) {
        const { key, index } = keys.get(l)!;
        const at = key.indexOf(opt);
        if (at >= 0) out.push({ line: l, at: index[at], end: index[at + opt.length - 1] + 1, option: opt });
      }
      if (out.length === before) missing.push(opt);
    }
    if (missing.length * 2 > group.length) continue;
    for (const opt of missing) {
      // an option wrapped over two lines (■邮 / 寄送达办理结果) is that, not its rest read approximately
      if (wrappedOptions(lines, [[opt]], out).length) continue;
      const others = group.filter((o) => o !== opt);
      let best: { line: OcrLine; from: number; to: number; d: number } | undefined;
      for (const l of lines) {
        const { key, index } = keys.get(l)!;
        const taken = out.filter((o) => o.line === l);
        const m = approximate(key, opt, (from, to, d) => {
          const [a, b] = [index[from], index[to - 1] + 1];
          if (taken.some((o) => a < o.end && o.at < b)) return false;
          const span = key.slice(from, to);
          return others.every((o) => distance(span, o) > d);
        });
        if (m && (!best || m.d < best.d)) best = { line: l, from: index[m.from], to: index[m.to - 1] + 1, d: m.d };
      }
      if (!best || best.d > Math.floor(opt.length / 4)) continue;
      // the label as printed: its characters spread over the span read
      const { line: l, from, to } = best;
      const a = l.chars[from].x0,
        b = l.chars[to - 1].x1,
        n = opt.length,
        w = (l.chars[to - 1].x1 - l.chars[to - 1].x0 + l.chars[from].x1 - l.chars[from].x0) / 2;
      const p = Math.min(...l.chars.slice(from, to).map((c) => c.p));
      const fixed = [...opt].map((ch, k) => {
        const x = a + w / 2 + (n > 1 ? ((b - a - w) * k) / (n - 1) : 0);
        return { ch, p, x0: Math.round(x - w / 2), x1: Math.round(x + w / 2) };
      });
      l.chars = [...l.chars.slice(0, from), ...fixed, ...l.chars.slice(to)];
      l.text = l.chars.map((c) => c.ch).join('');
      keys.set(l, keyed(l));
      for (const o of out)
        if (o.line === l && o.at >= to) {
          o.at += n - (to - from);
          o.end += n - (to - from);
        }
      out.push({ line: l, at: from, end: from + n, option: opt });
    }
  }
  return out.map(({ line, at, option }) => ({ line, at, option }));
}

/** A line's text in match keys, and for each key character the index of its char in the line. */
function keyed(l: OcrLine): { key: string; index: number[] } {
  let key = '';
  const index: number[] = [];
  l.chars.forEach((c, i) => {
    const k = matchKey(c.ch);
    key += k;
    for (let u = 0; u < k.length; u++) index.push(i);
  });
  return { key, index };
}

/** The substring of `s` closest to `p` (edit distance) that `ok` accepts, as key indices [from, to). */
function approximate(s: string, p: string, ok: (from: number, to: number, d: number) => boolean): { from: number; to: number; d: number } | undefined {
  let best: { from: number; to: number; d: number } | undefined;
  for (let len = Math.max(1, p.length - 2); len <= p.length + 2; len++)
    for (let i = 0; i + len <= s.length; i++) {
      const d = distance(s.slice(i, i + len), p);
      if ((!best || d < best.d) && ok(i, i + len, d)) best = { from: i, to: i + len, d };
    }
  return best;
}

/** The option labels of the kinds' check-box groups, one list per group. */
function optionLabels(kinds: Kind[]): string[][] {
  const out = new Map<string, string[]>();
  for (const k of kinds)
    for (const v of templateOf(k).values) {
      const options = (v.checkboxes?.options ?? []).map(matchKey);
      if (options.length) out.set(options.join('\n'), options);
    }
  return [...out.values()];
}

/** Map OCR pages to the best-matching kind's record. Returns undefined when no kind fits. */
export function parseOcr(pages: OcrPageImage[], opts: { kind?: string; threshold: number }): OcrParse | undefined {
  const forced = opts.kind ? getKind(opts.kind) : undefined;
  const kinds = forced ? [forced] : allKinds();
  const conf: Conf = new Map();
  const prepared = preparePages(pages.map((p) => toPageData(p, kinds, conf)));
  let best: { kind: Kind; r: ReturnType<typeof readTemplate> } | undefined;
  for (const kind of kinds) {
    const r = readTemplate(templateOf(kind), prepared);
    if (!best || r.score > best.r.score) best = { kind, r };
  }
  // Even a kind named by the caller needs some of its labels on the page: a page of something else
  // gives no record rather than an empty one.
  if (!best || best.r.score < (forced ? 0.25 : 0.5)) return undefined;
  const { kind, r } = best;
  const t = templateOf(kind);
  // Recognition confidence of each field: the weakest OCR item of its value cell.
  const ocrConf = new Map<string, number>();
  // The lines a field's cell was read from, when the cell holds that field alone.
  const cellLines = new Map<string, OcrLine[]>();
  // Fields whose text lay under a seal, or lost a character.
  const sealed = new Set<string>();
  const skippedIn = new Set<string>();
  for (const v of locateValues(t, prepared).located) {
    const hint = v.slot.hint ? matchKey(v.slot.hint) : undefined;
    const items = v.items.filter((it) => !hint || !isHint(matchKey(it.str), hint));
    const c = items.reduce((m, it) => Math.min(m, conf.get(it)?.confidence ?? 1), 1);
    // The label found matters less than the text read: a label matched loosely still names its cell.
    for (const f of v.slot.fields) ocrConf.set(f, c * (0.6 + 0.4 * v.confidence));
    if (v.slot.fields.length === 1) cellLines.set(v.slot.fields[0], [...new Set(items.map((it) => conf.get(it)?.line))].filter((l): l is OcrLine => !!l));
    const read = items.map((it) => conf.get(it)).filter((x) => x !== undefined);
    if (read.some((x) => underSeal(x.img, x.line))) for (const f of v.slot.fields) sealed.add(f);
    if (read.some((x) => x.skipped)) for (const f of v.slot.fields) skippedIn.add(f);
  }
  const pageMean = mean([...conf.values()].map((c) => c.confidence));
  // Printed hints of value cells, which handwriting runs into.
  const hints = new Map<string, string>();
  for (const v of t.values) if (v.hint) for (const f of v.fields) hints.set(f, v.hint);
  const record: Record<string, unknown> = {};
  const fields: Record<string, OcrField> = {};
  const review: string[] = [];
  for (const [ptr, reading] of r.values) {
    let value: unknown;
    let factor = 1;
    const reasons: string[] = [];
    if (Array.isArray(reading.raw)) value = reading.raw;
    else {
      const hint = hints.get(ptr);
      const schema = kind.schema.at(ptr);
      let raw = hint ? stripHint(reading.raw, hint) : reading.raw;
      const read = raw;
      if (schema?.['x-display'] === 'personName') raw = withSurname(raw, cellLines.get(ptr) ?? []);
      const fixed = ocrFix(kind, ptr, raw);
      const n = normaliseValue(schema, fixed);
      if (n.value === '' || n.value === undefined) continue;
      value = n.value;
      factor = n.ok ? 1 : 0.5;
      // A correction that changed what was read (not only its spacing, punctuation or letter case).
      if (raw !== read || contentOf(fixed) !== contentOf(read)) reasons.push(REVIEW_REASONS.corrected);
      // A code that fails its check: read again from the recogniser's alternatives, by its format.
      const declared = formatOf(schema);
      const format = declared?.code ? codeFormatOf(declared) : undefined;
      // …unless it has the code's shape and the recogniser was sure of every character: then the
      // form carries a wrong code, which staff must see as written (flagged as failing its check),
      // not one made to pass.
      const lines = cellLines.get(ptr) ?? [];
      const found = !n.ok && format && !readSurely(String(value), lines, format) ? byFormat(lines, format) : undefined;
      // …and it may put right only characters read with doubt: one read surely stays as written
      const again = found && !overrulesSure(found.text, lines, format!) ? found : undefined;
      if (again) {
        value = again.text;
        // found, not read: still for staff to check unless the recogniser all but read it so
        factor = again.ratio > 0.5 ? 0.95 : 0.8;
        reasons.push(REVIEW_REASONS.corrected);
      } else if (!n.ok) reasons.push(n.reason ?? REVIEW_REASONS.failsFormat);
      else if (n.reason) reasons.push(n.reason);
    }
    setAt(record, ptr, value);
    const confidence = Math.round((ocrConf.get(ptr) ?? pageMean * reading.confidence) * factor * 1000) / 1000;
    const f: OcrField = { confidence, page: reading.page + 1, ...(reading.box ? { box: reading.box } : {}) };
    if (confidence < opts.threshold) reasons.push(REVIEW_REASONS.lowConfidence);
    if (sealed.has(ptr)) reasons.push(REVIEW_REASONS.underSeal);
    if (skippedIn.has(ptr)) reasons.push(REVIEW_REASONS.skipped);
    if (reasons.length) {
      f.needsReview = true;
      f.reason = withReasons(undefined, reasons);
      review.push(ptr);
    }
    fields[ptr] = f;
  }
  const v = validateRecord(kind, record);
  for (const e of v.errors)
    if (e.path && fields[e.path]) {
      const f = fields[e.path];
      f.needsReview = true;
      f.reason = withReasons(f.reason, [REVIEW_REASONS.invalid]);
      if (!review.includes(e.path)) review.push(e.path);
    }
  return { kind, record, valid: v.valid, errors: v.errors, warnings: v.warnings, fields, needsReview: review.sort(), score: r.score };
}

/** A format's code shape as OCR reads it, made once per format. */
const codeFormats = new Map<FieldFormat, CodeFormat>();
function codeFormatOf(f: FieldFormat): CodeFormat {
  let c = codeFormats.get(f);
  if (!c) codeFormats.set(f, (c = codeFormat(f.code!)));
  return c;
}

/** Text without spacing, separators and case, full-width forms folded: what a correction must change to count as one. */
const contentOf = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s,.;:()、。\-_·]/g, '')
    .toUpperCase();

/**
 * Whether red ink (a seal) covers part of a line's characters: a character's box with at least 6 %
 * of it red. Red drawn over text changes what is read (有 → 气) and is removed before reading, so
 * what lay under it is for staff to compare with the paper.
 */
export function underSeal(img: OcrPageImage, l: OcrLine): boolean {
  const red = img.red;
  if (!red) return false;
  const W = img.page.width;
  const [, y0, , y1] = l.box;
  const boxes: Box[] = l.chars.length ? l.chars.map((c) => [c.x0, y0, c.x1, y1]) : [l.box];
  return boxes.some(([a, b, c, d]) => {
    const x0 = Math.max(0, Math.round(a)),
      x1 = Math.min(W, Math.round(c)),
      ya = Math.max(0, Math.round(b)),
      yb = Math.min(img.page.height, Math.round(d));
    let n = 0;
    for (let y = ya; y < yb; y++) for (let x = x0; x < x1; x++) n += red[y * W + x];
    return n >= 0.06 * Math.max(1, (x1 - x0) * (yb - ya));
  });
}

/** A value of the code's length and characters whose every character was read at SURE or more. */
function readSurely(value: string, lines: OcrLine[], format: CodeFormat): boolean {
  const chars = [...value];
  if (chars.length !== format.length || chars.some((c, i) => !format.allowed(i).includes(c))) return false;
  return lines.length > 0 && lines.every((l) => l.chars.every((c) => !c.ch.trim() || c.p >= SURE));
}

/** A cell's lines in reading order: by rows, then left to right. */
function readingOrder(lines: OcrLine[]): OcrLine[] {
  return [...lines].sort((a, b) => (Math.abs(a.box[1] - b.box[1]) > (a.box[3] - a.box[1]) / 2 ? a.box[1] - b.box[1] : a.box[0] - b.box[0]));
}

/**
 * Whether a code found by its format differs from the reading at a character the recogniser was
 * sure of (SURE): where the reading has the code's length, position by position. A form whose code
 * was written with a wrong check character (8 printed where 5 would pass) is then kept as written.
 */
export function overrulesSure(found: string, lines: OcrLine[], format: CodeFormat): boolean {
  const chars = readingOrder(lines).flatMap((l) => l.chars.filter((c) => c.ch.trim()));
  if (chars.length !== format.length || found.length !== format.length) return false;
  return chars.some((c, i) => c.p >= SURE && format.fold(c.ch) !== found[i]);
}

/** A code read again from its cell's lines (in reading order) by its format; undefined when nothing fits. */
function byFormat(lines: OcrLine[], format: CodeFormat): { text: string; ratio: number } | undefined {
  if (!lines.length || lines.some((l) => !l.steps)) return undefined;
  const sorted = readingOrder(lines);
  // one line read from several crops: all of them together; else the lines in order
  const r = readCode(sorted.length === 1 && sorted[0].variants ? [sorted[0].steps!, ...sorted[0].variants] : [sorted.flatMap((l) => [...l.steps!, { ch: [''], p: [1] }])], format);
  if (process.env.BANGBAN_OCR_CODES) process.stderr.write(`code ${sorted.map((l) => l.text).join('|')} → ${r?.text} ${r?.ratio.toExponential(2)}\n`);
  return r;
}

/**
 * A personal name starts with a surname: a first character that is none (雀), read with doubt
 * (under 0.7), becomes the surname among the recogniser's alternatives at that place (崔), if one
 * came close (a third of its probability or more). Names that start otherwise (阿依古丽), or a
 * rare surname read with confidence, keep their reading.
 */
export function withSurname(raw: string, lines: OcrLine[]): string {
  const first = raw.trimStart()[0];
  if (!first || !HAN.test(first) || isSurname(first)) return raw;
  for (const l of lines) {
    const c = l.chars.find((c) => HAN.test(c.ch));
    if (c?.ch !== first || c.t === undefined || !l.steps) continue;
    const st = l.steps[c.t];
    if (st.p[0] >= 0.7) return raw;
    const k = st.ch.findIndex((ch, k) => k > 0 && isSurname(ch) && st.p[k] >= st.p[0] / 3);
    return k < 0 ? raw : raw.replace(first, st.ch[k]);
  }
  return raw;
}

/** A printed hint such as (此处加盖单位公章), or most of it. */
function isHint(k: string, hint: string): boolean {
  if (k.length < 3) return false;
  if (hint.includes(k) || k.includes(hint)) return true;
  let common = 0;
  for (const ch of new Set(k)) if (hint.includes(ch)) common++;
  return common / new Set(k).size > 0.7;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 1);

/**
 * OCR reads ASCII punctuation between Chinese characters; Chinese text uses the full-width forms.
 * The enumeration comma comes out as the radical 丶, which no text uses, and a blank between two
 * digits (12 60号) is the width of a digit pair, not a space anyone typed.
 */
function chinesePunctuation(s: string): string {
  return s
    .replace(/丶/g, '、')
    .replace(/(?<=\d) (?=\d)/g, '')
    // (the blanks OCR puts around a bracket next to Chinese characters go with it)
    .replace(new RegExp(`\\( ?(?=[${HAN_RANGE}])`, 'g'), '（')
    .replace(new RegExp(`(?<=[${HAN_RANGE}]) （`, 'g'), '（')
    .replace(new RegExp(`(?<=[${HAN_RANGE}]) ?\\)`, 'g'), '）')
    .replace(new RegExp(`(?<=[${HAN_RANGE}]),`, 'g'), '，')
    .replace(new RegExp(`(?<=[${HAN_RANGE}]);`, 'g'), '；');
}

/** Characters of code alphabets that handwriting and OCR confuse. */
const LOOKALIKE: Record<string, string[]> = { '0': ['D', 'Q', '8'], '1': ['7', 'L', 'T'], '2': ['Z', '7'], '3': ['8'], '4': ['A', '9'], '5': ['6', '3'], '6': ['G', '5', 'b'], '7': ['1', 'T'], '8': ['B', '3', '0'], '9': ['4', 'Q'], A: ['4'], B: ['8'], D: ['0'], G: ['6'], J: ['T', '1'], L: ['1'], M: ['N', 'W'], N: ['M', 'H'], Q: ['0', '9'], T: ['J', '7', '1'], U: ['W', 'Y'], W: ['M', 'U'], X: ['Y', 'K'], Y: ['X', 'U'], H: ['N'], K: ['X'], P: ['R'], R: ['P'] };

const DIGITLIKE: Record<string, string> = { O: '0', o: '0', D: '0', Q: '0', I: '1', l: '1', '|': '1', i: '1', Z: '2', z: '2', S: '5', s: '5', B: '8', G: '6', g: '9' };

/**
 * Corrections for what OCR confuses, by what the field's format declares (core/formats.ts): a code
 * with a check character, or a value written in digits. Text of other fields gets Chinese
 * punctuation and the kind's place names.
 */
export function ocrFix(kind: Kind, ptr: string, raw: string): string {
  const s = kind.schema.at(ptr);
  const format = formatOf(s);
  if (format?.code) {
    const valid = (c: string) => format.check(c) === null;
    const v = raw.replace(/[\s\-_.·]/g, '').toUpperCase();
    if (valid(v)) return v;
    // Characters the code cannot hold are the ones they look like (its alphabet has no I, O …).
    const fold = codeFormatOf(format).fold;
    const fixed = [...v].map((c) => fold(c) || c).join('');
    if (valid(fixed)) return fixed;
    // One character confused with a look-alike: the check character tells which, if only one fits.
    const fits = new Set<string>();
    for (let i = 0; i < fixed.length; i++)
      for (const alt of LOOKALIKE[fixed[i]] ?? []) {
        const c = fixed.slice(0, i) + alt + fixed.slice(i + 1);
        if (valid(c)) fits.add(c);
      }
    return fits.size === 1 ? [...fits][0] : v;
  }
  if (format?.digits) return raw.replace(/[A-Za-z|](?![A-Za-z])/g, (c: string) => DIGITLIKE[c] ?? c).replace(/(?<=\d)\s+(?=\d)/g, '');
  // Names are Chinese characters: a dash or a one read there is 一.
  // A vertical stroke at either end is the cell's border.
  raw = raw.replace(/^[丨|｜]+|[丨|｜]+$/g, '');
  // Punctuation read into the blank of a spaced name (钟，超) is none of it (· of minority names stays).
  if (s?.['x-display'] === 'personName') return raw.replace(new RegExp(`(?<=[${HAN_RANGE}])[-—–_1lI|](?=[${HAN_RANGE}]|$)`, 'g'), '一').replace(new RegExp(`(?<=[${HAN_RANGE}])\\s*[，,、。.;；:：]\\s*(?=[${HAN_RANGE}])`, 'g'), '');
  if (s?.format) return raw;
  // A dash between Chinese numerals (一二—六室) is the numeral 一, one flat stroke like it.
  raw = raw.replace(/(?<=[零〇一二三四五六七八九十百千])[-—–－](?=[零〇一二三四五六七八九十百千])/g, '一');
  return chinesePunctuation(fixPlaces(raw, kind.def.lexicon?.places ?? []));
}
