/**
 * What OCR looks for on a page, read from a kind's layout: the label cells of its tables and the
 * value cell each label precedes (with its hint and check boxes). Nothing here knows a kind by name.
 */
import type { Kind } from '../core/kind.js';
import type { Block, Cell } from '../core/model.js';

export interface OcrSlot {
  /** The label's text, normalised for matching. */
  label: string;
  /** The value cell's fields (JSON pointers). */
  fields: string[];
  hint?: string;
  checkboxes?: { field: string; options: string[] };
  /** Other fixed text printed in the value cell (e.g. clauses): not a value. */
  fixed?: string;
}

export interface OcrTemplate {
  kind: Kind;
  slots: OcrSlot[];
  /** Every label, for recognising the kind. */
  labels: string[];
  /** Title and other fixed text. */
  anchors: string[];
}

/** Compare text without spaces, with full-width forms and quotes folded. */
export function key(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[“”"'‘’]/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')');
}

const cache = new WeakMap<Kind, OcrTemplate>();

export function ocrTemplate(kind: Kind): OcrTemplate {
  let t = cache.get(kind);
  if (t) return t;
  t = { kind, slots: [], labels: [], anchors: [] };
  const blocks: Block[] = kind.def.layout(kind.values(null, true), kind);
  for (const b of blocks) {
    if (b.type === 'table') {
      for (const row of [...(b.head ?? []), ...b.body, ...(b.each?.rows ?? []), ...(b.foot ?? [])]) {
        let label: Cell | undefined;
        for (const c of row) {
          if (c.role === 'label') {
            label = c;
            const text = key((c.spans ?? []).map((s) => s.text).join(''));
            if (text) t.labels.push(text);
            continue;
          }
          if (!label) continue;
          const fields = (c.spans ?? []).flatMap((s) => (s.field ? [s.field] : []));
          const labelText = key((label.spans ?? []).map((s) => s.text).join(''));
          const fixed = (c.spans ?? []).filter((s) => !s.field).map((s) => s.text).join('');
          if (fields.length || c.checkboxes)
            t.slots.push({
              label: labelText,
              fields,
              hint: c.hint ? key(c.hint) : undefined,
              checkboxes: c.checkboxes ? { field: c.checkboxes.field, options: c.checkboxes.options.map((o) => o.label) } : undefined,
              fixed: fixed ? key(fixed) : undefined,
            });
          label = undefined;
        }
      }
    } else if (b.type === 'title' || b.type === 'attachment' || b.type === 'paragraph') {
      const text = 'spans' in b ? b.spans.filter((s) => !s.field).map((s) => s.text).join('') : b.text;
      for (const part of text.split('\n')) if (key(part).length >= 4) t.anchors.push(key(part));
    }
  }
  cache.set(kind, t);
  return t;
}
