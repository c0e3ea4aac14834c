/**
 * Text repairs that need knowledge of the text rather than of pixels: printed hints that
 * handwriting ran into, and place names and words of the trade (from the kind's lexicon) the
 * recogniser confuses with a look-alike (淅川 → 浙川, 项自 → 项目).
 */
import { HAN, type OcrLine } from './page.js';

/** Edit distance (Levenshtein) between two strings, by UTF-16 unit. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** A character the recogniser was this unsure of may be put right by a town's name. */
const DOUBT = 0.95;
/** A gap this many times the line's usual character pitch is where a character was read as nothing. */
const GAP = 1.6;

/** A known place name read with one character wrong (same length, ≥ 3 characters) is put right. */
export function fixPlaces(s: string, places: readonly string[]): string {
  const chars = [...s];
  for (const p of places) {
    const n = p.length;
    for (let i = 0; i + n <= chars.length; i++) {
      const w = chars.slice(i, i + n).join('');
      if (w === p) continue;
      // the last character (县/区/市) must match: it anchors the name
      if (w[n - 1] !== p[n - 1]) continue;
      let diff = 0;
      for (let k = 0; k < n; k++) if (w[k] !== p[k]) diff++;
      if (diff === 1) chars.splice(i, n, ...p);
    }
  }
  return chars.join('');
}

/**
 * Town names (the kinds' `lexicon.towns`) put right in an OCR line, where the pixels allow it — towns
 * are many and alike, so unlike the few county names (fixPlaces) a town is put right only from
 * evidence: one character of the name read wrong with the recogniser's doubt (马镫镇 → 马蹬镇), or
 * one character read as nothing where the line leaves a character's room (马 镇 → 马蹬镇). The name's
 * last character (镇, 乡) must have been read: it anchors the name. A character put in keeps the doubt
 * it was read with (or 0.5 when it was not read), so the field still goes to review. A reading that is
 * itself a known town, or that two towns would fit, is left as read.
 */
export function repairTowns(l: OcrLine, towns: readonly string[]): void {
  const known = new Set(towns);
  const pitch = usualPitch(l);
  // the line's characters may be shared with the page read (a copy is changed, not them)
  const chars = [...l.chars];
  // windows as long as a town (a character read wrong) or one shorter (a character read as nothing)
  const lengths = [...new Set(towns.flatMap((t) => [[...t].length, [...t].length - 1]))];
  for (let i = 0; i < chars.length; i++)
    for (const n of lengths) {
      const got = chars.slice(i, i + n).map((c) => c.ch);
      if (got.length < n || known.has(got.join(''))) continue;
      const last = got[n - 1];
      // one character read wrong, with doubt: only where one town alone fits
      const subs = towns.filter((t) => {
        const w = [...t];
        if (w.length !== n || w[n - 1] !== last) return false;
        const diff = w.flatMap((c, k) => (c === got[k] ? [] : [k]));
        return diff.length === 1 && chars[i + diff[0]].p < DOUBT;
      });
      // one character read as nothing, where the line leaves a character's room
      const dels = pitch
        ? towns.flatMap((t) => {
            const w = [...t];
            if (w.length !== n + 1 || w[n] !== last) return [];
            for (let k = 1; k < n; k++)
              if (w.slice(0, k).join('') + w.slice(k + 1).join('') === got.join('') && chars[i + k].x0 - chars[i + k - 1].x0 >= pitch * GAP) return [{ w, k }];
            return [];
          })
        : [];
      if (subs.length + dels.length !== 1) continue;
      if (subs.length) {
        const w = [...subs[0]];
        const k = w.findIndex((c, j) => c !== got[j]);
        chars[i + k] = { ...chars[i + k], ch: w[k] };
      } else {
        const { w, k } = dels[0];
        const a = chars[i + k - 1],
          b = chars[i + k];
        const width = Math.min(pitch, b.x0 - a.x1);
        const x = (a.x1 + b.x0) / 2;
        chars.splice(i + k, 0, { ch: w[k], p: 0.5, x0: Math.round(x - width / 2), x1: Math.round(x + width / 2) });
      }
    }
  const text = chars.map((c) => c.ch).join('');
  if (text !== l.text) (l.chars = chars), (l.text = text);
}

/** A runner-up the recogniser gave at least this probability counts as its evidence for a word. */
const RUNNER_UP = 0.05;

/**
 * Words of the trade (the kinds' `lexicon.terms`) put right in an OCR line from the recogniser's own
 * evidence: a character read with doubt whose runner-up at its time step makes a known word with the
 * characters around it (建设项自, 目 a close second → 建设项目). The reading is left alone where the
 * characters as read already make a word there, or where several runners-up would each make one. The
 * character keeps the doubt it was read with, so the field still goes to review.
 */
export function repairTerms(l: OcrLine, terms: readonly string[]): void {
  if (!l.steps || !terms.length) return;
  const chars = [...l.chars];
  const read = chars.map((c) => c.ch);
  // whether some word of the list covers position i of `text`
  const inWord = (text: string[], i: number) =>
    terms.some((w) => {
      const n = [...w].length;
      for (let a = Math.max(0, i - n + 1); a <= i && a + n <= text.length; a++) if (text.slice(a, a + n).join('') === w) return true;
      return false;
    });
  chars.forEach((c, i) => {
    if (c.p >= DOUBT || c.t === undefined || !HAN.test(c.ch) || inWord(read, i)) return;
    const step = l.steps![c.t];
    if (!step) return;
    const fits = step.ch.filter((alt, k) => alt && alt !== c.ch && HAN.test(alt) && step.p[k] >= RUNNER_UP && inWord(read.map((x, j) => (j === i ? alt : x)), i));
    if (fits.length === 1) chars[i] = { ...c, ch: fits[0] };
  });
  const text = chars.map((c) => c.ch).join('');
  if (text !== l.text) (l.chars = chars), (l.text = text);
}

/** The median distance between neighbouring Chinese characters' left edges (0 with fewer than three). */
function usualPitch(l: OcrLine): number {
  const gaps: number[] = [];
  for (let i = 1; i < l.chars.length; i++) if (HAN.test(l.chars[i].ch) && HAN.test(l.chars[i - 1].ch)) gaps.push(l.chars[i].x0 - l.chars[i - 1].x0);
  return gaps.length < 2 ? 0 : gaps.sort((a, b) => a - b)[(gaps.length - 1) >> 1];
}

/**
 * Remove a printed hint, e.g. (此处加盖单位公章), that OCR read into a value: approximately (a few
 * characters misread or hidden under handwriting), or its first or last characters where the rest
 * is covered.
 */
export function stripHint(raw: string, hint: string): string {
  // Match the hint's words; its brackets, if read, go with them.
  const h = [...hint.normalize('NFKC').replace(/[\s()（）]+/g, '')];
  const bracket = /^[()（）\[\]【】|]$/;
  let s = [...raw];
  const m = h.length;
  if (m < 2 || !s.length) return raw;
  const norm = (c: string) => c.normalize('NFKC');
  let best: { i: number; len: number; d: number } | undefined;
  for (let len = Math.max(2, m - 2); len <= m + 2; len++)
    for (let i = 0; i + len <= s.length; i++) {
      const d = distance(s.slice(i, i + len).map(norm).join(''), h.join(''));
      if (!best || d < best.d || (d === best.d && len > best.len)) best = { i, len, d };
    }
  let cut: [number, number] | undefined;
  if (best && best.d <= Math.max(1, Math.floor(m * 0.3))) cut = [best.i, best.i + best.len];
  else {
    // a fragment: the hint's end (…公章)) at the end of the value, or its start ((此处…) at the start
    const closed = /[)）]$/.test(raw.trim());
    for (let k = Math.min(m - 1, s.length - 1); k >= (closed ? 1 : 2) && !cut; k--) {
      const end = s.filter((c) => !bracket.test(c));
      if (end.slice(-k).map(norm).join('') === h.slice(-k).join('')) {
        let i = s.length;
        for (let n = 0; n < k; i--) if (!bracket.test(s[i - 1])) n++;
        cut = [i, s.length];
      } else if (end.slice(0, k).map(norm).join('') === h.slice(0, k).join('')) {
        let i = 0;
        for (let n = 0; n < k; i++) if (!bracket.test(s[i])) n++;
        cut = [0, i];
      }
    }
  }
  if (!cut) return raw;
  let [a, b] = cut;
  while (a > 0 && bracket.test(s[a - 1])) a--;
  while (b < s.length && bracket.test(s[b])) b++;
  s.splice(a, b - a);
  return s.join('').trim();
}
