/**
 * What most scanners and phone apps write: a PDF whose every page is one JPEG drawn over the whole
 * page and nothing else. Such a page's JPEG is handed to sharp as it is, instead of pdf.js decoding
 * it in JavaScript and drawing it on a canvas (0.3–0.5 s of CPU a 200 dpi page). Anything
 * else — other drawing on the page, a turned page, another compression, encryption — is left to
 * the renderer (`pdf.ts`), which reads every PDF.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, type PDFPage } from 'pdf-lib';
import { ID, Lexer, mul, pageContent, type M } from '../parse/content.js';
import { SCAN_DPI } from './pdf.js';

export interface PageJpeg {
  jpeg: Uint8Array;
  /** The image's width in pixels, and how many of them go to an inch across the page. */
  width: number;
  dpi: number;
}

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

function pageJpeg(doc: PDFDocument, page: PDFPage): PageJpeg | undefined {
  if (page.getRotation().angle % 360 !== 0) return undefined;
  // annotations (a stamp, typed text, filled fields) are drawn by the renderer over the scan
  const annots = page.node.Annots();
  if (annots && annots.size() > 0) return undefined;
  const content = pageContent(doc, page);
  const drawn = content.complete ? onlyImageDrawn(content.data) : undefined;
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
  // (a page outside the resolutions the renderer draws scans at is left to it)
  if (dpi < SCAN_DPI[0] || dpi > SCAN_DPI[1]) return undefined;
  return { jpeg: obj.contents, width, dpi };
}

/**
 * The XObject a content stream draws and the matrix it is drawn with, when the stream does nothing
 * else: q, any number of `a b c d e f cm`, `/Name Do`, Q.
 */
export function onlyImageDrawn(content: Uint8Array): { name: string; matrix: M } | undefined {
  const lex = new Lexer(content);
  const saved: M[] = [];
  let ctm = ID;
  let drawn: { name: string; matrix: M } | undefined;
  const args: (number | string)[] = [];
  for (let t = lex.next(); t !== undefined; t = lex.next()) {
    if (typeof t === 'number' || t.kind === 'name') {
      args.push(typeof t === 'number' ? t : t.value);
      continue;
    }
    if (t.kind !== 'op') return undefined;
    const n = args.splice(0);
    if (t.value === 'q' && !n.length) saved.push(ctm);
    else if (t.value === 'Q' && !n.length) ctm = saved.pop() ?? ctm;
    else if (t.value === 'cm' && !drawn && n.length === 6 && n.every((x) => typeof x === 'number')) ctm = mul(n as M, ctm);
    else if (t.value === 'Do' && !drawn && n.length === 1 && typeof n[0] === 'string') drawn = { name: n[0], matrix: ctm };
    else return undefined;
  }
  return args.length ? undefined : drawn;
}
