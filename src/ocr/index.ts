/**
 * Scanned and photographed forms: PNG/JPEG/TIFF/WebP files and image-only PDFs are read offline with
 * PaddleOCR models (npm), pages turned upright and deskewed, and mapped to the kind's fields by its
 * layout labels. The result has the same shape as the text parser's, with source "ocr" and a
 * confidence per field; fields below the threshold are marked `needsReview`.
 */
import type { Issue } from '../core/errors.js';
import { decodeImage, imagePages, toJpeg, type Rgb } from './image.js';
import { ocrImage, type OcrOptions, type OcrPage, type OcrPageImage } from './page.js';
import { openPdf, MAX_PDF_PAGES, type PdfPages } from './pdf.js';
import { pageJpegs, type PageJpeg } from './pdf-jpeg.js';
import { parseOcr, type OcrField } from './parse.js';
import { ParseFailure } from '../parse/pdf.js';
import { matchKey, templateOf } from '../parse/template.js';
import { allKinds, getKind } from '../kinds/index.js';

export type { OcrPage, OcrLine, OcrCheckbox, OcrOptions, Box, Rule } from './page.js';
export { loadEngine } from './engine.js';

/** Fields whose confidence is below this are marked for review. */
export const REVIEW_THRESHOLD = 0.9;

/** Pages read from one image file (multi-page TIFF). */
const MAX_IMAGE_PAGES = 6;

export type ScanType = 'pdf' | 'png' | 'jpeg' | 'tiff' | 'webp';

/** What kind of file the bytes are, by their magic number. */
export function scanType(bytes: Uint8Array): ScanType | undefined {
  const b = bytes;
  if (b.length < 8) return undefined;
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'pdf';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8) return 'jpeg';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)) return 'tiff';
  if (b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45) return 'webp';
  return undefined;
}

/** Whether a PDF's pages are images only (no text layer): such PDFs need OCR. */
export async function isImageOnlyPdf(bytes: Uint8Array): Promise<boolean> {
  const pdf = await openPdf(bytes);
  try {
    return pdf.imageOnly;
  } finally {
    await pdf.close();
  }
}

/** A PDF with neither text nor images: nothing to read. */
export class NoImages extends Error {
  constructor() {
    super('页面上既没有文字也没有扫描图像');
  }
}

/** OCR every page of an image file or PDF: positioned lines, ruled lines, check boxes. */
export async function ocrPages(bytes: Uint8Array, opts: OcrOptions = {}): Promise<OcrPageImage[]> {
  const type = scanType(bytes);
  if (!type) throw new Error('不是可识别的图像或 PDF 文件');
  const out: OcrPageImage[] = [];
  if (type === 'pdf') {
    // a scanner's PDF is read from its JPEGs; a page whose JPEG does not decode cleanly, and any
    // other PDF, is drawn by pdf.js
    const jpegs = await pageJpegs(bytes, MAX_PDF_PAGES);
    let pdf: PdfPages | undefined;
    try {
      if (jpegs) {
        for (const [i, p] of jpegs.entries()) {
          const img = (await jpegPage(p)) ?? (await (pdf ??= await openPdf(bytes)).render(i));
          out.push(await ocrImage(img, i, opts));
        }
        return out;
      }
      pdf = await openPdf(bytes);
      if (!pdf.images) throw new NoImages();
      for (let i = 0; i < Math.min(pdf.numPages, MAX_PDF_PAGES); i++) out.push(await ocrImage(await pdf.render(i), i, opts));
    } finally {
      await pdf?.close();
    }
    return out;
  }
  const n = type === 'tiff' ? Math.min(MAX_IMAGE_PAGES, await imagePages(bytes)) : 1;
  for (let i = 0; i < n; i++) out.push(await ocrImage(await decodeImage(bytes, i), i, opts));
  return out;
}

/** A PDF page's JPEG (`pdf-jpeg.ts`) decoded, at the page's resolution; undefined if it does not decode cleanly. */
async function jpegPage(p: PageJpeg): Promise<Rgb | undefined> {
  try {
    const img = await decodeImage(p.jpeg, 0, { exif: false });
    return { ...img, dpi: (p.dpi * img.width) / p.width };
  } catch {
    return undefined;
  }
}

/** One field as read: confidence 0–1, the 1-based page, and whether staff should check it. */
export type ScanField = OcrField;

export interface ScanResult {
  file?: string;
  kind: string | null;
  source: 'ocr';
  record: Record<string, unknown>;
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  fields: Record<string, ScanField>;
  /** Pointers of the fields below the review threshold, and of required fields not found. */
  needsReview: string[];
  pages: { index: number; width: number; height: number; dpi: number; rotation: number; skew: number; ms: number; lines: number }[];
  /** Set when the file is not a recognised form. */
  error?: string;
  /** With `view`: each page as JPEG, turned and straightened as read (the frame of the fields' boxes). */
  pageImages?: Uint8Array[];
}

export interface ScanOptions extends OcrOptions {
  file?: string;
  /** Force a kind instead of recognising it. */
  kind?: string;
  /** Review threshold (default REVIEW_THRESHOLD). */
  threshold?: number;
}

/** Read a scanned or photographed form into a validated record. */
export async function parseScan(bytes: Uint8Array, opts: ScanOptions = {}): Promise<ScanResult> {
  const pages = await ocrPages(bytes, opts);
  const r = parseOcrPages(pages, opts);
  if (opts.view) r.pageImages = await Promise.all(pages.map((p) => (p.view ? toJpeg(p.view) : new Uint8Array())));
  return r;
}

/** Map OCR pages to a kind's record (recognising the kind unless given) with the text parser's label-and-table logic (src/parse). */
export function parseOcrPages(pages: OcrPageImage[], opts: ScanOptions = {}): ScanResult {
  refuseSeveralForms(pages, opts.kind ? [getKind(opts.kind)] : allKinds());
  const threshold = opts.threshold ?? REVIEW_THRESHOLD;
  const pageInfo = pages.map(({ page }) => pageSummary(page));
  const r = parseOcr(pages, { kind: opts.kind, threshold });
  if (!r) return { file: opts.file, kind: null, source: 'ocr', record: {}, valid: false, errors: [], warnings: [], fields: {}, needsReview: [], pages: pageInfo, error: '不是可识别的表单' };
  return { file: opts.file, kind: r.kind.name, source: 'ocr', record: r.record, valid: r.valid, errors: r.errors, warnings: r.warnings, fields: r.fields, needsReview: r.needsReview, pages: pageInfo };
}

/**
 * Scanned pages of several forms (a kind's title, such as 附件2, among the first lines of more than
 * one page) are refused, never read into one record: OCR cannot tell where each form's values end.
 */
function refuseSeveralForms(pages: OcrPageImage[], kinds: ReturnType<typeof allKinds>): void {
  const titles = new Set(kinds.map((k) => templateOf(k).anchors[0]).filter(Boolean));
  const starts = pages
    .filter(({ page }) => [...page.lines].sort((a, b) => a.box[1] - b.box[1]).slice(0, 4).some((l) => titles.has(matchKey(l.text))))
    .map(({ page }) => page.index + 1);
  if (starts.length > 1) throw new ParseFailure('several-forms', `扫描件里有 ${starts.length} 份表单（第 ${starts.join('、')} 页各起一份）：请每份表单分别扫描成单独的文件再读`);
}

function pageSummary(p: OcrPage) {
  return { index: p.index, width: p.width, height: p.height, dpi: p.dpi, rotation: p.rotation, skew: p.skew, ms: p.ms, lines: p.lines.length };
}
