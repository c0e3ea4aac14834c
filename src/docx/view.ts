import type { Kind } from '../core/kind.js';
import type { JsonSchema } from '../core/schema.js';
import { toPointer } from '../core/pointer.js';

/**
 * The record as the document prints it, in the record's own shape: every scalar goes through
 * `KindSchema.display` (dates as 2026年3月2日, two-character names spaced), lists stay lists, and an
 * absent property with a schema `default` prints its default (as the PDF's wording does).
 * Empty strings are left out, so `{#field}` sections treat them as absent.
 */
export function displayView(kind: Kind, record: unknown): unknown {
  const walk = (value: unknown, schema: JsonSchema | undefined, path: (string | number)[]): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => walk(v, schema?.items, [...path, i]));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = walk(v, schema?.properties?.[k], [...path, k]);
      for (const [k, sub] of Object.entries(schema?.properties ?? {})) {
        if (out[k] === undefined && sub.default !== undefined) out[k] = walk(structuredClone(sub.default), sub, [...path, k]);
      }
      return out;
    }
    const text = kind.schema.display(toPointer(path), value);
    return text === '' ? undefined : text;
  };
  return walk(record ?? {}, kind.schema.schema, []);
}
