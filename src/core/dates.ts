/** The date written into every file's metadata, so that the same data gives the same bytes. */
export const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));

/** Dates as Chinese official documents print them: 2026年3月2日, 2026年3月2日 14:40. */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

export function chineseDateTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${chineseDate(m[1])} ${m[2]}:${m[3]}`;
}

/** Two-character names take the width of three, as the source prints 王 玉. */
export function spacedName(name: string): string {
  const chars = [...name.trim()];
  return chars.length === 2 && chars.every((c) => /\p{Script=Han}/u.test(c)) ? `${chars[0]}\u3000${chars[1]}` : name.trim();
}

// Dates as people write them (on forms, in spreadsheets), read back to ISO; full-width digits are the
// caller's to fold (normalizeDigits).
const pad = (n: string | number) => String(n).padStart(2, '0');

/** 2026年3月2日, 2026.03.02, 2026-03-02, 2026/3/2 → 2026-03-02 */
export function parseDate(s: string): string | undefined {
  const m = /^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$/.exec(s.trim());
  return m ? `${m[1]}-${pad(m[2])}-${pad(m[3])}` : undefined;
}

/** 2026年3月2日 14:40, 2026-03-02 14时40分, 2026-03-02T14:40(:00) → 2026-03-02T14:40 */
export function parseDateTime(s: string): string | undefined {
  const m = /^(.*?\d{1,2}\s*日?)\s*(?:T|\s)*\s*(\d{1,2})\s*[:：时點点]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*\d{1,2}\s*秒?)?$/.exec(s.trim());
  // a whole hour: 15时, 3点, 15时整
  const whole = m ? undefined : /^(.*?\d{1,2}\s*日)\s*(\d{1,2})\s*[时點点]\s*整?$/.exec(s.trim());
  const [date, hour, minute] = m ? [m[1], m[2], m[3]] : whole ? [whole[1], whole[2], '0'] : [];
  if (!date || !hour || !minute) return undefined;
  const d = parseDate(date);
  return d ? `${d}T${pad(hour)}:${pad(minute)}` : undefined;
}
