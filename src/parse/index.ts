/**
 * Filled forms back into records. A PDF's AcroForm fields (named by dotted record paths) are read
 * when present; otherwise its text is read through the kind's layout. The kind is recognised from
 * the content unless the caller names one.
 */
import { readFile, stat } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { Kind } from '../core/kind.js';
import type { Issue } from '../core/errors.js';
import { validateRecord } from '../core/records.js';
import { dottedToPointer, setAt } from '../core/pointer.js';
import { allKinds, getKind } from '../kinds/index.js';
import { isUnfilled, normaliseValue } from './normalize.js';
import { foldText } from '../core/normalizeText.js';
import { UserError } from '../core/errors.js';
import { chineseReason, ParseFailure, readPdf, DEFAULT_LIMITS, type FailureCode, type PageData, type PdfData, type ReadLimits } from './pdf.js';
import { preparePages, readTemplate, type Reading } from './read.js';
import { matchKey, templateOf } from './template.js';
import { frameOf, toFieldBox, union, type FieldBox } from './position.js';
import type { Rect } from './geometry.js';

export { ParseFailure, type FailureCode, type ReadLimits } from './pdf.js';
export type { FieldBox } from './position.js';

export interface FieldInfo {
  confidence: number;
  /** 1-based page number. */
  page: number;
  /** Staff should check it: it fails its format's check, was corrected to pass it, or (OCR) was read with doubt. */
  needsReview?: boolean;
  /** Why it needs review, in Chinese. */
  reason?: string;
  /**
   * Where on page `page` the value was read: its cell (else its text; a form field's widget; the
   * options of a check-box list), as fractions (0–1) of the width and height of the page turned
   * upright, origin top-left. See docs/parse.md, "Where a value was read".
   */
  box?: FieldBox;
}

/** A page as the reader saw it, for showing it beside the fields. */
export interface PageView {
  /** 0-based */
  index: number;
  /** Of the upright page the boxes refer to: points for a PDF, pixels for a scan. */
  width: number;
  height: number;
  /**
   * Clockwise degrees (0, 90, 180, 270) that turn the page as shown (a PDF page with its /Rotate, an
   * image with its EXIF orientation) upright, into the frame of the fields' boxes.
   */
  rotation: number;
}

export interface ParseResult {
  file?: string;
  kind: string;
  source: 'fields' | 'text' | 'ocr';
  record: Record<string, unknown>;
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  fields: Record<string, FieldInfo>;
  /** Pointers of the fields staff should check (each with `fields[pointer].reason`). */
  needsReview?: string[];
  /** Each page read, in order (OCR adds its dpi, skew …). */
  pages?: PageView[];
  /**
   * With the option `pageImages`, for a scan: each page as JPEG, turned, deskewed and (photos)
   * flattened as the reader read it — the picture the boxes fit exactly.
   */
  pageImages?: Uint8Array[];
}

export interface ParseOptions {
  /** Force a kind instead of recognising it. */
  kind?: string | Kind;
  /** Shown in the result. */
  file?: string;
  limits?: ReadLimits;
  /** For scans: return each page's picture as read (ParseResult.pageImages). Costs a little time; PDFs with text ignore it. */
  pageImages?: boolean;
}

/** A form found in a file of several: the pages it spans (1-based, inclusive). */
export type PageRange = [number, number];

/** A page group of a multi-form file that could not be read as a form. */
export interface FormFailure {
  file?: string;
  pageRange: PageRange;
  code: FailureCode;
  error: string;
}

export type FormReading = (ParseResult & { pageRange?: PageRange }) | FormFailure;

export const isFormFailure = (r: FormReading): r is FormFailure => 'error' in r;

/** Image-only PDFs longer than this are refused: OCR reads one form per file (docs/parse.md, Limits). */
export const MAX_SCAN_PAGES = 6;

/**
 * Parse a file holding one form. A file of several forms is refused (`several-forms`): read it
 * with parseForms. Throws ParseFailure when the file cannot be read as a form.
 */
export async function parseForm(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParseResult> {
  return single(await parseForms(bytes, opts));
}

function single(readings: FormReading[]): ParseResult {
  if (readings.length > 1) {
    const ranges = readings.map((r) => `第 ${r.pageRange![0]}–${r.pageRange![1]} 页`).join('、');
    throw new ParseFailure('several-forms', `文件里有 ${readings.length} 份表单（${ranges}），请逐份读取（parseForms）`);
  }
  const r = readings[0];
  if (isFormFailure(r)) throw new ParseFailure(r.code, r.error);
  return r;
}

/**
 * Every form in a file: one reading per form, in page order. A text PDF is split where a page
 * begins with a kind's title; a one-form file gives one reading without `pageRange`, exactly as
 * parseForm. Throws ParseFailure (always with a Chinese reason) when the file cannot be read.
 */
export async function parseForms(bytes: Uint8Array, opts: ParseOptions = {}): Promise<FormReading[]> {
  try {
    return await readForms(bytes, opts);
  } catch (e) {
    // a library's English in a reason (OCR's image decoder …) becomes Chinese
    if (e instanceof ParseFailure) throw new ParseFailure(e.code, e.message.replace(/（([^（）]*[A-Za-z]{4,}[^（）]*)）/g, (_, inner: string) => `（${chineseReason(inner)}）`));
    if (e instanceof UserError) throw new ParseFailure('unreadable', e.message);
    throw new ParseFailure('unreadable', `无法读取（${chineseReason(String((e as Error)?.message ?? e))}）`);
  }
}

async function readForms(bytes: Uint8Array, opts: ParseOptions): Promise<FormReading[]> {
  // Scans (image files, image-only PDFs) are read by OCR (src/ocr), loaded only when needed.
  const ocr = () => withTimeout(import('../ocr/form.js').then((m) => m.parseScanForm(bytes, { kind: typeof opts.kind === 'string' ? opts.kind : opts.kind?.name, file: opts.file, view: opts.pageImages })), opts.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs);
  if (isImageBytes(bytes)) return [await ocr()];
  const pdf = await readPdf(bytes, opts.limits);
  const forced = typeof opts.kind === 'string' ? getKind(opts.kind) : opts.kind;
  const fromFields = readFields(pdf, forced);
  if (fromFields) {
    refuseBlank(fromFields.kind, fromFields.values);
    return [finish(opts.file, fromFields.kind, 'fields', fromFields.values, pdf.pages)];
  }
  if (!pdf.pages.some((p) => p.items.some((i) => i.str.trim()))) {
    if (pdf.numPages > MAX_SCAN_PAGES) throw new ParseFailure('too-many-pages', `扫描件 PDF 共 ${pdf.numPages} 页，超过一份表单的上限 ${MAX_SCAN_PAGES} 页：多份表单请分别扫描成单独的文件`);
    return [await ocr()];
  }
  const candidates = forced ? [forced] : allKinds();
  const groups = formGroups(pdf.pages, candidates);
  if (groups.length === 1) return [readGroup(opts.file, groups[0], candidates, forced)];
  return groups.map((g) => {
    const pageRange: PageRange = [g[0].index + 1, g[g.length - 1].index + 1];
    try {
      return { ...readGroup(opts.file, g, candidates, forced), pageRange };
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      return { ...(opts.file !== undefined ? { file: opts.file } : {}), pageRange, code: e.code, error: e.message };
    }
  });
}

/** A scan's reading, bounded in time as a PDF's is (readPdf): a damaged image must not hang the caller. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ParseFailure('timeout', `读取超时（超过 ${ms / 1000} 秒）`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
    p.catch(() => undefined);
  }
}

/** The text of a page's first lines, top down, for finding a form's title. */
function topLines(p: PageData, n: number): string[] {
  const lines: { y: number; size: number; text: string }[] = [];
  for (const i of [...p.items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    if (!i.str.trim()) continue;
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - i.y) < Math.max(2, last.size / 2)) last.text += i.str;
    else if (lines.length === n) break;
    else lines.push({ y: i.y, size: i.size, text: i.str });
  }
  return lines.map((l) => matchKey(l.text));
}

/**
 * Pages grouped into forms: a new form begins on a page one of whose first lines is a kind's title
 * (the first fixed text its layout prints), as a line of its own — a title quoted in a sentence
 * (a notice's 回执) does not begin one. Pages before the first title belong to the first form.
 */
function formGroups(pages: PageData[], candidates: Kind[]): PageData[][] {
  const titles = candidates.map((k) => templateOf(k).anchors[0]).filter((t): t is string => !!t);
  const groups: { pages: PageData[]; titled: boolean }[] = [];
  for (const p of pages) {
    const titled = topLines(p, 4).some((l) => titles.includes(l));
    const last = groups[groups.length - 1];
    // untitled pages before the first title join it (a two-page form with its pages swapped)
    if (!last || (titled && last.titled)) groups.push({ pages: [p], titled });
    else {
      last.pages.push(p);
      last.titled ||= titled;
    }
  }
  return groups.map((g) => g.pages);
}

/** One form's pages read with the kind whose labels and fixed text are found best. */
function readGroup(file: string | undefined, pages: PageData[], candidates: Kind[], forced?: Kind): ParseResult {
  const prepared = preparePages(pages);
  let best: { kind: Kind; values: Map<string, Reading>; score: number; labelsFound: number } | undefined;
  for (const kind of candidates) {
    const r = readTemplate(templateOf(kind), prepared);
    if (!best || r.score > best.score) best = { kind, values: r.values, score: r.score, labelsFound: r.labelsFound };
  }
  // a page of another document, or of another kind than the caller named: refused, never read into a record
  if (!best || best.score < (forced ? 0.3 : 0.5)) {
    if (forced) throw new ParseFailure('not-a-form', `不是${forced.title}（只找到 ${best?.labelsFound ?? 0} 个栏目）${otherKind(prepared, forced)}`);
    const text = pages.some((p) => p.items.some((i) => i.str.trim()));
    throw new ParseFailure('not-a-form', text ? `不是可识别的表单（没有找到${allKinds().map((k) => k.title).join('或')}的栏目）` : '页面上没有文字（可能是扫描件），无法识别表单');
  }
  refuseBlank(best.kind, best.values);
  return finish(file, best.kind, 'text', best.values, pages);
}

/** A form with nothing filled in is no record. */
function refuseBlank(kind: Kind, values: Map<string, Reading>): void {
  const filled = [...values].some(([p, r]) => (Array.isArray(r.raw) ? r.raw.length > 0 : !isUnfilled(kind.schema.at(p), r.raw)));
  if (!filled) throw new ParseFailure('blank', `这是一份空白的${kind.title}，没有填写任何内容`);
}

/** What the pages are instead, when another kind fits them: `，而是授权委托书`. */
function otherKind(prepared: ReturnType<typeof preparePages>, except: Kind): string {
  const other = allKinds()
    .filter((k) => k.name !== except.name)
    .map((k) => ({ k, score: readTemplate(templateOf(k), prepared).score }))
    .sort((a, b) => b.score - a.score)[0];
  return other && other.score >= 0.5 ? `，而是${other.k.title}` : '';
}

/** PNG, JPEG, TIFF or WebP, by magic number. */
function isImageBytes(b: Uint8Array): boolean {
  return (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e) || (b[0] === 0xff && b[1] === 0xd8) || (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a) || (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45);
}

/** The bytes of a form file; a missing, unreadable or too large file is a ParseFailure. */
async function readInput(path: string, limits?: ReadLimits): Promise<Buffer> {
  const max = limits?.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new ParseFailure('unreadable', `${path} 是文件夹`);
    if (s.size > max) throw new ParseFailure('too-large', `文件过大（${Math.round(s.size / 1048576)} MB，上限 ${Math.round(max / 1048576)} MB）`);
    return await readFile(path);
  } catch (e) {
    if (e instanceof ParseFailure) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ParseFailure('unreadable', code === 'ENOENT' ? `找不到文件 ${path}` : `无法读取 ${path}（${code ?? (e as Error).message}）`);
  }
}

/** Read a file holding one form and parse it; a missing or unreadable file is a ParseFailure too. */
export async function parseFile(path: string, opts: Omit<ParseOptions, 'file'> = {}): Promise<ParseResult> {
  return single(await parseFileForms(path, opts));
}

/** Every form in a file (see parseForms). */
export async function parseFileForms(path: string, opts: Omit<ParseOptions, 'file'> = {}): Promise<FormReading[]> {
  return parseForms(await readInput(path, opts.limits), { ...opts, file: path });
}

/** AcroForm fields named by the record's dotted paths; checkboxes `<list>.<option>`. */
function readFields(pdf: PdfData, forced?: Kind): { kind: Kind; values: Map<string, Reading> } | undefined {
  if (!pdf.fields.size) return undefined;
  let best: { kind: Kind; values: Map<string, Reading>; hits: number } | undefined;
  for (const kind of forced ? [forced] : allKinds()) {
    const values = new Map<string, Reading>();
    // the widgets of each check-box list's options, on the list's page
    const optionRects = new Map<string, Rect[]>();
    let hits = 0;
    for (const [name, f] of pdf.fields) {
      const pointer = dottedToPointer(name);
      const s = kind.schema.at(pointer);
      if (s && typeof f.value === 'string') {
        hits++;
        const box = pdf.pages[f.page] && toFieldBox(pdf.pages[f.page], f.rect);
        if (f.value.trim()) values.set(pointer, { raw: foldText(f.value), confidence: 1, page: f.page, ...(box ? { box } : {}) });
        continue;
      }
      // a checkbox for one option of a list: services.事前辅导
      const dot = name.lastIndexOf('.');
      if (dot < 0 || typeof f.value !== 'boolean') continue;
      const list = dottedToPointer(name.slice(0, dot));
      const option = name.slice(dot + 1);
      const ls = kind.schema.at(list);
      if (ls?.type !== 'array' || !(ls.items?.enum ?? []).includes(option)) continue;
      hits++;
      const cur = values.get(list) ?? { raw: [] as string[], confidence: 1, page: f.page };
      if (f.value) (cur.raw as string[]).push(option);
      values.set(list, cur);
      if (f.rect && f.page === cur.page) optionRects.set(list, [...(optionRects.get(list) ?? []), f.rect]);
    }
    for (const [list, rects] of optionRects) {
      const r = values.get(list)!;
      const box = pdf.pages[r.page] && toFieldBox(pdf.pages[r.page], union(rects));
      if (box) r.box = box;
    }
    for (const [pointer, r] of values) {
      const order = kind.schema.at(pointer)?.items?.enum;
      if (Array.isArray(r.raw) && order) r.raw.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    }
    if (!best || hits > best.hits) best = { kind, values, hits };
  }
  return best && best.hits >= Math.min(3, pdf.fields.size) ? best : undefined;
}

function finish(file: string | undefined, kind: Kind, source: 'fields' | 'text', values: Map<string, Reading>, pages: PageData[]): ParseResult {
  const record: Record<string, unknown> = {};
  const fields: Record<string, FieldInfo> = {};
  for (const [pointer, r] of values) {
    if (Array.isArray(r.raw)) {
      // what the document prints when the record leaves the list out: leave it out again
      const items = r.raw.map((x) => normaliseValue(kind.schema.at(`${pointer}/0`), x).value);
      if (isDeepStrictEqual(kind.schema.at(pointer)?.default, items)) continue;
      setAt(record, pointer, items);
      fields[pointer] = { confidence: round(r.confidence), page: r.page + 1, ...(r.box ? { box: r.box } : {}) };
      continue;
    }
    if (isUnfilled(kind.schema.at(pointer), r.raw)) continue;
    const n = normaliseValue(kind.schema.at(pointer), r.raw);
    if (n.value === '' || n.value === undefined) continue;
    setAt(record, pointer, n.value);
    fields[pointer] = { confidence: round(r.confidence * (n.repaired ? 0.9 : 1) * (n.ok ? 1 : 0.5)), page: r.page + 1, ...(r.box ? { box: r.box } : {}) };
    // failing its check, or changed to pass it: for staff to look at
    if (!n.ok || n.reason) Object.assign(fields[pointer], { needsReview: true, reason: n.reason ?? '格式不正确' });
  }
  const v = validateRecord(kind, record);
  const needsReview = Object.keys(fields).filter((p) => fields[p].needsReview).sort();
  return { ...(file !== undefined ? { file } : {}), kind: kind.name, source, record: ordered(kind, record), valid: v.valid, errors: v.errors, warnings: v.warnings, fields, needsReview, pages: pages.map(pageView) } as ParseResult;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** A page's upright size (points) and the turn from its display to upright. */
function pageView(p: PageData): PageView {
  const f = frameOf(p);
  return { index: p.index, width: round(f.x1 - f.x0), height: round(f.y1 - f.y0), rotation: p.rotation ?? 0 };
}

/** Keys in schema order, so output reads like the form. */
function ordered(kind: Kind, record: Record<string, unknown>): Record<string, unknown> {
  const sort = (value: unknown, schema: { properties?: Record<string, unknown> } | undefined): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !schema?.properties) return value;
    const out: Record<string, unknown> = {};
    const keys = Object.keys(schema.properties);
    for (const k of [...keys, ...Object.keys(value)]) {
      if (k in out || !(k in (value as object))) continue;
      out[k] = sort((value as Record<string, unknown>)[k], schema.properties[k] as { properties?: Record<string, unknown> });
    }
    return out;
  };
  return sort(record, kind.schema.schema as { properties?: Record<string, unknown> }) as Record<string, unknown>;
}
