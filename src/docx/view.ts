import type { Kind } from '../core/kind.js';
import type { Block, Span } from '../core/model.js';
import type { JsonSchema } from '../core/schema.js';
import { setAt, toPointer } from '../core/pointer.js';
import { blankValue } from './blank.js';

/** Every span of a page, in order. */
export function spansOf(blocks: Block[]): Span[] {
  return blocks.flatMap((b): Span[] => {
    switch (b.type) {
      case 'attachment':
      case 'cutLine':
        return [];
      case 'list':
        return b.items.flat();
      case 'signature':
        return b.lines.flat();
      case 'table':
        return [...(b.head ?? []), ...b.body, ...(b.each?.rows ?? []), ...(b.foot ?? [])].flat().flatMap((c) => c.spans ?? []);
      default:
        return b.spans;
    }
  });
}

/**
 * The record as the document prints it, in the record's own shape, for docxtemplater. Each value
 * is the text the kind's layout prints for its field (so anything a layout does to a value, such as
 * normalising a 发文字号, is the PDF's too); values the layout does not show go through
 * `KindSchema.display` (dates as 2026年3月2日, two-character names spaced). Lists stay lists; an
 * absent property with a schema `default` prints its default; empty strings are left out, so
 * `{#field}` sections treat them as absent. For a blank form (`blank`), the values are the fill-in
 * lines the layout prints in running text (docx/blank.ts); other fields are empty, defaults print.
 */
export function displayView(kind: Kind, record: unknown, blank = false): unknown {
  const printed = new Map<string, string>();
  if (blank) {
    // A blank form: fields the layout shows in running text print their fill-in lines; those in
    // table cells stay empty (the cell is the space).
    const filled: Record<string, unknown> = {};
    const blocks = kind.def.layout(kind.values(record ?? {}, true), kind).filter((b) => b.type !== 'table');
    for (const s of spansOf(blocks)) {
      if (!s.field || !s.blank || s.text || printed.has(s.field)) continue;
      printed.set(s.field, blankValue(s.blank));
      setAt(filled, s.field, true);
    }
    record = filled;
  } else if (record !== null && typeof record === 'object') {
    for (const s of spansOf(kind.def.layout(kind.values(record), kind))) if (s.field && !printed.has(s.field)) printed.set(s.field, s.text);
  }
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
    const pointer = toPointer(path);
    const text = value === undefined || value === null ? '' : (printed.get(pointer) ?? kind.schema.display(pointer, value));
    return text === '' ? undefined : text;
  };
  return walk(record ?? {}, kind.schema.schema, []);
}
