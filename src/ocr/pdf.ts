/**
 * Page images of a scanned (image-only) PDF: each page is rendered by pdf.js (with @napi-rs/canvas)
 * at the resolution of the largest image drawn on it, so a scan comes back at its own dpi whatever
 * its compression (JPEG, Flate, CCITT, JBIG2) and placement.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Rgb } from './image.js';

const require = createRequire(import.meta.url);
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

/** The resolutions scanned pages are drawn at: their images' own, within these. */
export const SCAN_DPI: readonly [number, number] = [150, 400];

/** Pages read from the start of a PDF (forms are one or two pages). */
export const MAX_PDF_PAGES = 6;

export interface PdfPages {
  numPages: number;
  /** Whether the pages carry no text of their own (a scan). */
  imageOnly: boolean;
  /** Images drawn on the pages read. */
  images: number;
  render(index: number): Promise<Rgb>;
  close(): Promise<void>;
}

export async function openPdf(bytes: Uint8Array): Promise<PdfPages> {
  const lib = await loadPdfJs();
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  const doc = await lib.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: join(root, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(root, 'standard_fonts') + '/',
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  let chars = 0,
    images = 0;
  for (let i = 1; i <= Math.min(doc.numPages, MAX_PDF_PAGES); i++) {
    const page = await doc.getPage(i);
    const tc = await page.getTextContent();
    for (const it of tc.items) if ('str' in it) chars += it.str.trim().length;
    const ops = await page.getOperatorList();
    for (const fn of ops.fnArray) if (fn === lib.OPS.paintImageXObject || fn === lib.OPS.paintInlineImageXObject || fn === lib.OPS.paintImageMaskXObject) images++;
  }
  return {
    numPages: doc.numPages,
    imageOnly: chars < 10,
    images,
    async render(index: number): Promise<Rgb> {
      const page = await doc.getPage(index + 1);
      const base = page.getViewport({ scale: 1 });
      // The widest image on the page sets the scale (its pixels, spread over the page's width).
      const ops = await page.getOperatorList();
      let imgW = 0;
      for (let k = 0; k < ops.fnArray.length; k++)
        if (ops.fnArray[k] === lib.OPS.paintImageXObject || ops.fnArray[k] === lib.OPS.paintInlineImageXObject) {
          const a = ops.argsArray[k] as unknown[];
          const w = typeof a[1] === 'number' ? a[1] : ((a[0] as { width?: number })?.width ?? 0);
          imgW = Math.max(imgW, w);
        }
      const dpi = Math.min(SCAN_DPI[1], Math.max(SCAN_DPI[0], imgW ? (imgW / base.width) * 72 : 200));
      const scale = dpi / 72;
      const vp = page.getViewport({ scale });
      const W = Math.round(vp.width),
        H = Math.round(vp.height);
      const { createCanvas } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
      const canvas = createCanvas(W, H);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, W, H);
      await page.render({ canvasContext: ctx as unknown as CanvasRenderingContext2D, canvas: canvas as unknown as HTMLCanvasElement, viewport: vp }).promise;
      const rgba = ctx.getImageData(0, 0, W, H).data;
      const data = new Uint8Array(W * H * 3);
      for (let i = 0, n = W * H; i < n; i++) {
        data[i * 3] = rgba[i * 4];
        data[i * 3 + 1] = rgba[i * 4 + 1];
        data[i * 3 + 2] = rgba[i * 4 + 2];
      }
      page.cleanup();
      return { width: W, height: H, data, dpi };
    },
    close: () => doc.destroy(),
  };
}
