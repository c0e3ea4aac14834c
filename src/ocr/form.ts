/**
 * The parser's entry for scans: `parseForm` hands image files and image-only PDFs here, and gets a
 * ParseResult with source "ocr", per-field confidences and the fields that need review.
 * Loaded lazily, so reading text PDFs never loads the OCR models.
 */
import { ParseFailure } from '../parse/pdf.js';
import { NoImages, parseScan, scanType } from './index.js';

export { scanType };

/** Whether the bytes are an image file OCR reads (PNG, JPEG, TIFF, WebP). */
export function isImage(bytes: Uint8Array): boolean {
  const t = scanType(bytes);
  return t !== undefined && t !== 'pdf';
}

export async function parseScanForm(bytes: Uint8Array, opts: { kind?: string; file?: string; threshold?: number; view?: boolean }) {
  let r;
  try {
    r = await parseScan(bytes, opts);
  } catch (e) {
    if (e instanceof ParseFailure) throw e;
    if (e instanceof NoImages) throw new ParseFailure('not-a-form', `${e.message}，无法识别表单`);
    throw new ParseFailure('unreadable', `无法读取图像（${(e as Error).message}）`);
  }
  if (!r.kind) throw new ParseFailure('not-a-form', '扫描件中没有找到可识别的表单栏目');
  return {
    ...(opts.file !== undefined ? { file: opts.file } : {}),
    kind: r.kind,
    source: 'ocr' as const,
    record: r.record,
    valid: r.valid,
    errors: r.errors,
    warnings: r.warnings,
    fields: r.fields,
    needsReview: r.needsReview,
    pages: r.pages,
    ...(r.pageImages ? { pageImages: r.pageImages } : {}),
  };
}
