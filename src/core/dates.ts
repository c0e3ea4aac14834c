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
