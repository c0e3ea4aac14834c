/**
 * Scanned PDFs whose pages are one JPEG each are read from the JPEG's bytes, not rendered; any
 * other page is left to pdf.js. Model-free.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { PDFDocument, PDFName, degrees, rgb } from 'pdf-lib';
import { ocrPages } from '../src/ocr/index.js';
import { onlyImageDrawn, pageJpegs } from '../src/ocr/pdf-jpeg.js';

const jpeg = readFileSync('fixtures/scans/application-photo.jpg');
const drawn = (content: string) => onlyImageDrawn(new TextEncoder().encode(content));

/** An A4 PDF of the JPEG drawn over the page, changed by `more`. */
async function scanPdf(more: (p: ReturnType<PDFDocument['addPage']>) => void = () => {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const img = await doc.embedJpg(jpeg);
  const page = doc.addPage([595.28, 841.89]);
  page.drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
  more(page);
  return doc.save();
}

describe('ocr: a scanned PDF read from its JPEGs', () => {
  it('what a content stream that only draws an image draws, and with which matrix', () => {
    // pdf-lib's drawImage
    expect(drawn('q\n1 0 0 1 0 0 cm\n1 0 0 1 0 0 cm\n595.28 0 0 841.89 0 0 cm\n1 0 0 1 0 0 cm\n/Image-1 Do\nQ\n')).toEqual({ name: 'Image-1', matrix: [595.28, 0, 0, 841.89, 0, 0] });
    // img2pdf's, and a translation composed with a scale
    expect(drawn('q 595 0 0 842 0 0 cm /Im0 Do Q')?.matrix).toEqual([595, 0, 0, 842, 0, 0]);
    expect(drawn('q 1 0 0 1 10 20 cm 2 0 0 3 0 0 cm /Im0 Do Q')?.matrix).toEqual([2, 0, 0, 3, 10, 20]);
    // a matrix set inside q … Q is gone after it
    expect(drawn('q 2 0 0 2 0 0 cm Q q 595 0 0 842 0 0 cm /Im0 Do Q')?.matrix).toEqual([595, 0, 0, 842, 0, 0]);
  });
  it('…and nothing for a stream that draws anything else', () => {
    expect(drawn('q 595 0 0 842 0 0 cm /Im0 Do Q 0 0 10 10 re f')).toBeUndefined();
    expect(drawn('BT /F1 12 Tf (a) Tj ET q 595 0 0 842 0 0 cm /Im0 Do Q')).toBeUndefined();
    expect(drawn('q 595 0 0 842 0 0 cm /Im0 Do /Im1 Do Q')).toBeUndefined();
    expect(drawn('')).toBeUndefined();
  });
  it('a page that is one JPEG over the whole page gives the JPEG as stored, and its resolution', async () => {
    const pages = await pageJpegs(await scanPdf(), 6);
    expect(pages).toHaveLength(1);
    expect(Buffer.from(pages![0].jpeg).equals(jpeg)).toBe(true);
    const width = jpeg.readUInt16BE(jpeg.indexOf(Buffer.from([0xff, 0xc0])) + 7);
    expect(pages![0].width).toBe(width);
    expect(pages![0].dpi).toBeCloseTo((width / 595.28) * 72, 3);
    // the committed scanned PDF is one
    expect(await pageJpegs(new Uint8Array(readFileSync('fixtures/scans/application-scan.pdf')), 6)).toHaveLength(1);
  });
  it('a page with more on it, turned, or a PDF with text is left to the renderer', async () => {
    expect(await pageJpegs(await scanPdf((p) => p.drawRectangle({ x: 10, y: 10, width: 50, height: 20, color: rgb(1, 0, 0) })), 6)).toBeUndefined();
    expect(await pageJpegs(await scanPdf((p) => p.setRotation(degrees(90))), 6)).toBeUndefined();
    // a stamp or typed text added as an annotation
    expect(await pageJpegs(await scanPdf((p) => p.node.set(PDFName.of('Annots'), p.doc.context.obj([p.doc.context.obj({ Type: 'Annot', Subtype: 'FreeText', Rect: [10, 10, 100, 40] })]))), 6)).toBeUndefined();
    // the image stretched over a page of another shape
    const stretched = await PDFDocument.create();
    stretched.addPage([595.28, 600]).drawImage(await stretched.embedJpg(jpeg), { x: 0, y: 0, width: 595.28, height: 600 });
    expect(await pageJpegs(await stretched.save(), 6)).toBeUndefined();
    expect(await pageJpegs(await scanPdf((p) => p.drawText('Hello', { x: 50, y: 50 })), 6)).toBeUndefined();
    expect(await pageJpegs(new Uint8Array(readFileSync('fixtures/foreign/application-cid-stsong.pdf')), 6)).toBeUndefined();
    expect(await pageJpegs(new TextEncoder().encode('%PDF-1.4 not really'), 6)).toBeUndefined();
  });
  it('a JPEG that does not decode cleanly is drawn by pdf.js instead, not refused', async () => {
    const doc = await PDFDocument.create();
    const img = await doc.embedJpg(jpeg);
    // the scan cut short: libjpeg stops with a warning that sharp takes for an error
    (img as unknown as { embedder: { imageData: Uint8Array } }).embedder.imageData = new Uint8Array(jpeg.subarray(0, Math.round(jpeg.length * 0.8)));
    doc.addPage([595.28, 841.89]).drawImage(img, { x: 0, y: 0, width: 595.28, height: 841.89 });
    const bytes = await doc.save();
    expect(await pageJpegs(bytes, 6)).toHaveLength(1);
    const pages = await ocrPages(bytes);
    expect(pages).toHaveLength(1);
    expect(pages[0].page.lines.length).toBeGreaterThan(10);
  }, 120_000);
});
