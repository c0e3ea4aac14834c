/**
 * The font of a fillable form's fields: a TrueType subset of Noto Sans SC with every character of
 * `formCharset()` (GB 2312, ASCII, typed punctuation), embedded as a Type0 font (CIDFontType2,
 * Identity-H) with its widths and a ToUnicode CMap. Readers that draw typed or filled values
 * (pdf.js, PDFium, poppler) encode them through the ToUnicode map and size them by the widths, so
 * it carries every character a user may type, not only those on the page. (pdftk-java cannot type
 * with any embedded font — its iText encodes only through simple fonts — see docs/parse.md.)
 *
 * The subset (~7,600 glyphs, ~1.4 MB compressed) is built once per process and copied into each form.
 * A prefilled value's characters outside the set are added to a subset of their own (cached too).
 * The subset is fontkit's, written by src/pdf/subsetFile.ts (through src/pdf/fontCache.ts).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFName, PDFString, type PDFDocument, type PDFRef } from 'pdf-lib';
import { fontFor } from '../pdf/fontCache.js';
import { bundled, type FontConfig } from '../pdf/fonts.js';
import { assertGlyphs, type LabelOf } from '../pdf/glyphs.js';
import { formCharset } from './charset.js';

/** Noto Sans SC Regular: its outlines take a quarter less room than Noto Serif SC's. */
export const FORM_FONT = { file: bundled('@expo-google-fonts/noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf'), name: 'Noto Sans SC' };

interface Glyph {
  id: number;
  advanceWidth: number;
}
interface SubsetSource {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  postscriptName: string;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): Glyph;
  createSubset(): { includeGlyph(gid: number): number; encode(): Uint8Array };
}

/** What goes into each PDF, built once: compressed streams and the font's dictionaries' values. */
interface Built {
  /** Code point → CID (1…n; 0 is .notdef). */
  cids: Map<number, number>;
  /** Advance per CID, in 1/1000 em. */
  widths: number[];
  baseFont: string;
  fontFile: Uint8Array;
  fontFileLength: number;
  toUnicode: Uint8Array;
  /** undefined when every CID is its glyph id. */
  cidToGid?: Uint8Array;
  w: number[];
  descriptor: Record<string, unknown>;
}

export class FormFont {
  constructor(private readonly b: Built) {}

  /** The font's Type0 dictionary, added to `doc`. */
  embed(doc: PDFDocument): PDFRef {
    const ctx = doc.context;
    const b = this.b;
    const file = ctx.register(ctx.stream(b.fontFile, { Filter: 'FlateDecode', Length1: b.fontFileLength }));
    const descriptor = ctx.register(ctx.obj({ ...b.descriptor, FontName: PDFName.of(b.baseFont), FontFile2: file }));
    const toUnicode = ctx.register(ctx.stream(b.toUnicode, { Filter: 'FlateDecode' }));
    const cidToGid = b.cidToGid ? ctx.register(ctx.stream(b.cidToGid, { Filter: 'FlateDecode' })) : PDFName.of('Identity');
    const cid = ctx.register(
      ctx.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: PDFName.of(b.baseFont),
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        DW: 1000,
        W: b.w,
        CIDToGIDMap: cidToGid,
      }),
    );
    return ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: PDFName.of(b.baseFont), Encoding: 'Identity-H', DescendantFonts: [cid], ToUnicode: toUnicode }));
  }

  /** Text as a hex string of CIDs, for a content stream's Tj. */
  encode(text: string): string {
    return [...text].map((ch) => this.cid(ch).toString(16).padStart(4, '0')).join('');
  }

  /** Width of `text` in points at `size`. */
  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += this.b.widths[this.cid(ch)];
    return (w / 1000) * size;
  }

  private cid(ch: string): number {
    const cid = this.b.cids.get(ch.codePointAt(0)!);
    if (cid === undefined) throw new Error(`表单字体中没有“${ch}”`); // values are checked by formFont() first
    return cid;
  }
}

const built = new Map<string, FormFont>();

/**
 * The form font, with the characters of `values` that the common set lacks. A character the font
 * file has no glyph for fails here, naming its field (as printing does).
 */
export function formFont(values: { text: string; field: string }[] = [], labelOf: LabelOf = (p) => p): FormFont {
  const fonts = { body: FORM_FONT } as FontConfig;
  const base = new Set(formCharset());
  const extra = new Set<number>();
  for (const v of values) {
    assertGlyphs(v.text, 'body', fonts, v.field, labelOf);
    for (const ch of v.text) if (!base.has(ch.codePointAt(0)!)) extra.add(ch.codePointAt(0)!);
  }
  const key = [...extra].sort((a, b) => a - b).join(',');
  let f = built.get(key);
  if (!f) {
    f = new FormFont(build([...base, ...extra].sort((a, b) => a - b)));
    if (built.size >= 4) built.delete([...built.keys()].find((k) => k !== '')!); // keep the common one
    built.set(key, f);
  }
  return f;
}

function build(charset: number[]): Built {
  const font = fontFor(FORM_FONT.file) as unknown as SubsetSource;
  const scale = 1000 / font.unitsPerEm;
  const subset = font.createSubset();
  const cids = new Map<number, number>();
  const widths = [Math.round(font.glyphForCodePoint(0).advanceWidth * scale)];
  const gids = [0];
  for (const cp of charset) {
    if (!font.hasGlyphForCodePoint(cp)) continue;
    const g = font.glyphForCodePoint(cp);
    cids.set(cp, gids.length);
    gids.push(subset.includeGlyph(g.id));
    widths.push(Math.round(g.advanceWidth * scale));
  }
  const file = subset.encode(); // written by src/pdf/subsetFile.ts (fontCache.ts)
  const tag = [...createHash('sha1').update(charset.join(',')).digest()].slice(0, 6).map((b) => String.fromCharCode(65 + (b % 26))).join('');
  const identity = gids.every((g, cid) => g === cid);
  const s = (n: number) => Math.round(n * scale);
  return {
    cids,
    widths,
    baseFont: `${tag}+${font.postscriptName}`,
    fontFile: deflateSync(file),
    fontFileLength: file.length,
    toUnicode: deflateSync(toUnicodeCMap(cids)),
    cidToGid: identity ? undefined : deflateSync(Uint8Array.from(gids.flatMap((g) => [g >> 8, g & 0xff]))),
    w: widthRuns(widths),
    descriptor: {
      Type: 'FontDescriptor',
      Flags: 4,
      FontBBox: [s(font.bbox.minX), s(font.bbox.minY), s(font.bbox.maxX), s(font.bbox.maxY)],
      ItalicAngle: 0,
      Ascent: s(font.ascent),
      Descent: s(font.descent),
      CapHeight: s(font.capHeight),
      StemV: 80,
    },
  };
}

/** The W array: `first last width` for each run of CIDs with one width other than the default 1000. */
function widthRuns(widths: number[]): number[] {
  const w: number[] = [];
  for (let i = 0; i < widths.length; ) {
    let j = i;
    while (j + 1 < widths.length && widths[j + 1] === widths[i]) j++;
    if (widths[i] !== 1000) w.push(i, j, widths[i]);
    i = j + 1;
  }
  return w;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();
const utf16 = (cp: number) => [...String.fromCodePoint(cp)].map((c) => hex4(c.charCodeAt(0))).join('');

/** ToUnicode: runs of consecutive code points on consecutive CIDs as bfrange, the rest as bfchar. */
function toUnicodeCMap(cids: Map<number, number>): Uint8Array {
  const entries = [...cids].sort((a, b) => a[1] - b[1]);
  const ranges: string[] = [];
  const chars: string[] = [];
  for (let i = 0; i < entries.length; ) {
    const [cp, cid] = entries[i];
    let j = i;
    // a range stays within one last byte of both the CID and the code point, and in the BMP
    while (j + 1 < entries.length && cp <= 0xffff && entries[j + 1][0] === entries[j][0] + 1 && entries[j + 1][1] === entries[j][1] + 1 && (entries[j + 1][1] & 0xff) !== 0 && (entries[j + 1][0] & 0xff) !== 0 && entries[j + 1][0] <= 0xffff) j++;
    if (j > i) ranges.push(`<${hex4(cid)}> <${hex4(entries[j][1])}> <${utf16(cp)}>`);
    else chars.push(`<${hex4(cid)}> <${utf16(cp)}>`);
    i = j + 1;
  }
  const blocks = (lines: string[], op: string) => {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i += 100) {
      const part = lines.slice(i, i + 100);
      out.push(`${part.length} begin${op}`, ...part, `end${op}`);
    }
    return out;
  };
  const text = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks(ranges, 'bfrange'),
    ...blocks(chars, 'bfchar'),
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
  return new TextEncoder().encode(text);
}
