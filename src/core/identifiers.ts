/**
 * Validators for official identifiers and simple formats.
 *
 * Every `check*` function returns `null` when the value is valid, or a short
 * Chinese reason (shown to office staff) when it is not. The functions are
 * pure and strict: trimming, full-width → half-width conversion and
 * upper-casing are the caller's job (see `normalizeDigits`).
 */

// ---------------------------------------------------------------------------
// 统一社会信用代码 — GB 32100-2015
// ---------------------------------------------------------------------------

/** Character set of the credit code; the index of a character is its value (0–30). */
export const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights 3^i mod 31 for i = 0..16: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28. */
const CREDIT_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

const CREDIT_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * Check character (position 18) for the first 17 characters of a credit code.
 * c = 31 − (Σ value × weight mod 31); c = 31 means '0'.
 * @throws RangeError when `first17` is not 17 characters from the credit-code character set.
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`creditCodeCheckChar: expected 17 characters, got ${first17.length}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CHARSET.indexOf(first17.charAt(i));
    if (v < 0) {
      throw new RangeError(`creditCodeCheckChar: character "${first17.charAt(i)}" not allowed`);
    }
    sum += v * (CREDIT_WEIGHTS[i] as number);
  }
  const c = 31 - (sum % 31);
  return CREDIT_CHARSET.charAt(c === 31 ? 0 : c);
}

/** Validate a 统一社会信用代码 (charset, shape and check character). */
export function checkCreditCode(s: string): string | null {
  const chars = Array.from(s);
  if (chars.length !== 18) return `长度应为 18 位（现为 ${chars.length} 位）`;
  for (const ch of chars) {
    if (CREDIT_CHARSET.includes(ch)) continue;
    if (/^[a-z]$/.test(ch) && CREDIT_CHARSET.includes(ch.toUpperCase())) {
      return `字母应大写（“${ch}”应为“${ch.toUpperCase()}”）`;
    }
    return `含有不允许的字符“${ch}”（不使用 I、O、Z、S、V）`;
  }
  if (!/^\d{6}$/.test(s.slice(2, 8))) return '第 3–8 位应为数字（行政区划码）';
  if (!CREDIT_SHAPE.test(s)) return '格式不正确';
  const expected = creditCodeCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) return `校验码错误，应为 ${expected}`;
  return null;
}

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714 check character of an organisation code's first 8 characters (digits 0–9, letters
 * A=10 … Z=35): c = 11 − (Σ value × weight mod 11), 10 → 'X', 11 → '0'. In a credit code these are
 * positions 9–16 and the check is position 17.
 */
export function orgCodeCheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body.charAt(i);
    const v = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * GB 11714 check of the embedded organisation code (positions 9–17).
 * Returns a warning string when the inner check character does not match,
 * `null` when it matches or when `s` is not a well-formed credit code
 * (that is `checkCreditCode`'s business).
 */
export function creditCodeInnerWarning(s: string): string | null {
  if (!CREDIT_SHAPE.test(s)) return null;
  const expected = orgCodeCheckChar(s.slice(8, 16));
  if (s.charAt(16) !== expected) {
    return `第 17 位（组织机构代码校验码）应为 ${expected}，请核对（仅提示）`;
  }
  return null;
}

// ---------------------------------------------------------------------------
// 居民身份证号码 — GB 11643-1999
// ---------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/**
 * Check character for the first 17 digits of an ID number.
 * @throws RangeError when `first17` is not 17 ASCII digits.
 */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError('idNumberCheckChar: expected 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK.charAt(sum % 11);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function dateExists(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * Validate an 18-digit 居民身份证号码: shape, birth date (exists, 1900 or later,
 * not after `today` in local time) and check character.
 */
export function checkIdNumber(s: string, today: Date = new Date()): string | null {
  const chars = Array.from(s);
  if (chars.length !== 18) return `长度应为 18 位（现为 ${chars.length} 位）`;
  if (/^\d{17}x$/.test(s)) return '末位 x 应大写为 X';
  if (!/^\d{17}[\dX]$/.test(s)) return '前 17 位应为数字，末位应为数字或 X';

  const birth = s.slice(6, 14);
  const y = Number(birth.slice(0, 4));
  const m = Number(birth.slice(4, 6));
  const d = Number(birth.slice(6, 8));
  if (!dateExists(y, m, d)) return `出生日期 ${birth} 不存在`;
  if (y < 1900) return `出生日期 ${birth} 早于 1900 年`;
  const t = today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate();
  if (y * 10000 + m * 100 + d > t) return `出生日期 ${birth} 晚于今天`;

  const expected = idNumberCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) return `校验码错误，应为 ${expected}`;
  return null;
}

// ---------------------------------------------------------------------------
// Telephone numbers
// ---------------------------------------------------------------------------

const PHONE_PATTERNS: readonly RegExp[] = [
  // mobile, optional +86 / 86 prefix (optionally followed by one space or hyphen)
  /^(?:\+?86[ -]?)?1[3-9]\d{9}$/,
  // landline with area code; extension as 转NNN or -NNN
  /^0(?:10|2\d|[3-9]\d{2})-?[2-9]\d{6,7}(?:转\d{1,6}|-\d{1,6})?$/,
  // local number without area code; extension only as 转NNN
  /^[2-9]\d{6,7}(?:转\d{1,6})?$/,
  // 400 / 800
  /^[48]00-?\d{3}-?\d{4}$/,
  // service short numbers
  /^(?:12345|12369)$/,
];

const PHONE_REASON = '不是有效的电话号码（手机 11 位，座机如 0377-61387687 或 61387687）';

/** Validate a mobile, landline (with or without area code), 400/800 or service number. */
export function checkPhone(s: string): string | null {
  return PHONE_PATTERNS.some((re) => re.test(s)) ? null : PHONE_REASON;
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

/** Validate "YYYY-MM-DD" (a date that exists on the Gregorian calendar). */
export function checkDate(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return '日期格式应为 YYYY-MM-DD';
  if (!dateExists(Number(m[1]), Number(m[2]), Number(m[3]))) return `日期 ${s} 不存在`;
  return null;
}

/** Validate "YYYY-MM-DDTHH:MM" (existing date, hour 00–23, minute 00–59). */
export function checkDateTime(s: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(s);
  if (!m) return '时间格式应为 YYYY-MM-DDTHH:MM';
  const dateReason = checkDate(m[1]!);
  if (dateReason) return dateReason;
  if (Number(m[2]) > 23) return `小时应为 00–23（现为 ${m[2]}）`;
  if (Number(m[3]) > 59) return `分钟应为 00–59（现为 ${m[3]}）`;
  return null;
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/**
 * Convert full-width ASCII forms (U+FF01–U+FF5E: digits, letters, hyphen,
 * colon, plus, period, …) and the ideographic space U+3000 to half-width.
 * Does not trim or change case.
 */
export function normalizeDigits(s: string): string {
  return s.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}
