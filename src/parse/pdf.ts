/**
 * Reading a PDF for the parser: positioned text (pdf.js), ruled lines and AcroForm values (pdf-lib).
 * Bounded: the file's size, the number of pages read and the time spent are all capped, and every
 * failure becomes a ParseFailure with a one-line Chinese reason.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ParseSpeeds, PDFCheckBox, PDFDocument, PDFDropdown, PDFRadioGroup, PDFTextField } from 'pdf-lib';
import { pageRules, type Rules } from './rules.js';
import { decryptOwnerOnly } from './decrypt.js';
import type { Rect } from './geometry.js';
import { turnPoint, turnRect } from './position.js';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const CMAPS = join(pdfjsRoot, 'cmaps') + '/';
const STANDARD_FONTS = join(pdfjsRoot, 'standard_fonts') + '/';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjs ??= (ignorePdfJsLeftovers(), import('pdfjs-dist/legacy/build/pdf.mjs')));

/**
 * pdf.js leaves some of its internal promises unhandled when a damaged file makes it give up
 * (ParserEOFException …), after the failure has reached us through the promise we await; Node
 * would end the process for them. Those are dropped; any other unhandled rejection still ends it.
 */
function ignorePdfJsLeftovers(): void {
  process.on('unhandledRejection', (reason) => {
    const name = (reason as { name?: unknown })?.name;
    if (typeof name === 'string' && /^(\w+Exception|FormatError)$/.test(name)) {
      if (process.env.BANGBAN_DEBUG) process.stderr.write(`（已忽略 pdf.js 的未处理错误：${name}）\n`);
      return;
    }
    throw reason;
  });
}

export type FailureCode = 'not-pdf' | 'too-large' | 'too-many-pages' | 'truncated' | 'encrypted' | 'no-pages' | 'timeout' | 'unreadable' | 'not-a-form' | 'several-forms' | 'blank';

/** The file cannot be read as a form. */
export class ParseFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'ParseFailure';
  }
}

/** A run of text on a page; x, y is the baseline start in PDF user space (y pointing up). */
export interface TextItem {
  str: string;
  x: number;
  y: number;
  w: number;
  size: number;
}

export interface PageData {
  /** 0-based */
  index: number;
  width: number;
  height: number;
  items: TextItem[];
  rules: Rules;
  /** The page's rectangle in the coordinates of its items (absent: 0, 0 to width, height). */
  frame?: Rect;
  /**
   * Clockwise degrees (0, 90, 180, 270) that turn the page as a viewer shows it (its /Rotate
   * applied) into the upright page the reader read, whose text runs left to right.
   */
  rotation?: number;
}

export type FieldValue = string | boolean | string[];

export interface FormField {
  value: FieldValue;
  page: number;
  /** The widget's /Rect, in the coordinates of its page's items. */
  rect?: Rect;
}

export interface PdfData {
  numPages: number;
  pages: PageData[];
  /** AcroForm values by field name, with the page and rectangle of the first widget; empty when there is no form. */
  fields: Map<string, FormField>;
}

export interface ReadLimits {
  /** A file with more pages is refused (never read in part). */
  maxPages?: number;
  maxBytes?: number;
  timeoutMs?: number;
}

/**
 * 400 pages: 200 two-page forms in one file, read in a few seconds; the timeout leaves room for a
 * busy machine. See docs/parse.md (Limits).
 */
export const DEFAULT_LIMITS: Required<ReadLimits> = { maxPages: 400, maxBytes: 64 * 1024 * 1024, timeoutMs: 60000 };

export async function readPdf(bytes: Uint8Array, limits: ReadLimits = {}): Promise<PdfData> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  if (bytes.length > lim.maxBytes) throw new ParseFailure('too-large', `文件过大（${Math.round(bytes.length / 1048576)} MB，上限 ${Math.round(lim.maxBytes / 1048576)} MB）`);
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new ParseFailure('not-pdf', '不是 PDF 文件，也不是可识别的图像（PNG、JPEG、TIFF、WebP）');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ParseFailure('timeout', `读取超时（超过 ${lim.timeoutMs / 1000} 秒）`)), lim.timeoutMs);
  });
  const task = readBounded(bytes, lim);
  try {
    return await Promise.race([task, timeout]);
  } finally {
    clearTimeout(timer);
    task.catch(() => undefined);
  }
}

async function readBounded(bytes: Uint8Array, lim: Required<ReadLimits>): Promise<PdfData> {
  // pdf.js runs its fake worker on promises, which a timer cannot interrupt: check the clock between steps too
  const deadline = Date.now() + lim.timeoutMs;
  const check = () => {
    if (Date.now() > deadline) throw new ParseFailure('timeout', `读取超时（超过 ${lim.timeoutMs / 1000} 秒）`);
  };
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: CMAPS,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONTS,
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    maxImageSize: 1,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    throw pdfjsFailure(e);
  }
  try {
    check();
    const numPages = doc.numPages;
    if (!numPages) throw new ParseFailure('no-pages', 'PDF 没有页面');
    if (numPages > lim.maxPages) throw new ParseFailure('too-many-pages', `PDF 共 ${numPages} 页，超过一次读取的上限 ${lim.maxPages} 页：请拆分成几个文件再读`);
    const pages: PageData[] = [];
    const turns = new Map<number, number>();
    for (let i = 0; i < numPages; i++) {
      let page;
      let tc;
      try {
        page = await doc.getPage(i + 1);
        tc = await page.getTextContent({ disableNormalization: true });
      } catch (e) {
        const f = pdfjsFailure(e);
        throw numPages > 1 ? new ParseFailure(f.code, `第 ${i + 1} 页：${f.message}`) : f;
      }
      const [x0, y0, x1, y1] = page.view as number[];
      const items: TextItem[] = [];
      const dirs: number[] = [];
      for (const it of tc.items) {
        if (!('str' in it) || !it.str) continue;
        const [a, b, c, d, e, f] = it.transform as number[];
        items.push({ str: it.str, x: e, y: f, w: it.width, size: Math.hypot(c, d) || Math.hypot(a, b) });
        dirs.push((Math.round(Math.atan2(b, a) / (Math.PI / 2)) + 4) % 4);
      }
      turns.set(i, mainDirection(items, dirs));
      const frame = { x0: Math.min(x0, x1), x1: Math.max(x0, x1), y0: Math.min(y0, y1), y1: Math.max(y0, y1) };
      pages.push({ index: i, width: x1 - x0, height: y1 - y0, items, rules: { h: [], v: [] }, frame, rotation: page.rotate });
      page.cleanup();
      check();
    }
    const fields = new Map<string, FormField>();
    await quietly(() => structure(bytes, pages, fields));
    // a page drawn turned (its text runs up, down or upside down): read it upright
    for (const p of pages) upright(p, turns.get(p.index) ?? 0);
    for (const f of fields.values()) if (f.rect) f.rect = turnRect(f.rect, turns.get(f.page) ?? 0);
    check();
    return { numPages, pages, fields };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

/** Ruled lines and form fields through pdf-lib; a file pdf-lib cannot load still gives its text. */
async function structure(bytes: Uint8Array, pages: PageData[], fields: PdfData['fields']): Promise<void> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false, parseSpeed: ParseSpeeds.Fastest });
  } catch {
    return;
  }
  // owner-password-only files open without a password: their lines and fields too
  if (doc.isEncrypted && !(await decryptOwnerOnly(doc, bytes).catch(() => false))) return;
  if (doc.getPageCount() === 0) throw new ParseFailure('no-pages', 'PDF 没有页面');
  for (const p of pages) {
    try {
      if (p.index < doc.getPageCount()) {
        p.rules = pageRules(doc, p.index);
      }
    } catch {
      /* no lines: the reader falls back to text alone */
    }
  }
  try {
    const acro = doc.catalog.getAcroForm();
    if (!acro) return;
    const pageRefs = doc.getPages().map((pg) => pg.ref);
    for (const f of doc.getForm().getFields()) {
      let value: FieldValue | undefined;
      if (f instanceof PDFTextField) value = f.getText() ?? '';
      else if (f instanceof PDFCheckBox) value = f.isChecked();
      else if (f instanceof PDFRadioGroup) value = f.getSelected() ?? '';
      else if (f instanceof PDFDropdown) value = f.getSelected();
      if (value === undefined) continue;
      const widget = f.acroField.getWidgets()[0];
      const pref = widget?.P();
      const page = pref ? Math.max(0, pageRefs.findIndex((r) => r === pref)) : 0;
      fields.set(f.getName(), { value, page, rect: widgetRect(widget) });
    }
  } catch {
    /* a broken form dictionary: read the page text instead */
  }
}

/** A widget's /Rect as x0, x1, y0, y1; undefined when it has none worth showing. */
function widgetRect(widget: { getRectangle(): { x: number; y: number; width: number; height: number } } | undefined): Rect | undefined {
  try {
    const r = widget?.getRectangle();
    if (!r || ![r.x, r.y, r.width, r.height].every(Number.isFinite)) return undefined;
    return { x0: Math.min(r.x, r.x + r.width), x1: Math.max(r.x, r.x + r.width), y0: Math.min(r.y, r.y + r.height), y1: Math.max(r.y, r.y + r.height) };
  } catch {
    return undefined;
  }
}

/** The direction most of a page's text runs, in quarter turns counter-clockwise (0: left to right). */
function mainDirection(items: TextItem[], dirs: number[]): number {
  const weight = [0, 0, 0, 0];
  items.forEach((it, k) => (weight[dirs[k]] += [...it.str.trim()].length));
  return weight.indexOf(Math.max(...weight));
}

/** Turn a page's text and lines by `turns` quarter turns clockwise, so that its text runs left to right. */
function upright(p: PageData, turns: number): void {
  p.rotation = (((turns * 90 - (p.rotation ?? 0)) % 360) + 360) % 360;
  if (!turns) return;
  if (p.frame) p.frame = turnRect(p.frame, turns);
  const rot = (pt: [number, number]) => turnPoint(pt, turns);
  for (const it of p.items) [it.x, it.y] = rot([it.x, it.y]);
  const box = <T extends { x1: number; y1: number; x2: number; y2: number }>(s: T): T => {
    const [a, b] = [rot([s.x1, s.y1]), rot([s.x2, s.y2])];
    return { ...s, x1: Math.min(a[0], b[0]), x2: Math.max(a[0], b[0]), y1: Math.min(a[1], b[1]), y2: Math.max(a[1], b[1]) };
  };
  const h = p.rules.h.map(box);
  const v = p.rules.v.map(box);
  p.rules = {
    h: turns === 2 ? h : v,
    v: turns === 2 ? v : h,
    ink: p.rules.ink?.map((r) => {
      const q = box({ x1: r.x0, y1: r.y0, x2: r.x1, y2: r.y1 });
      return { x0: q.x1, y0: q.y1, x1: q.x2, y1: q.y2, outline: r.outline };
    }),
  };
  if (turns !== 2) [p.width, p.height] = [p.height, p.width];
}

/** pdf-lib reports what it skips in a damaged file on the console: not for the user's screen. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const mute = () => undefined;
  Object.assign(console, { log: mute, warn: mute, error: mute });
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

function pdfjsFailure(e: unknown): ParseFailure {
  if (e instanceof ParseFailure) return e;
  const name = (e as { name?: string })?.name ?? '';
  const msg = String((e as Error)?.message ?? e);
  if (name === 'PasswordException') return new ParseFailure('encrypted', 'PDF 需要密码才能打开，无法读取');
  if (name === 'InvalidPDFException' || /Invalid PDF|startxref|xref/i.test(msg)) return new ParseFailure('truncated', `PDF 文件损坏或不完整（${chineseReason(msg)}）`);
  if (/Invalid page|no pages/i.test(msg)) return new ParseFailure('no-pages', 'PDF 没有页面');
  return new ParseFailure('unreadable', `无法读取 PDF（${chineseReason(msg)}）`);
}

/** What the libraries (pdf.js, pdf-lib, sharp, zlib) say, in Chinese; the original only with BANGBAN_DEBUG. */
const REASONS: [RegExp, string][] = [
  [/Invalid PDF structure/i, 'PDF 结构无效'],
  [/startxref|xref|trailer/i, '交叉引用表缺失或损坏（文件可能被截断）'],
  [/flate|FCHECK|block type|invalid (distance|code|stored block)|incorrect header check|unexpected end of file/i, '压缩的数据流损坏'],
  [/pixel limit|too large|exceeds/i, '图像尺寸超过上限'],
  [/unsupported image|corrupt|premature end|bad (huffman|marker)|Input buffer contains unsupported|VipsJpeg|VipsPng|vips/i, '图像数据损坏或格式不支持'],
  [/EACCES|EPERM/, '没有读取权限'],
  [/EIO|EBUSY/, '读取出错'],
  [/memory|allocation/i, '内存不足'],
  [/Missing|Unexpected|Invalid|Bad|Illegal|Expected|Unknown|malformed/i, '文件内容有错误'],
];

export function chineseReason(message: string): string {
  const found = REASONS.find(([re]) => re.test(message));
  const reason = found ? found[1] : '文件内容无法解析';
  return process.env.BANGBAN_DEBUG ? `${reason}：${message}` : reason;
}
