/**
 * What the parser looks for, read from a kind's layout (the same blocks the PDF is printed from):
 * the label cells of its tables, the value cells each label precedes, and the fixed text around
 * fields in its paragraphs. Nothing here knows a kind by name.
 */
import type { Kind } from '../core/kind.js';
import type { Block, Cell, Span, TableBlock } from '../core/model.js';

export interface LabelSlot {
  text: string;
  /** Normalised for matching. */
  key: string;
  table: number;
  row: number;
  col: number;
}

export interface ValueSlot {
  /** The label this value follows in its row. */
  label: LabelSlot;
  spans: Span[];
  hint?: string;
  checkboxes?: { field: string; options: string[] };
  /** Pointers this cell fills. */
  fields: string[];
}

/** A block of running text: fixed spans are anchors, field spans are values. */
export interface FlowSlot {
  spans: Span[];
}

export interface Template {
  kind: Kind;
  labels: LabelSlot[];
  values: ValueSlot[];
  flow: Span[];
  /** Fixed text of titles and paragraphs, normalised: evidence for recognising the kind. */
  anchors: string[];
}

/** Labels compare without spaces and with full-width forms folded (（盖章） = (盖章)). */
export function matchKey(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u3000]+/g, '').replace(/[“”"]/g, '"');
}

const cache = new WeakMap<Kind, Template>();

export function templateOf(kind: Kind): Template {
  let t = cache.get(kind);
  if (!t) {
    t = build(kind);
    cache.set(kind, t);
  }
  return t;
}

function build(kind: Kind): Template {
  const blocks: Block[] = kind.def.layout(kind.values({}, true), kind);
  const t: Template = { kind, labels: [], values: [], flow: [], anchors: [] };
  let tableIndex = 0;
  for (const b of blocks) {
    if (b.type === 'table') {
      table(t, b, tableIndex++);
      continue;
    }
    const spans = blockSpans(b);
    if (!spans.length) continue;
    // A break between blocks is an anchor of its own: a field never runs into the next block.
    t.flow.push(...spans, { text: '\n' });
    for (const s of spans) if (!s.field && matchKey(s.text).length >= 2) t.anchors.push(matchKey(s.text));
  }
  return t;
}

function blockSpans(b: Exclude<Block, TableBlock>): Span[] {
  switch (b.type) {
    case 'attachment':
    case 'cutLine':
      return [{ text: b.text }];
    case 'docNumber':
    case 'title':
    case 'paragraph':
      return b.spans;
    case 'list':
      return b.items.flatMap((it) => [...it, { text: '\n' }]);
    case 'signature':
      return b.lines.flatMap((l) => [...l, { text: '\n' }]);
  }
}

function table(t: Template, b: TableBlock, index: number): void {
  const rows = [...(b.head ?? []), ...b.body, ...(b.each?.rows ?? []), ...(b.foot ?? [])];
  const covered: number[] = [];
  rows.forEach((row, r) => {
    let col = 0;
    let last: LabelSlot | undefined;
    const skip = () => {
      while ((covered[col] ?? 0) > 0) {
        covered[col]--;
        col++;
      }
    };
    for (const c of row) {
      skip();
      if (c.role === 'label') {
        const text = (c.spans ?? []).map((s) => s.text).join('');
        if (matchKey(text)) {
          last = { text, key: matchKey(text), table: index, row: r, col };
          t.labels.push(last);
        }
      } else if (last) {
        const v = valueSlot(c, last);
        if (v) t.values.push(v);
      }
      const span = c.colSpan ?? 1;
      if ((c.rowSpan ?? 1) > 1) for (let k = 0; k < span; k++) covered[col + k] = (c.rowSpan ?? 1) - 1;
      col += span;
    }
    skip();
  });
}

function valueSlot(c: Cell, label: LabelSlot): ValueSlot | undefined {
  const spans = c.spans ?? [];
  const fields = spans.filter((s) => s.field).map((s) => s.field!);
  if (c.checkboxes) fields.push(c.checkboxes.field);
  if (!fields.length) return undefined;
  return {
    label,
    spans,
    hint: c.hint,
    checkboxes: c.checkboxes ? { field: c.checkboxes.field, options: c.checkboxes.options.map((o) => o.label) } : undefined,
    fields,
  };
}
