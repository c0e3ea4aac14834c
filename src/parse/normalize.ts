/**
 * Values as read from a page, turned back into the record's formats: trimmed, wrapped lines joined
 * (by the reader), full-width digits and letters folded in codes, phones and dates, alignment spaces
 * dropped from personal names, printed dates (2026年3月2日 14:40) back to ISO. A value that cannot be
 * converted is kept as read, so validation reports it.
 */
import type { JsonSchema } from '../core/schema.js';
import { normalizeDigits } from '../core/identifiers.js';
import { formatOf, type Normalised } from '../core/formats.js';
import { blankFor } from '../core/blank.js';

export type { Normalised } from '../core/formats.js';

const HAN = /\p{Script=Han}/u;

/** 王　玉 / 王 玉 → 王玉; spaces between Latin letters stay. */
export function personName(s: string): string {
  const chars = [...s.trim()];
  let out = '';
  chars.forEach((c, i) => {
    if (/[\s\u3000]/.test(c)) {
      const before = out[out.length - 1] ?? '';
      const after = chars.slice(i + 1).find((x) => !/[\s\u3000]/.test(x)) ?? '';
      if (HAN.test(before) || HAN.test(after) || !before || !after) return;
      if (/\s$/.test(out)) return;
      out += ' ';
      return;
    }
    out += c;
  });
  return out;
}

/** A text value from the page into the field's schema type and format. */
export function normaliseValue(schema: JsonSchema | undefined, raw: string): Normalised {
  // the fill-in line a value was written on (＿＿陈月明＿＿) is no part of it
  const text = raw.trim().replace(/^[_＿]+|[_＿]+$/g, '').trim();
  if (schema?.['x-display'] === 'personName') {
    // a name has no brackets: what stands in them is a printed note (（签字）, (本人手签))
    const v = personName(text.replace(/[（(〔【[][^）)〕】\]]{0,12}[）)〕】\]]/g, ''));
    return { value: v, repaired: v.replace(/\s/g, '') !== text.replace(/[\s\u3000]/g, ''), ok: true };
  }
  const format = formatOf(schema);
  if (format) return format.read(text);
  if (schema?.type === 'integer' || schema?.type === 'number') {
    const n = Number(normalizeDigits(text).replace(/[,\s]/g, ''));
    if (text && Number.isFinite(n)) return { value: n, repaired: false, ok: true };
  }
  return { value: text, repaired: false, ok: true };
}

/** Text that is only a blank form's fill-in skeleton (　年　月　日, ＿＿＿): nothing was filled in. */
export function isUnfilled(schema: JsonSchema | undefined, raw: string): boolean {
  const literal = blankFor(schema).filter((p): p is string => typeof p === 'string').join('');
  return ![...raw].some((c) => !/[\s\u3000_＿—–-]/.test(c) && !literal.includes(c));
}
