import type { PageStyle } from '../core/model.js';

const MM = 72 / 25.4;

export interface PageGeometry {
  /** left, top, right, bottom in points */
  margins: [number, number, number, number];
  contentWidth: number;
  bodySize: number;
  /** pdfmake line-height factor for body text */
  lineHeight: number;
  titleLineHeight: number;
  tableSize: number;
  pageNumbers: boolean;
  /** distance from the bottom of the text block to the page number's top */
  pageNumberOffset: number;
  /** Body line pitch in points (official: 225 mm / 22 lines). */
  pitch: number;
  /** pdfmake line-height factor for table text. */
  tableLineHeight: number;
  /** Tracking in points that puts 28 body characters on a line of the official page (0 for forms). */
  characterSpacing: number;
}

/**
 * Noto Serif SC's natural line is 1.437 × its size (PDFKit's ascender − descender, without gap:
 * (1151 + 286) / 1000). Official pages measure the configured body font instead (`naturalLine`).
 */
export const NATURAL_LINE = 1.437;

/**
 * GB/T 9704-2012: A4, top 37 mm, left 28 mm, text block 156 × 225 mm, 22 lines of 28 characters in
 * 3号 (16 pt), so a line pitch of 225 mm / 22 ≈ 28.99 pt. Forms (attachments) use the same width.
 * `naturalLine` is the body font's line height per point of size; `squeeze` < 1 tightens the
 * official pitch (only to keep a signature or a receipt off a page of its own).
 */
export function pageGeometry(style: PageStyle, naturalLine = NATURAL_LINE, squeeze = 1): PageGeometry {
  const margins: [number, number, number, number] = [28 * MM, 37 * MM, 26 * MM, 35 * MM];
  const contentWidth = 156 * MM;
  if (style === 'official') {
    // A hair under 225/22 mm, so rounding never pushes the 22nd line off the page.
    const pitch = ((225 * MM) / 22 - 0.001) * squeeze;
    // 28 characters of 16 pt in 156 mm: 15.79 pt each, i.e. about −0.21 pt of tracking.
    const characterSpacing = contentWidth / 28 - 16 - 0.001;
    return { margins, contentWidth, bodySize: 16, lineHeight: pitch / (16 * naturalLine), titleLineHeight: (pitch * 1.2) / (22 * naturalLine), tableSize: 12, pageNumbers: true, pageNumberOffset: 7 * MM, pitch, tableLineHeight: 1.05, characterSpacing };
  }
  // Forms keep the text block's width but use more of the page's height, to stay on one sheet.
  return { margins: [28 * MM, 28 * MM, 26 * MM, 22 * MM], contentWidth, bodySize: 14, lineHeight: 1.1, titleLineHeight: 1.05, tableSize: 12, pageNumbers: false, pageNumberOffset: 7 * MM, pitch: 14 * 1.1 * naturalLine, tableLineHeight: 1.25, characterSpacing: 0 };
}
