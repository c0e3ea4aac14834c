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
}

/** Noto Serif SC's natural line is 1.4 × its size (PDFKit's ascender − descender, without gap). */
export const NATURAL_LINE = 1.4;

/**
 * GB/T 9704-2012: A4, top 37 mm, left 28 mm, text block 156 × 225 mm, 22 lines of 28 characters in
 * 3号 (16 pt), so a line pitch of 225 mm / 22 ≈ 28.95 pt. Forms (attachments) use the same block.
 */
export function pageGeometry(style: PageStyle): PageGeometry {
  const margins: [number, number, number, number] = [28 * MM, 37 * MM, 26 * MM, 35 * MM];
  const contentWidth = 156 * MM;
  if (style === 'official') {
    const pitch = (225 * MM) / 22;
    return { margins, contentWidth, bodySize: 16, lineHeight: pitch / (16 * NATURAL_LINE), titleLineHeight: (pitch * 1.2) / (22 * NATURAL_LINE), tableSize: 12, pageNumbers: true, pageNumberOffset: 7 * MM };
  }
  // Forms keep the text block's width but use more of the page's height, to stay on one sheet.
  return { margins: [28 * MM, 28 * MM, 26 * MM, 22 * MM], contentWidth, bodySize: 14, lineHeight: 1.1, titleLineHeight: 1.05, tableSize: 12, pageNumbers: false, pageNumberOffset: 7 * MM };
}
