import type { Kind, Values } from '../core/kind.js';
import type { Span } from '../core/model.js';
import type { JsonSchema } from '../core/schema.js';

/**
 * Values reach Handlebars only as opaque tokens (private-use characters around a number), so the
 * template engine never sees their text: no escaping, no `{{…}}` evaluation, no markup. After the
 * template's line markup has been parsed, `spans` turns each token back into the value's printed
 * text (dates as 2026年3月2日, …) tied to its field.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;
/** Characters a template's own text may not contain (they would be read as tokens). */
export const RESERVED = /[\uE000\uE001]/;

export class Placeholders {
  private values: Span[] = [];

  constructor(
    private kind: Kind,
    private v: Values,
  ) {}

  /**
   * The template context: the schema's shape, a token for each present value, undefined for absent
   * ones (on a blank form, a token for the fill-in line of each required one).
   */
  context(): Record<string, unknown> {
    return this.build(this.kind.schema.schema, '', true) as Record<string, unknown>;
  }

  private build(schema: JsonSchema, path: string, required: boolean): unknown {
    const raw = this.v.raw(path);
    if (schema.type === 'object' && schema.properties) {
      // Every property is present (maybe undefined), so strict templates reject only misspelt names.
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties)) {
        out[key] = this.build(sub, path ? `${path}/${key}` : key, required && !!schema.required?.includes(key));
      }
      return out;
    }
    if (schema.type === 'array') {
      if (!Array.isArray(raw) || !schema.items) return [];
      return raw.map((_, i) => this.build(schema.items!, `${path}/${i}`, true));
    }
    // On a blank form a required value is a fill-in line; optional ones stay absent, so wording
    // shown only for them ({{#if principal.phone}}) is left out, as for a record without them.
    if (raw === undefined || raw === null || raw === '') return this.v.blank && required ? this.token(path) : undefined;
    return this.token(path);
  }

  private token(path: string): string {
    const span = this.v.span(path);
    // A value is one run of text: its line breaks could not start a block, but would break the line.
    this.values.push({ ...span, text: span.text.replace(/\s*[\r\n]+\s*/g, ' ') });
    return `${OPEN}${this.values.length - 1}${CLOSE}`;
  }

  /** Literal text and values of one line; neighbouring literal pieces are merged. */
  spans(text: string): Span[] {
    const out: Span[] = [];
    const literal = (t: string) => {
      if (!t) return;
      const last = out[out.length - 1];
      if (last && last.field === undefined) last.text += t;
      else out.push({ text: t });
    };
    let at = 0;
    for (const m of text.matchAll(TOKEN)) {
      literal(text.slice(at, m.index));
      const span = this.values[Number(m[1])];
      if (span) out.push({ ...span });
      at = m.index! + m[0].length;
    }
    literal(text.slice(at));
    return out;
  }

  /** Plain text of a line (for block parts that carry no field, e.g. a cut line's caption). */
  text(text: string): string {
    return this.spans(text)
      .map((s) => s.text)
      .join('');
  }
}
