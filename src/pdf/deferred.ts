import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/**
 * Lay a document out now, draw it later (or never). Official pages and forms are laid out more than
 * once when they must be fitted (a tighter pitch, a smaller table text), and only one layout is
 * kept; drawing and writing a PDF (PDFKit's page content, font subsets, compression) is about half
 * of a render, so a layout that is discarded should not pay for it.
 *
 * pdfmake lays out and then draws in one synchronous step (Printer.createPdfKitDocument: layout,
 * then `new Renderer(doc).renderPages(pages)`). For a document marked here, renderPages is held back
 * and handed to the caller, who runs it only for the layout it keeps; the PDF then comes from the
 * same PDFKit document as `getBuffer()` would have written it, so the bytes do not change. The mark
 * is the document definition's (empty) `images` object, which pdfmake passes through to the PDFKit
 * document unchanged; it is per document, so renders running concurrently cannot take each other's.
 */
const require = createRequire(import.meta.url);
interface Renderer {
  pdfDocument: { images: object };
}
type RenderPages = (this: Renderer, pages: unknown) => void;
const RendererClass = (require('pdfmake/js/Renderer.js') as { default: { prototype: { renderPages: RenderPages } } }).default;

const held = new WeakMap<object, (() => void) | undefined>();
const renderPages = RendererClass.prototype.renderPages;
RendererClass.prototype.renderPages = function (this: Renderer, pages: unknown): void {
  const mark = this.pdfDocument.images;
  if (held.has(mark)) held.set(mark, () => renderPages.call(this, pages));
  else renderPages.call(this, pages);
};

type PdfKitStream = Pick<NodeJS.ReadableStream, 'on'> & { read(): Buffer | null; end(): void };

/** Lay `doc` out (its callbacks run now); the returned function draws it and gives the PDF bytes. */
export async function layOut(doc: TDocumentDefinitions): Promise<() => Promise<Uint8Array>> {
  const mark = {};
  held.set(mark, undefined);
  (doc as { images?: object }).images = mark;
  const stream = await (pdfmake.createPdf(doc) as unknown as { getStream(): Promise<PdfKitStream> }).getStream();
  const draw = held.get(mark);
  held.delete(mark);
  if (!draw) throw new Error('pdfmake did not reach its renderer');
  return async () => {
    draw();
    // As pdfmake's OutputDocument.getBuffer collects it.
    return new Promise<Uint8Array>((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on('readable', () => {
        let chunk: Buffer | null;
        while ((chunk = stream.read()) !== null) chunks.push(chunk);
      });
      stream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      stream.on('error', reject);
      stream.end();
    });
  };
}
