/**
 * The field formats a schema can name (`"format": "credit-code"`), each declared once: how a value
 * is checked, printed, left blank on a form, described in a spreadsheet template, and read back
 * from a page or a spreadsheet cell. The validator, the renderers, the parser and the batch reader
 * ask here; none of them knows a format by name. A new format is one entry below.
 */
import type { Blank } from './model.js';
import type { JsonSchema } from './schema.js';
import { CREDIT_CHARSET, checkCreditCode, checkDate, checkDateTime, checkIdNumber, checkPhone, creditCodeCheckChar, idNumberCheckChar, normalizeDigits, orgCodeCheckChar } from './identifiers.js';
import { chineseDate, chineseDateTime, parseDate, parseDateTime } from './dates.js';

/** A value read from text into a format, as the parser scores it. */
export interface Normalised {
  value: unknown;
  /** The text had to be changed beyond trimming to fit the format. */
  repaired: boolean;
  /** The value satisfies its format (or has none). */
  ok: boolean;
  /**
   * Why staff should look at it, in Chinese: the check it fails, or the correction that made it pass
   * (a letter O read or typed for 0). Folding full-width digits or spaces is no correction.
   */
  reason?: string;
}

/** An identifier's characters allowed at each position and its check; `inner`: a second check character real codes carry inside. */
export interface CodeShape {
  length: number;
  allowed(position: number): string;
  check(body: string): string;
  inner?: { at: number; check(prefix: string): string };
}

export interface FieldFormat {
  /** A Chinese reason the text is not of this format, or null. */
  check(s: string): string | null;
  /** What a spreadsheet template's column note says the column takes. */
  note: string;
  /** The fill-in line on a blank form. */
  blank: Blank;
  /** A value of the format, for laying out a form without a record. */
  sample: string;
  /**
   * Identifiers: characters in the longest value. Such a value stays on one line, the text made
   * smaller if the cell is narrow (PDF, DOCX).
   */
  unbroken?: number;
  /** How a stored value prints (dates as 2026年3月2日); as stored when absent. */
  print?(s: string): string;
  /** Trimmed text read from a page into the stored form (full-width digits, spaces, 年月日 …). */
  read(text: string): Normalised;
  /** How a spreadsheet cell becomes a value: date cells and written dates; other formats take the text as it is. */
  fromCell?(v: Date | string): string;
  /**
   * Identifiers with a check character: the characters allowed at each position and the check, for
   * a reader that must choose among look-alike characters (OCR reads such a code again from the
   * recogniser's alternatives). `inner`: a second check character real codes carry inside.
   */
  code?: CodeShape;
  /** Written in digits (phones, dates): a letter read among them is a digit misread. */
  digits?: true;
}

/** Letters that look like the digits a code has there: a code's alphabet has no I, O, Z, S. */
const LOOKS_DIGIT: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', Z: '2', S: '5', B: '8', G: '6' };

/**
 * Codes and ID numbers: full-width characters folded and spaces dropped; letters upper-cased if that
 * makes it valid; else letters that look like digits (O for 0) replaced where the code wants a
 * digit, if that makes the check character agree — a correction, so the value carries a reason.
 */
function readCode(check: FieldFormat['check'], code: CodeShape) {
  return (text: string): Normalised => {
    const folded = normalizeDigits(text).replace(/[\s\-_.·]+/g, '');
    if (check(folded) === null) return { value: folded, repaired: folded !== text, ok: true };
    const upper = folded.toUpperCase();
    if (check(upper) === null) return { value: upper, repaired: true, ok: true, reason: '小写字母已改为大写' };
    const swapped: string[] = [];
    const fixed = [...upper].map((c, i, all) => {
      const d = LOOKS_DIGIT[c];
      if (!d || code.allowed(i).includes(c)) return c;
      swapped.push(`${c}→${d}`);
      return d;
    });
    const digits = fixed.join('');
    if (swapped.length && check(digits) === null) return { value: digits, repaired: true, ok: true, reason: `已按校验位更正：${swapped.join('、')}` };
    return { value: folded, repaired: folded !== text, ok: false, reason: check(folded) ?? undefined };
  };
}

const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, O: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * Dates and times written in words, as office forms often are: 二〇二六年五月十八日 → 2026年5月18日,
 * 下午2时40分 → 14时40分 (上午 and 早上 just dropped).
 */
export function dateInDigits(s: string): string {
  const out = s.replace(/[〇零一二两三四五六七八九十]+(?=\s*[年月日号时點点分])/g, (run) => {
    if (!run.includes('十')) return [...run].map((c) => CN_DIGIT[c]).join('');
    const [tens, ones] = run.split('十');
    return String((tens ? CN_DIGIT[tens] : 1) * 10 + (ones ? CN_DIGIT[ones] : 0));
  });
  return out
    .replace(/(?:上午|早上|凌晨)\s*/g, '')
    .replace(/(?:下午|晚上|傍晚)\s*(\d{1,2})/g, (_, h: string) => String(Number(h) < 12 ? Number(h) + 12 : Number(h)))
    .replace(/(\d)\s*号/g, '$1日');
}

/** Dates written 2026年3月2日, 2026/3/2, ２０２６.３.２, 二〇二六年三月二日 (and a time for date-minute) → ISO. */
function readDate(parse: (s: string) => string | undefined, check: FieldFormat['check']) {
  return (text: string): Normalised => {
    const d = parse(dateInDigits(normalizeDigits(text)));
    if (!d) return { value: text, repaired: false, ok: false, reason: check(text) ?? undefined };
    const reason = check(d);
    return { value: d, repaired: false, ok: reason === null, ...(reason ? { reason } : {}) };
  };
}

const DIGITS = '0123456789';
/** Positions 3–8 are the region's digits; 9–17 an organisation code with its own check (GB 11714). */
const CREDIT_CODE: CodeShape = { length: 18, allowed: (i) => (i >= 2 && i <= 7 ? DIGITS : CREDIT_CHARSET), check: creditCodeCheckChar, inner: { at: 16, check: (prefix) => orgCodeCheckChar(prefix.slice(8, 16)) } };
const ID_NUMBER: CodeShape = { length: 18, allowed: (i) => (i < 17 ? DIGITS : DIGITS + 'X'), check: idNumberCheckChar };
const pad = (n: number) => String(n).padStart(2, '0');
/** Spreadsheet dates carry the wall-clock time as UTC. */
export const dayOf = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

export const FORMATS: Readonly<Record<string, FieldFormat>> = {
  'credit-code': {
    check: checkCreditCode,
    note: '18 位统一社会信用代码',
    blank: [18],
    sample: '91411300MA44ABCD5J',
    unbroken: 18,
    read: readCode(checkCreditCode, CREDIT_CODE),
    code: CREDIT_CODE,
  },
  'id-card': {
    check: (s) => checkIdNumber(s),
    note: '18 位公民身份号码',
    blank: [18],
    sample: '11010519491231002X',
    unbroken: 18,
    read: readCode((s) => checkIdNumber(s), ID_NUMBER),
    code: ID_NUMBER,
  },
  phone: {
    check: checkPhone,
    note: '手机号或带区号的固定电话',
    blank: [9],
    sample: '13800000000',
    unbroken: 12,
    digits: true,
    read: (text) => {
      const folded = normalizeDigits(text).replace(/[—–－]/g, '-').trim();
      // (0377)63123456 is 0377-63123456; a mobile may be grouped with hyphens (137-8213-4567)
      const area = folded.replace(/^[(（]\s*(0\d{2,3})\s*[)）]\s*-?/, '$1-').replace(/\s+/g, '');
      const bare = folded.replace(/[\s()（）-]+/g, '');
      for (const v of [folded, folded.replace(/\s+/g, ''), area, folded.replace(/[\s()（）]+/g, ''), /^1\d{10}$/.test(bare) ? bare : '']) if (v && checkPhone(v) === null) return { value: v, repaired: v !== text, ok: true };
      return { value: folded, repaired: folded !== text, ok: false, reason: checkPhone(folded) ?? undefined };
    },
  },
  date: {
    check: checkDate,
    note: '日期，如 2026-03-02',
    blank: [2, '年', 1, '月', 1, '日'],
    sample: '2026-01-02',
    print: chineseDate,
    digits: true,
    read: readDate(parseDate, checkDate),
    fromCell: (v) => (v instanceof Date ? dayOf(v) : (parseDate(normalizeDigits(v)) ?? v)),
  },
  'date-minute': {
    check: checkDateTime,
    note: '日期和时间，如 2026-03-02 14:40',
    blank: [2, '年', 1, '月', 1, '日', 1, '时', 1, '分'],
    sample: '2026-01-02T03:04',
    print: chineseDateTime,
    digits: true,
    read: readDate(parseDateTime, checkDateTime),
    fromCell: (v) => (v instanceof Date ? `${dayOf(v)}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}` : (parseDateTime(normalizeDigits(v)) ?? v)),
  },
};

/** The format a field's schema names, if it is one of ours. */
export function formatOf(schema: JsonSchema | undefined): FieldFormat | undefined {
  return schema?.format ? FORMATS[schema.format] : undefined;
}
