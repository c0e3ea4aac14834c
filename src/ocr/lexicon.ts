/**
 * Text repairs that need knowledge of the text rather than of pixels: printed hints that
 * handwriting ran into, and place names (from the kind's lexicon) the recogniser confuses with a
 * look-alike (淅川 → 浙川).
 */



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
