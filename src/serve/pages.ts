/**
 * A page of an uploaded file as a JPEG for the review (and the crops of its flagged fields): images
 * turned upright as the reader found them, PDF pages drawn by pdf.js on @napi-rs/canvas (the
 * renderer the reader uses for scanned PDFs), so nothing outside node_modules is needed.
 */
import { openPdf } from '../ocr/pdf.js';
import type { UploadLimits } from './uploads.js';

/** Width of a page image shown beside the fields. */
export const PAGE_WIDTH = 1400;

export class NoPage extends Error {}

export async function pageImage(bytes: Uint8Array, o: { media: string; page: number; rotation: number; limits: UploadLimits }): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  if (o.media === 'pdf') {
    const pdf = await openPdf(bytes);
    try {
      if (o.page < 1 || o.page > Math.min(pdf.numPages, o.limits.maxPages)) throw new NoPage(`没有第 ${o.page} 页`);
      const img = await pdf.render(o.page - 1);
      return await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).resize({ width: PAGE_WIDTH, withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer();
    } finally {
      await pdf.close();
    }
  }
  const meta = await sharp(bytes, { limitInputPixels: o.limits.maxPixels }).metadata();
  if (o.page < 1 || o.page > (meta.pages ?? 1)) throw new NoPage(`没有第 ${o.page} 页`);
  return sharp(bytes, { limitInputPixels: o.limits.maxPixels, page: o.page - 1 }).rotate().rotate(o.rotation).resize({ width: PAGE_WIDTH, withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer();
}
