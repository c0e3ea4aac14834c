/**
 * Reading a code by its format: the recogniser's few likeliest classes at each time step of a line,
 * searched (CTC prefix beam search) for the likeliest string that has the code's shape and passes its
 * check character. A handwritten 统一社会信用代码 or 身份证号码 misread by a character, with one dropped
 * (a doubled 11 read as one 1) or with a stray mark read into it, is found again this way when the
 * recogniser's own alternatives hold the right characters; the pixels decide, not a guess.
 */
import { CREDIT_CHARSET as CREDIT, checkCreditCode, checkIdNumber, creditCodeCheckChar, idNumberCheckChar } from '../core/identifiers.js';

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
}

const DIGITS = '0123456789';
/** Letters the credit code's alphabet has not, read for the character they look like. */
export const NOT_IN_CODE: Readonly<Record<string, string>> = { I: '1', O: '0', Z: '2', S: '5', V: 'U' };

export const CODE_FORMATS: Record<string, CodeFormat> = {
  'credit-code': {
    length: 18,
    alphabet: CREDIT,
    allowed: (i) => (i >= 2 && i <= 7 ? DIGITS : CREDIT),
    check: creditCodeCheckChar,
    fold: (ch) => {
      const c = ch.normalize('NFKC').toUpperCase();
      return c.length !== 1 ? '' : (NOT_IN_CODE[c] ?? c);
    },
  },
  'id-card': {
    length: 18,
    alphabet: DIGITS + 'X',
    allowed: (i) => (i < 17 ? DIGITS : DIGITS + 'X'),
    check: idNumberCheckChar,
    fold: (ch) => {
      const c = ch.normalize('NFKC').toUpperCase();
      return c.length === 1 ? c : '';
    },
  },
};

interface Beam {
  /** Probability of the prefix with the last step a blank, and with the last step its last character. */
  pb: number;
  pnb: number;
}

/**
 * The likeliest string of the format over the steps, with its probability relative to the
 * recogniser's own best path (1: the same probability), or undefined when none fits.
 */
export function decodeCode(steps: Step[], format: CodeFormat, width = 48): { text: string; ratio: number } | undefined {
  if (!steps.length) return undefined;
  let beams = new Map<string, Beam>([['', { pb: 1, pnb: 0 }]]);
  let greedy = 1;
  for (const st of steps) {
    greedy *= Math.max(...st.p);
    // Characters that can be no part of the code count as a blank (a stray mark, a bracket, 号).
    let blank = 0;
    const chars = new Map<string, number>();
    st.ch.forEach((c, k) => {
      const f = c === '' ? '' : format.fold(c);
      if (!f || !format.alphabet.includes(f)) blank += st.p[k];
      else chars.set(f, (chars.get(f) ?? 0) + st.p[k]);
    });
    const next = new Map<string, Beam>();
    const at = (s: string) => {
      let b = next.get(s);
      if (!b) next.set(s, (b = { pb: 0, pnb: 0 }));
      return b;
    };
    for (const [prefix, b] of beams) {
      const total = b.pb + b.pnb;
      at(prefix).pb += total * blank;
      const last = prefix[prefix.length - 1];
      for (const [c, p] of chars) {
        if (c === last) {
          // the same character again: without a blank between, it is the same character
          at(prefix).pnb += b.pnb * p;
          if (prefix.length < format.length && fits(format, prefix, c)) at(prefix + c).pnb += b.pb * p;
        } else if (prefix.length < format.length && fits(format, prefix, c)) at(prefix + c).pnb += total * p;
      }
    }
    beams = new Map([...next].sort((x, y) => y[1].pb + y[1].pnb - (x[1].pb + x[1].pnb)).slice(0, width));
    // keep the numbers in range over long lines
    const top = Math.max(...[...beams.values()].map((b) => b.pb + b.pnb));
    if (!(top > 0)) return undefined;
    for (const b of beams.values()) {
      b.pb /= top;
      b.pnb /= top;
    }
    greedy /= top;
  }
  let best: [string, number] | undefined;
  for (const [s, b] of beams) if (s.length === format.length && (!best || b.pb + b.pnb > best[1])) best = [s, b.pb + b.pnb];
  if (!best) return undefined;
  return { text: best[0], ratio: greedy > 0 ? Math.min(1, best[1] / greedy) : 0 };
}

function fits(format: CodeFormat, prefix: string, c: string): boolean {
  const i = prefix.length;
  if (i === format.length - 1) return format.check(prefix) === c;
  return format.allowed(i).includes(c);
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
  return checkCreditCode(up) !== null && checkIdNumber(up) !== null;
}

/**
 * The reading most of a line's crops agree on (each decoded by the format); the first crop's reading
 * wins a tie. Its ratio is that of the first crop that gave it.
 */
export function voteCode(readings: Step[][], format: CodeFormat): { text: string; ratio: number; votes: number } | undefined {
  const tally = new Map<string, { votes: number; ratio: number }>();
  readings.forEach((steps, i) => {
    const r = decodeCode(steps, format);
    if (!r) return;
    const t = tally.get(r.text);
    if (t) t.votes += 1;
    else tally.set(r.text, { votes: i === 0 ? 1.5 : 1, ratio: r.ratio });
  });
  const best = [...tally].sort((a, b) => b[1].votes - a[1].votes)[0];
  return best && { text: best[0], ratio: best[1].ratio, votes: Math.floor(best[1].votes) };
}
