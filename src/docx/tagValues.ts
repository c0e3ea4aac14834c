import type { Kind, Values } from '../core/kind.js';
import type { JsonSchema } from '../core/schema.js';

/** The tag that prints an item's 1-based number inside a loop (what `Values.number` gives). */
export const NUMBER_TAG = '$number';

/** Stands for an item number in template text until the builder writes the number tag. */
export const NUMBER_MARK = '\uE100';

/**
 * A record shaped like the kind's schema whose every value is its own template tag: each scalar is
 * `{applicant.name}` (its path relative to the enclosing list item; `{.}` for an item that is a
 * plain value) and each list holds two sample items. Every field is present, so optional wording
 * appears in the template.
 */
export function tagRecord(schema: JsonSchema, rel: string[] = []): unknown {
  if (schema.type === 'object' && schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, tagRecord(s, [...rel, k])]));
  }
  if (schema.type === 'array') return [0, 1].map(() => tagRecord(schema.items ?? {}, []));
  return `{${rel.length ? rel.join('.') : '.'}}`;
}

/**
 * A `Values` source that yields template tags instead of values: a layout read through it prints
 * `{applicant.name}` where the value goes, tied to the field's pointer (…/0/… and …/1/… inside the
 * two sample items of a list). The builder takes the first item as a loop's body, the text between
 * the two as its separator, and numbers that differ between them (1, 2) as the item number.
 */
export function tagValues(kind: Kind): Values {
  return kind.values(tagRecord(kind.schema.schema));
}

/** The tag of a path relative to the current loop item: `applicant/name` → `applicant.name`, `` → `.`. */
export function tagName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length ? parts.join('.') : '.';
}
