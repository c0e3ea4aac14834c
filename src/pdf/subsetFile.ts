/**
 * The font file of a TrueType subset, written directly. fontkit's TTFSubset.encode hands its tables
 * to a generic binary encoder (restructure) that sizes and writes every entry of every array field by
 * field: about a twentieth of a notice's CPU, for what is a few byte copies. This writes the same
 * bytes (a test compares them with fontkit's): fontkit's directory (tag "true", checksums 0, tables in
 * its order, each right after the previous one), head/hhea/maxp/cvt/prep/fpgm copied from the font
 * with the three counts fontkit changes, loca and hmtx from the subset, glyf as collected. Fonts whose
 * tables are not the plain sizes this expects go to fontkit's own encoder.
 */

export interface SubsetTables {
  glyf: Uint8Array[];
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: { advance: number; bearing: number }[] };
}
interface Entry {
  offset: number;
  length: number;
}
export interface SourceFont {
  directory: { tables: Record<string, Entry | undefined> };
  stream: { buffer: Uint8Array };
}

/** Sizes of the tables as fontkit encodes them (maxp version 1.0). */
const FIXED: Record<string, number> = { head: 54, hhea: 36, maxp: 32 };
/** fontkit's table order; absent tables are left out. */
const ORDER = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'];

/** Whether `font`'s tables have the shapes written here (else fontkit's encoder is used). */
export function plainTables(font: SourceFont): boolean {
  const t = font.directory.tables;
  return Object.entries(FIXED).every(([tag, size]) => t[tag]?.length === size);
}

/** The subset's font file, byte for byte as fontkit's TTFSubset.encode writes it. */
export function subsetFile(font: SourceFont, s: SubsetTables): Uint8Array {
  const source = (tag: string) => {
    const e = font.directory.tables[tag];
    return e ? font.stream.buffer.subarray(e.offset, e.offset + e.length) : undefined;
  };
  const shortLoca = s.loca.version === 0;
  const tables = new Map<string, Uint8Array>();
  for (const tag of ORDER) {
    let data: Uint8Array | undefined;
    if (tag === 'loca') {
      data = new Uint8Array(s.loca.offsets.length * (shortLoca ? 2 : 4));
      const v = new DataView(data.buffer);
      s.loca.offsets.forEach((o, i) => (shortLoca ? v.setUint16(i * 2, o >>> 1) : v.setUint32(i * 4, o)));
    } else if (tag === 'glyf') {
      data = concat(s.glyf);
    } else if (tag === 'hmtx') {
      data = new Uint8Array(s.hmtx.metrics.length * 4);
      const v = new DataView(data.buffer);
      s.hmtx.metrics.forEach((m, i) => {
        v.setUint16(i * 4, m.advance);
        v.setInt16(i * 4 + 2, m.bearing);
      });
    } else {
      const raw = source(tag);
      if (!raw) continue;
      data = new Uint8Array(raw); // a copy: the counts below are changed in it
      const v = new DataView(data.buffer);
      if (tag === 'head') v.setInt16(50, s.loca.version); // indexToLocFormat
      if (tag === 'hhea') v.setUint16(34, s.hmtx.metrics.length); // numberOfMetrics
      if (tag === 'maxp') v.setUint16(4, s.glyf.length); // numGlyphs
    }
    tables.set(tag, data);
  }
  const n = tables.size;
  const header = 12 + 16 * n;
  const out = new Uint8Array(header + [...tables.values()].reduce((a, t) => a + t.length, 0));
  const v = new DataView(out.buffer);
  const power = 2 ** Math.floor(Math.log2(n));
  out.set([0x74, 0x72, 0x75, 0x65]); // "true"
  v.setUint16(4, n);
  v.setUint16(6, power * 16); // searchRange
  v.setUint16(8, Math.log2(power)); // entrySelector
  v.setUint16(10, n * 16 - power * 16); // rangeShift
  let at = header;
  let k = 0;
  for (const [tag, data] of tables) {
    const e = 12 + 16 * k++;
    for (let c = 0; c < 4; c++) out[e + c] = tag.charCodeAt(c);
    v.setUint32(e + 4, 0); // checkSum: fontkit writes none
    v.setUint32(e + 8, at);
    v.setUint32(e + 12, data.length);
    out.set(data, at);
    at += data.length;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
