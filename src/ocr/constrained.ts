/**
 * Reading a code by its format: the recogniser's likeliest classes at each time step of a line, from
 * one or several crops of it, searched (CTC prefix beam search over all crops at once) for the string
 * that has the code's shape, passes its check character and is likeliest in all crops together. A
 * handwritten 统一社会信用代码 or 身份证号码 misread by a character, with one dropped (a doubled 11
 * read as one 1) or with a stray mark read into it, is found again this way when the crops together
 * hold the right characters; the pixels decide, not a guess.
 */
import { FORMATS, type FieldFormat } from '../core/formats.js';

/** One time step of the recogniser's output: its likeliest classes ('' is the CTC blank) and their probabilities. */
export interface Step {
  ch: string[];
  p: number[];
}

/** A code format: its length, the characters allowed at each position, and its check character. */
export interface CodeFormat {
  length: number;
  /** Every character the code can hold, at any position. */
  alphabet: string;
  allowed(position: number): string;
  /** The check character for the code's other characters (the last position). */
  check(body: string): string;
  /** A recognised character as a character of this code (look-alikes of letters the code has not), or '' for none. */
  fold(ch: string): string;
  /**
   * A second check character that real codes carry inside (a credit code's positions 9–17 are an
   * organisation code with GB 11714's check at position 17): its position and rule. Preferred when
   * reading, not required, since a code written wrong is still to be read as written.
   */
  inner?: { at: number; check(prefix: string): string };
}

/** Letters and marks read for the character they look like, when the code cannot hold them. */
const LOOKALIKE: Readonly<Record<string, string>> = { O: '0', D: '0', Q: '0', I: '1', L: '1', '|': '1', Z: '2', S: '5', G: '6', B: '8', V: 'U' };

/** A format's declared code shape (core/formats.ts) as OCR reads it: a recognised character folded to one the code can hold. */
export function codeFormat(code: NonNullable<FieldFormat['code']>): CodeFormat {
  const alphabet = [...new Set(Array.from({ length: code.length }, (_, i) => code.allowed(i)).join(''))].join('');
  return {
    ...code,
    alphabet,
    fold: (ch) => {
      const c = ch.normalize('NFKC').toUpperCase();
      if (c.length !== 1) return '';
      return alphabet.includes(c) ? c : alphabet.includes(LOOKALIKE[c] ?? '') ? LOOKALIKE[c] : c;
    },
  };
}

/** The code formats, by name, from the formats' declarations. */
export const CODE_FORMATS: Readonly<Record<string, CodeFormat>> = Object.fromEntries(Object.entries(FORMATS).flatMap(([name, f]) => (f.code ? [[name, codeFormat(f.code)]] : [])));

/**
 * How much likelier (to the recogniser, per crop) a reading that fails the format's inner check
 * must be than the likeliest one that passes it, to be taken: real codes pass it, while a
 * misreading that passes the outer check passes the inner one only one time in eleven.
 */
const INNER_ODDS = 100;
/** Below this likelihood per crop, relative to the recogniser's own best path, nothing was read. */
const MIN_RATIO = 1e-6;
/**
 * A class the recogniser did not keep among its likeliest at a step gets a tenth of the smaller of
 * the last kept one and what the kept ones left over (at least 1e-4): unlikely, not impossible, so
 * that one crop's blind spot is made up by the others.
 */
const UNSEEN_SHARE = 0.1;
const UNSEEN_MIN = 1e-4;

/** Per step, the probabilities of [blank, …alphabet], each row scaled to a maximum of 1. */
interface Table {
  T: number;
  p: Float64Array;
}

/**
 * One crop's steps as a table. Characters that can be no part of the code count as a blank (a
 * stray mark, a bracket, 号). Scaling a row scales every path through it alike (each path crosses
 * each step once), so it changes no comparison and keeps long lines in range: the recogniser's own
 * best path has probability 1.
 */
function table(steps: Step[], format: CodeFormat): Table {
  const n = format.alphabet.length + 1;
  const p = new Float64Array(steps.length * n);
  steps.forEach((st, t) => {
    const row = p.subarray(t * n, t * n + n);
    let kept = 0;
    st.ch.forEach((c, k) => {
      kept += st.p[k];
      const f = c === '' ? '' : format.fold(c);
      row[f ? format.alphabet.indexOf(f) + 1 : 0] += st.p[k];
    });
    const unseen = Math.max(UNSEEN_MIN, Math.min(st.p[st.p.length - 1] ?? 0, 1 - kept) * UNSEEN_SHARE);
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, (row[i] = Math.max(row[i], unseen)));
    for (let i = 0; i < n; i++) row[i] /= max;
  });
  return { T: steps.length, p };
}

/** A prefix with, per crop, the probability of having read it by each step, ending in a character (an) or a blank (ab). */
interface Hyp {
  text: string;
  an: Float64Array[];
  ab: Float64Array[];
  /** Σ over crops of the log probability of the prefix (of the whole string, once complete). */
  score: number;
}

/**
 * The string of the format likeliest over all readings (crops) of a line, with its probability
 * relative to the recogniser's own best path (the geometric mean over crops, at most 1), or
 * undefined when nothing fits. With an inner check, the likeliest string that passes it wins
 * unless one that fails it is far likelier.
 */
export function readCode(readings: Step[][], format: CodeFormat, width = 128): { text: string; ratio: number } | undefined {
  const tables = readings.filter((r) => r.length).map((r) => table(r, format));
  if (!tables.length) return undefined;
  const loose = search(tables, format, width, false);
  const inner = format.inner;
  let r = loose;
  if (loose && inner && inner.check(loose.text) !== loose.text[inner.at]) {
    const strict = search(tables, format, width, true);
    if (strict && strict.logRatio >= Math.log(MIN_RATIO) && strict.logRatio + Math.log(INNER_ODDS) >= loose.logRatio) r = strict;
  }
  return r && r.logRatio >= Math.log(MIN_RATIO) ? { text: r.text, ratio: Math.min(1, Math.exp(r.logRatio)) } : undefined;
}

/**
 * Prefix beam search over all tables at once (CTC prefix scores, as in joint CTC decoding): each
 * prefix is extended by every character its position allows, scored in every crop, and the
 * `width` best are kept. `strict` also requires the inner check character.
 */
function search(tables: Table[], format: CodeFormat, width: number, strict: boolean): { text: string; logRatio: number } | undefined {
  const n = format.alphabet.length + 1;
  const L = format.length;
  const root: Hyp = {
    text: '',
    an: tables.map((tb) => new Float64Array(tb.T)),
    ab: tables.map((tb) => {
      const a = new Float64Array(tb.T);
      for (let t = 0, v = 1; t < tb.T; t++) a[t] = v *= tb.p[t * n];
      return a;
    }),
    score: 0,
  };
  let beams = [root];
  for (let pos = 0; pos < L; pos++) {
    const last = pos === L - 1;
    // Score every extension first (no arrays kept), then keep the best.
    const cands: { from: Hyp; c: string; score: number }[] = [];
    for (const h of beams) {
      const chars = last ? format.check(h.text) : strict && format.inner?.at === pos ? format.inner.check(h.text) : format.allowed(pos);
      for (const c of chars) {
        const ci = format.alphabet.indexOf(c) + 1;
        const again = c === h.text[h.text.length - 1];
        let score = 0;
        for (let k = 0; k < tables.length && score > -Infinity; k++) {
          const { T, p } = tables[k];
          const gn = h.an[k],
            gb = h.ab[k];
          let an = pos === 0 ? p[ci] : 0,
            ab = 0,
            psi = an;
          for (let t = 1; t < T; t++) {
            const phi = gb[t - 1] + (again ? 0 : gn[t - 1]);
            const pc = p[t * n + ci];
            ab = (ab + an) * p[t * n];
            an = (an + phi) * pc;
            psi += phi * pc;
          }
          score += Math.log(last ? an + ab : psi);
        }
        if (score > -Infinity) cands.push({ from: h, c, score });
      }
    }
    if (!cands.length) return undefined;
    cands.sort((a, b) => b.score - a.score);
    if (last) return { text: cands[0].from.text + cands[0].c, logRatio: cands[0].score / tables.length };
    beams = cands.slice(0, width).map(({ from, c, score }) => extend(from, c, format.alphabet.indexOf(c) + 1, score, tables, n));
  }
  return undefined;
}

/** A prefix extended by one character (index `ci` in a table row), with its per-step probabilities. */
function extend(h: Hyp, c: string, ci: number, score: number, tables: Table[], n: number): Hyp {
  const again = c === h.text[h.text.length - 1];
  const an: Float64Array[] = [],
    ab: Float64Array[] = [];
  tables.forEach(({ T, p }, k) => {
    const gn = h.an[k],
      gb = h.ab[k];
    const a = new Float64Array(T),
      b = new Float64Array(T);
    a[0] = h.text === '' ? p[ci] : 0;
    for (let t = 1; t < T; t++) {
      const phi = gb[t - 1] + (again ? 0 : gn[t - 1]);
      a[t] = (a[t - 1] + phi) * p[t * n + ci];
      b[t] = (b[t - 1] + a[t - 1]) * p[t * n];
    }
    an.push(a);
    ab.push(b);
  });
  return { text: h.text + c, an, ab, score };
}

/**
 * A line that reads like an identifier (15 to 21 letters and digits, little else) but passes no
 * check character: worth reading again from other crops of it.
 */
export function failedCode(text: string): boolean {
  const compact = text.replace(/\s/g, '');
  const alnum = compact.replace(/[^0-9A-Za-z]/g, '');
  if (alnum.length < 15 || alnum.length > 21 || alnum.length < compact.length * 0.8) return false;
  const up = alnum.toUpperCase();
  return Object.values(FORMATS).every((f) => !f.code || f.check(up) !== null);
}

