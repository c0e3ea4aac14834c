/**
 * What most scanners and phone apps write: a PDF whose every page is one JPEG drawn over the whole
 * page and nothing else. Such a page's JPEG is handed to sharp as it is, instead of pdf.js decoding
 * it in JavaScript and drawing it on a canvas (about half a second of CPU a 200 dpi page). Anything
 * else — other drawing on the page, a turned page, another compression, encryption — is left to
 * the renderer (`pdf.ts`), which reads every PDF.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, decodePDFRawStream } from 'pdf-lib';

export interface PageJpeg {
  jpeg: Uint8Array;
  /** The image's width in pixels, and how many of them go to an inch across the page. */
  width: number;
  dpi: number;
}

/** The resolutions the renderer draws scans at; a page outside them is left to it. */
const DPI_RANGE: [number, number] = [150, 400];

/** The first `max` pages' JPEGs, or undefined unless every one of them is a page as above. */
export async function pageJpegs(bytes: Uint8Array, max: number): Promise<PageJpeg[] | undefined> {
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    if (doc.isEncrypted) return undefined;
    const out: PageJpeg[] = [];
    for (const page of doc.getPages().slice(0, max)) {
      const one = pageJpeg(doc, page);
      if (!one) return undefined;
      out.push(one);
    }
    return out.length ? out : undefined;
  } catch {
    // whatever pdf-lib cannot follow, pdf.js may
    return undefined;
  }
}

type Page = ReturnType<PDFDocument['getPage']>;

function pageJpeg(doc: PDFDocument, page: Page): PageJpeg | undefined {
  if (page.getRotation().angle % 360 !== 0) return undefined;
  // annotations (a stamp, typed text, filled fields) are drawn by the renderer over the scan
  const annots = page.node.Annots();
  if (annots && annots.size() > 0) return undefined;
  const drawn = onlyImageDrawn(contentOf(doc, page));
  if (!drawn) return undefined;
  const box = page.getMediaBox();
  const crop = page.getCropBox();
  const near = (x: number, y: number) => Math.abs(x - y) <= Math.max(1, Math.abs(y) * 0.01);
  if (!(box.width > 0 && box.height > 0) || ![[crop.x, box.x], [crop.y, box.y], [crop.width, box.width], [crop.height, box.height]].every(([p, q]) => near(p, q))) return undefined;
  const [a, b, c, d, e, f] = drawn.matrix;
  if (!(near(a, box.width) && near(d, box.height) && near(b, 0) && near(c, 0) && near(e, box.x) && near(f, box.y))) return undefined;
  const obj = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict)?.lookup(PDFName.of(drawn.name));
  if (!(obj instanceof PDFRawStream)) return undefined;
  const dict = obj.dict;
  const name = (key: string) => {
    const v = dict.lookup(PDFName.of(key));
    const one = v instanceof PDFArray && v.size() === 1 ? v.lookup(0) : v;
    return one instanceof PDFName ? one.asString() : undefined;
  };
  const num = (key: string) => {
    const v = dict.lookup(PDFName.of(key));
    return v instanceof PDFNumber ? v.asNumber() : undefined;
  };
  if (name('Subtype') !== '/Image' || name('Filter') !== '/DCTDecode' || num('BitsPerComponent') !== 8) return undefined;
  if (!['/DeviceRGB', '/DeviceGray'].includes(name('ColorSpace') ?? '')) return undefined;
  // an inverted, masked or stencil image is not what the JPEG shows
  // (and DecodeParms' ColorTransform changes the colours pdf.js decodes)
  if (['Decode', 'DecodeParms', 'SMask', 'Mask', 'ImageMask'].some((k) => dict.has(PDFName.of(k)))) return undefined;
  const width = num('Width'),
    height = num('Height');
  // an image stretched to the page is left to the renderer, which draws it so (a few per cent, what a
  // page straightened onto a larger canvas gets when drawn over A4, reads the same either way)
  if (!width || !height || Math.abs((width / height) * (box.height / box.width) - 1) > 0.05) return undefined;
  const dpi = (width / box.width) * 72;
  if (dpi < DPI_RANGE[0] || dpi > DPI_RANGE[1]) return undefined;
  return { jpeg: obj.contents, width, dpi };
}

/** A page's content, its streams joined. */
function contentOf(doc: PDFDocument, page: Page): string {
  const c = page.node.Contents();
  const parts = c instanceof PDFArray ? c.asArray().map((r) => doc.context.lookup(r)) : [c];
  return parts
    .map((s) => {
      if (!(s instanceof PDFRawStream)) throw new Error('content');
      return Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');
    })
    .join('\n');
}

/**
 * The XObject a content stream draws and the matrix it is drawn with, when the stream does nothing
 * else: q, any number of `a b c d e f cm`, `/Name Do`, Q.
 */
export function onlyImageDrawn(content: string): { name: string; matrix: number[] } | undefined {
  const tokens = content.trim().split(/\s+/u);
  let m = [1, 0, 0, 1, 0, 0];
  const saved: number[][] = [];
  let name: string | undefined;
  let drawnWith: number[] | undefined;
  const args: string[] = [];
  for (const t of tokens) {
    if (t === 'q' || t === 'Q') {
      if (args.length) return undefined;
      if (t === 'q') saved.push(m);
      else m = saved.pop() ?? m;
      continue;
    }
    if (t === 'cm') {
      const n = args.splice(0).map(Number);
      if (n.length !== 6 || n.some((x) => !Number.isFinite(x)) || name) return undefined;
      m = multiply(n, m);
      continue;
    }
    if (t === 'Do') {
      if (args.length !== 1 || !args[0].startsWith('/') || name) return undefined;
      name = args.splice(0)[0].slice(1);
      drawnWith = m;
      continue;
    }
    if (/^[-+.\d]/u.test(t) || t.startsWith('/')) {
      args.push(t);
      continue;
    }
    return undefined;
  }
  return name && drawnWith && !args.length ? { name, matrix: drawnWith } : undefined;
}

/** `n` then `m` (PDF matrices [a b c d e f], row vectors). */
function multiply(n: number[], m: number[]): number[] {
  const [a1, b1, c1, d1, e1, f1] = n;
  const [a2, b2, c2, d2, e2, f2] = m;
  return [a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2, e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2];
}
