import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { UserError } from '../core/errors.js';
import { plainTables, subsetFile, type SourceFont } from './subsetFile.js';

/**
 * pdfmake (through PDFKit) parses every font again for every document; a Chinese font is ~15 MB.
 * PDFKit calls `fontkit.create(buffer)`; we memoise that call per buffer, so each font file is read
 * and parsed once per process. Subsetting stays per document, so outputs do not change.
 */
const require = createRequire(import.meta.url);
const fontkitPath = require.resolve('fontkit', { paths: [require.resolve('pdfkit')] });
type Fontkit = { create: (buf: Uint8Array, family?: string) => FontkitFont };
const fontkit = require(fontkitPath) as Fontkit;

export interface FontkitFont {
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string): { advanceWidth: number };
  unitsPerEm: number;
}

/** Width of a string in points, for fitting codes on one line. */
export function textWidth(font: FontkitFont, text: string, size: number): number {
  return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
}

const parsed = new WeakMap<Uint8Array, FontkitFont>();
function create(buf: Uint8Array, family?: string): FontkitFont {
  if (family) return fontkit.create(buf, family);
  let font = parsed.get(buf);
  if (!font) {
    font = fontkit.create(buf);
    memoiseSubsetGlyphs(font as unknown as SubsetFont);
    parsed.set(buf, font);
  }
  return font;
}

/**
 * Embedding a font subset (fontkit's TTFSubset, at the end of every PDF) decodes each used glyph's
 * outline again, only to learn whether it is composite, and copies its glyf bytes and metrics: about
 * a sixth of a one-page notice's CPU, the same work for the same characters in every document. So
 * per font (parsed once per process, above) the bytes, components and metrics of each glyph are kept
 * and `_addGlyph` is replayed from them; composite glyphs still get their component ids remapped per
 * subset, into a copy. The subset written is the same, byte for byte. Fonts with variations (whose
 * outlines fontkit re-encodes) keep the original code.
 */
interface GlyphBytes {
  buffer: Uint8Array;
  /** Composite glyphs: the component glyph ids and where each is written in `buffer`. */
  components: { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}
interface SubsetFont extends SourceFont {
  createSubset(): TtfSubset;
  getGlyph(gid: number): { _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null; advanceWidth: number; _getMetrics(): { leftBearing: number } };
  loca: { offsets: number[]; version: number };
  _getTableStream(tag: string): { pos: number; readBuffer(n: number): Uint8Array };
  _variationProcessor?: unknown;
}
interface TtfSubset {
  font: SubsetFont;
  glyphs: number[];
  glyf: Uint8Array[];
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: { advance: number; bearing: number }[]; bearings: number[] };
  offset: number;
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
}
const glyphMemo = new WeakMap<SubsetFont, Map<number, GlyphBytes>>();
let subsetPatched = false;
function memoiseSubsetGlyphs(font: SubsetFont): void {
  if (font.directory.tables['CFF ']) return; // CFF subsets are another class, left as they are
  glyphMemo.set(font, new Map());
  if (subsetPatched) return;
  const proto = Object.getPrototypeOf(font.createSubset()) as TtfSubset;
  const original = proto._addGlyph;
  proto._addGlyph = function (this: TtfSubset, gid: number): number {
    const memo = glyphMemo.get(this.font);
    if (!memo || this.font._variationProcessor) return original.call(this, gid);
    let g = memo.get(gid);
    if (!g) {
      // What fontkit's _addGlyph reads, read once.
      const glyph = this.font.getGlyph(gid);
      const glyf = glyph._decode();
      const cur = this.font.loca.offsets[gid];
      const stream = this.font._getTableStream('glyf');
      stream.pos += cur;
      const buffer = stream.readBuffer(this.font.loca.offsets[gid + 1] - cur);
      const components = glyf && glyf.numberOfContours < 0 ? glyf.components!.map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : null;
      g = { buffer, components, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
      memo.set(gid, g);
    }
    let buffer = g.buffer; // shared across documents: only ever read (copied into the font file)
    if (g.components) {
      buffer = new Uint8Array(buffer);
      const view = new DataView(buffer.buffer);
      for (const c of g.components) view.setUint16(c.pos, this.includeGlyph(c.glyphID));
    }
    this.glyf.push(buffer);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: g.advance, bearing: g.bearing });
    this.offset += buffer.length;
    return this.glyf.length - 1;
  };
  // As fontkit's encode collects the subset's tables; the file is then written by subsetFile.
  const encode = proto.encode;
  proto.encode = function (this: TtfSubset): Uint8Array {
    if (!glyphMemo.has(this.font) || this.font._variationProcessor || !plainTables(this.font)) return encode.call(this);
    this.glyf = [];
    this.offset = 0;
    this.loca = { offsets: [], version: this.font.loca.version };
    this.hmtx = { metrics: [], bearings: [] };
    for (let i = 0; i < this.glyphs.length; i++) this._addGlyph(this.glyphs[i]); // composites add glyphs as it goes
    this.loca.offsets.push(this.offset);
    return subsetFile(this.font, this);
  };
  subsetPatched = true;
}
// fontkit's exports are read-only getters, so PDFKit gets a copy with the memoised `create`.
// This module must be imported before pdfmake (which loads PDFKit, which loads fontkit's exports).
require.cache[fontkitPath]!.exports = { ...fontkit, create };
if (require.cache[require.resolve('pdfkit')]) throw new Error('fontCache must be imported before pdfmake');

const files = new Map<string, Buffer>();

/**
 * Font files a batch's main thread read once into shared memory for all its workers (see
 * sharedFontFiles), so that each worker does not hold its own 40 MB copy of the same bytes.
 */
const shared = new Map(Object.entries((workerData as { fontFiles?: Record<string, SharedArrayBuffer> } | null)?.fontFiles ?? {}));

/**
 * The bytes of font files, read straight into shared memory for worker threads
 * (workerData.fontFiles); this thread keeps no other copy.
 */
export function sharedFontFiles(paths: string[]): Record<string, SharedArrayBuffer> {
  return Object.fromEntries(
    [...new Set(paths)].map((p) => {
      try {
        const fd = openSync(p, 'r');
        try {
          const sab = new SharedArrayBuffer(fstatSync(fd).size);
          const view = new Uint8Array(sab);
          for (let at = 0; at < view.length; ) {
            const n = readSync(fd, view, at, view.length - at, at);
            if (!n) throw new Error('文件在读取时变短了');
            at += n;
          }
          return [p, sab];
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        throw new UserError(`无法读取字体文件 ${p}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }),
  );
}

/** The bytes of a font file, read once per process. */
export function fontBytes(path: string): Buffer {
  let buf = files.get(path);
  if (!buf) {
    const sab = shared.get(path);
    if (sab) {
      buf = Buffer.from(sab);
      files.set(path, buf);
      return buf;
    }
    try {
      buf = readFileSync(path);
    } catch (e) {
      throw new UserError(`无法读取字体文件 ${path}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    files.set(path, buf);
  }
  return buf;
}

/** The parsed font, shared with PDFKit through the memo above. */
export function fontFor(path: string): FontkitFont {
  try {
    return create(fontBytes(path));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`字体文件 ${path} 无法解析：${(e as Error).message}`);
  }
}
