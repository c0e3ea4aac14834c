/**
 * A PDF page's content stream as bytes, a lexer for it, and the matrices it sets: what reading ruled
 * lines (`rules.ts`) and recognising a scanner's page (`ocr/pdf-jpeg.ts`) both need.
 */
import { PDFArray, PDFRawStream, decodePDFRawStream, type PDFDocument, type PDFObject, type PDFPage } from 'pdf-lib';

export type M = [number, number, number, number, number, number];
export const ID: M = [1, 0, 0, 1, 0, 0];
export const mul = (m: M, n: M): M => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

/** Upper bound on content-stream bytes read per page (a form page has tens of kilobytes). */
export const MAX_CONTENT = 8 * 1024 * 1024;

/**
 * A page's content streams, decoded and joined. `complete` is false when one could not be decoded
 * or the page holds more than MAX_CONTENT bytes (what was read is still returned).
 */
export function pageContent(doc: PDFDocument, page: PDFPage): { data: Uint8Array; complete: boolean } {
  const contents = page.node.Contents();
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r) as PDFObject) : contents ? [contents] : [];
  const chunks: Uint8Array[] = [];
  let total = 0,
    complete = true;
  for (const s of streams) {
    const bytes = decodeStream(s);
    if (!bytes) {
      complete = false;
      continue;
    }
    total += bytes.length;
    if (total > MAX_CONTENT) {
      complete = false;
      break;
    }
    chunks.push(bytes, new Uint8Array([10]));
  }
  return { data: concat(chunks), complete };
}

/** A stream's bytes with its filters undone; undefined if it is no stream or does not decode. */
export function decodeStream(s: PDFObject | undefined): Uint8Array | undefined {
  if (!(s instanceof PDFRawStream)) return undefined;
  try {
    return decodePDFRawStream(s).decode();
  } catch {
    return undefined;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export type Token = number | { kind: 'op' | 'name' | 'other'; value: string };

const WS = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set([40, 41, 60, 62, 91, 93, 123, 125, 47, 37]);

/** A PDF content-stream lexer that keeps only numbers, names and operators. */
export class Lexer {
  private i = 0;
  constructor(private d: Uint8Array) {}
  next(): Token | undefined {
    const d = this.d;
    for (;;) {
      while (this.i < d.length && WS.has(d[this.i])) this.i++;
      if (this.i >= d.length) return undefined;
      const c = d[this.i];
      if (c === 37) {
        while (this.i < d.length && d[this.i] !== 10 && d[this.i] !== 13) this.i++;
        continue;
      }
      if (c === 40) {
        this.skipString();
        return { kind: 'other', value: '' };
      }
      if (c === 60) {
        if (d[this.i + 1] === 60) {
          this.i += 2;
          return { kind: 'other', value: '<<' };
        }
        while (this.i < d.length && d[this.i] !== 62) this.i++;
        this.i++;
        return { kind: 'other', value: '' };
      }
      if (c === 62) {
        this.i += d[this.i + 1] === 62 ? 2 : 1;
        return { kind: 'other', value: '>>' };
      }
      if (c === 91 || c === 93 || c === 123 || c === 125 || c === 41) {
        this.i++;
        return { kind: 'other', value: String.fromCharCode(c) };
      }
      const start = c === 47 ? ++this.i : this.i;
      while (this.i < d.length && !WS.has(d[this.i]) && !DELIM.has(d[this.i])) this.i++;
      if (this.i === start && c !== 47) {
        this.i++;
        continue;
      }
      let s = '';
      for (let k = start; k < this.i; k++) s += String.fromCharCode(d[k]);
      if (c === 47) return { kind: 'name', value: s };
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return Number(s);
      return { kind: 'op', value: s };
    }
  }
  private skipString(): void {
    const d = this.d;
    let depth = 0;
    while (this.i < d.length) {
      const c = d[this.i++];
      if (c === 92) this.i++;
      else if (c === 40) depth++;
      else if (c === 41 && --depth === 0) return;
    }
  }
  /** Skip from after BI to after EI (the image data is binary). */
  skipInlineImage(): void {
    const d = this.d;
    while (this.i < d.length - 1 && !(d[this.i] === 73 && d[this.i + 1] === 68 && WS.has(d[this.i + 2] ?? 32))) this.i++;
    this.i += 3;
    while (this.i < d.length - 2 && !(WS.has(d[this.i - 1]) && d[this.i] === 69 && d[this.i + 1] === 73 && (WS.has(d[this.i + 2]) || this.i + 2 >= d.length))) this.i++;
    this.i += 2;
  }
}
