/**
 * The characters a fillable form's font carries: GB 2312 (all its hanzi and symbols), printable
 * ASCII, and the punctuation and full-width forms people type in Chinese text. GB 2312 membership is
 * what iconv-lite's GB 2312 (cp936) table decodes each code of GB 2312's byte ranges to, not a table
 * of our own.
 */
import iconv from 'iconv-lite';


/** Blocks added whole: general punctuation, CJK symbols and punctuation, full-width forms. */
const TYPED: [number, number][] = [
  [0x20, 0x7e],
  [0xb7, 0xb7], // middle dot in foreign names
  [0x2010, 0x2027],
  [0x3000, 0x303f],
  [0xff01, 0xff5e],
  [0xffe0, 0xffe6],
];

let cached: number[] | undefined;

/** Sorted code points, computed once per process. */
export function formCharset(): number[] {
  if (cached) return cached;
  const set = new Set<number>();
  for (const [a, b] of TYPED) for (let cp = a; cp <= b; cp++) set.add(cp);
  // GB 2312's two-byte area: rows 0xA1–0xF7 (symbols A1–A9, hanzi B0–F7), cells 0xA1–0xFE;
  // unassigned codes decode to U+FFFD or two characters, user-defined ones to the Private Use Area
  for (let row = 0xa1; row <= 0xf7; row++)
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const ch = iconv.decode(Buffer.from([row, cell]), 'gb2312');
      const cp = ch.length === 1 ? ch.charCodeAt(0) : 0xfffd;
      if (cp !== 0xfffd && (cp < 0xe000 || cp > 0xf8ff)) set.add(cp);
    }
  cached = [...set].sort((a, b) => a - b);
  return cached;
}
