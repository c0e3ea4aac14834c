import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from './paths.js';
import { parsePointer, toPointer } from './pointer.js';
import { spacedName } from './dates.js';
import { formatOf } from './formats.js';

export interface JsonSchema {
  title?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: string[];
  format?: string;
  default?: unknown;
  minItems?: number;
  /** How a value is printed: personName spaces two-character names to three. */
  'x-display'?: 'personName';
  /** Other labels forms print for this field (单位名称, 企业名称 …): the parser recognises them as well as the title. */
  'x-labels'?: string[];
  [key: string]: unknown;
}

/** A value's place in a record, with its schema and printed label. */
export interface Leaf {
  pointer: string;
  schema: JsonSchema;
  label: string;
}

/** A kind's JSON Schema: the single source of its field names, labels and formats. */
export class KindSchema {
  constructor(readonly schema: JsonSchema) {}

  static load(file: string): KindSchema {
    return new KindSchema(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as JsonSchema);
  }

  /** The subschema at a pointer; numeric steps enter array items. */
  at(pointer: string): JsonSchema | undefined {
    let cur: JsonSchema | undefined = this.schema;
    for (const key of parsePointer(pointer)) {
      if (!cur) return undefined;
      cur = /^\d+$/.test(key) && cur.items ? cur.items : cur.properties?.[key];
    }
    return cur;
  }

  /** The Chinese label of a value; list items carry their number: 材料名称（第 3 项）. */
  label(pointer: string): string {
    const parts = parsePointer(pointer);
    const title = this.at(pointer)?.title ?? parts[parts.length - 1] ?? this.schema.title ?? '';
    const index = parts.findLast((p) => /^\d+$/.test(p));
    return index !== undefined && !/^\d+$/.test(parts[parts.length - 1]) ? `${title}（第 ${Number(index) + 1} 项）` : title;
  }

  /** How a value prints in a document: dates in 年月日, names spaced. */
  display(pointer: string, value: unknown): string {
    if (value === undefined || value === null) return '';
    const s = this.at(pointer);
    const text = String(value);
    const print = formatOf(s)?.print;
    if (print) return print(text);
    if (s?.['x-display'] === 'personName') return spacedName(text);
    return text;
  }

  /** Every scalar field, in schema order; list items appear once, as `<list>/0/...`. */
  leaves(base: JsonSchema = this.schema, prefix: (string | number)[] = []): Leaf[] {
    const out: Leaf[] = [];
    if (base.type === 'object' && base.properties) {
      for (const [key, sub] of Object.entries(base.properties)) out.push(...this.leaves(sub, [...prefix, key]));
    } else if (base.type === 'array' && base.items?.type === 'object') {
      out.push(...this.leaves(base.items, [...prefix, 0]));
    } else {
      const pointer = toPointer(prefix);
      out.push({ pointer, schema: base, label: this.label(pointer) });
    }
    return out;
  }
}
