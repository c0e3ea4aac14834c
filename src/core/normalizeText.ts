/**
 * One text normalisation for everything read off a page (a PDF's text layer, form fields, OCR),
 * applied before anything is matched. Two levels:
 * - `foldText`: what a font or an OCR engine spells differently but means the same character —
 *   Kangxi radicals and CJK Radicals Supplement (⽬ ⽉ ⽇ ⼈ ⺠ → 目 月 日 人 民), CJK compatibility
 *   ideographs, no-break and other odd spaces. Values keep everything else as typed (full-width
 *   digits in free text stay; codes, phones and dates are folded by their format).
 * - `matchKey`: for comparing labels, options and fixed text — NFKC (full-width ASCII, ideographic
 *   space), no spaces, and one spelling of each bracket, colon, comma and quote.
 */
import { RADICALS_SUPPLEMENT } from './radicals.js';

/** Characters that may need folding: radicals, compatibility ideographs, odd spaces. */
const FOLDABLE = /[\u2E80-\u2EFF\u2F00-\u2FDF\uF900-\uFAFF\u00A0\u2000-\u200B\u202F\u205F\uFEFF]|\uD87E[\uDC00-\uDE1F]/gu;

/** Radicals and compatibility ideographs → unified ideographs; odd spaces → a plain space (a zero-width one → nothing). */
export function foldText(s: string): string {
  return s.replace(FOLDABLE, (c) => {
    const sup = RADICALS_SUPPLEMENT.get(c);
    if (sup) return sup;
    if (c === '\u200B' || c === '\uFEFF') return '';
    if (/\s/u.test(c)) return ' ';
    return c.normalize('NFKC');
  });
}

/** Bracket, colon, comma and quote spellings → one each (after NFKC has made full-width ones ASCII). */
const PUNCT: Record<string, string> = {
  '〔': '(', '〕': ')', '【': '(', '】': ')', '[': '(', ']': ')', '〖': '(', '〗': ')', '［': '(', '］': ')', '﹙': '(', '﹚': ')', '{': '(', '}': ')',
  '、': ',', '﹐': ',', '﹑': ',', '︰': ':', '﹕': ':', '“': '"', '”': '"', '„': '"', '«': '"', '»': '"', '‘': "'", '’': "'", '「': '"', '」': '"', '『': '"', '』': '"',
  '—': '-', '–': '-', '‐': '-', '‑': '-', '−': '-', '～': '~', '〜': '~', '·': '·', '・': '·', '•': '·',
};
const PUNCT_RE = new RegExp(`[${Object.keys(PUNCT).map((c) => c.replace(/[\]\\^-]/g, '\\$&')).join('')}]`, 'g');

/** Text as labels and options compare: folded, NFKC, without spaces, one spelling of punctuation. */
export function matchKey(s: string): string {
  return foldText(s)
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(PUNCT_RE, (c) => PUNCT[c] ?? c);
}

/** The characters of `c`'s match key and every spelling that folds to it, for building patterns over raw text. */
export function spellingsOf(c: string): string[] {
  const k = matchKey(c);
  const out = new Set([c, k]);
  for (const [from, to] of Object.entries(PUNCT)) if (to === k) out.add(from);
  if (k.length === 1 && k >= '!' && k <= '~') out.add(String.fromCharCode(k.charCodeAt(0) + 0xfee0));
  return [...out];
}
