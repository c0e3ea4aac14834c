/**
 * What the parser looks for, read from a kind's layout (the same blocks the PDF is printed from):
 * the label cells of its tables, the value cells each label precedes, and the fixed text around
 * fields in its paragraphs. Nothing here knows a kind by name.
 */
import type { Kind } from '../core/kind.js';
import type { Block, Cell, Span, TableBlock } from '../core/model.js';
import type { JsonSchema } from '../core/schema.js';
import { formatOf } from '../core/formats.js';
import { matchKey } from '../core/normalizeText.js';

export interface LabelSlot {
  text: string;
  /** Normalised for matching. */
  key: string;
  /** Other ways forms name it (match keys): the titles of the fields it labels and their declared synonyms (`x-labels`). */
  alternatives: string[];
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

/** A table with one row per list item under a header row: each column's header label and field. */
export interface EachTable {
  list: string;
  columns: { label: LabelSlot; rel: string; scalarList: boolean }[];
}

export interface Template {
  kind: Kind;
  eachTables: EachTable[];
  /** Lists of plain values printed one item per line in running text (the flow holds one span for all). */
  lists: Set<string>;
  labels: LabelSlot[];
  values: ValueSlot[];
  flow: Span[];
  /** Fixed text of titles and paragraphs, normalised: evidence for recognising the kind. */
  anchors: string[];
}

export { matchKey } from '../core/normalizeText.js';

const cache = new WeakMap<Kind, Template>();

export function templateOf(kind: Kind): Template {
  let t = cache.get(kind);
  if (!t) {
    t = build(kind);
    cache.set(kind, t);
  }
  return t;
}

/**
 * A record with every field present (two items per list), so that the layout shows every field it
 * can show, conditional parts included; only the positions of fields matter, not these values.
 */
export function sampleRecord(s: JsonSchema | undefined): unknown {
  if (!s) return '样例';
  if (s.type === 'object' || s.properties) {
    const o: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(s.properties ?? {})) o[k] = sampleRecord(sub);
    return o;
  }
  if (s.type === 'array') return s.items?.enum ? [...s.items.enum] : [sampleRecord(s.items), sampleRecord(s.items)];
  if (s.enum) return s.enum[0];
  if (s.type === 'integer' || s.type === 'number') return 1;
  if (s.type === 'boolean') return true;
  return formatOf(s)?.sample ?? '样例';
}

function build(kind: Kind): Template {
  let blocks: Block[];
  try {
    blocks = kind.def.layout(kind.values(sampleRecord(kind.schema.schema), false), kind);
  } catch {
    blocks = kind.def.layout(kind.values({}, true), kind);
  }
  const t: Template = { kind, eachTables: [], lists: new Set(), labels: [], values: [], flow: [], anchors: [] };
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
  collapseLists(t);
  return t;
}

/** The items of a list of plain values in running text become one span: their count varies. */
function collapseLists(t: Template): void {
  for (;;) {
    const i = t.flow.findIndex((s) => s.field && /\/0$/.test(s.field) && isScalarList(t.kind, s.field.replace(/\/0$/, '')));
    if (i < 0) return;
    const list = t.flow[i].field!.replace(/\/0$/, '');
    let last = i;
    t.flow.forEach((s, k) => {
      if (s.field && s.field.startsWith(list + '/')) last = Math.max(last, k);
    });
    let start = i;
    while (start > 0 && t.flow[start - 1].text !== '\n' && !t.flow[start - 1].field) start--;
    let end = last + 1;
    while (end < t.flow.length && t.flow[end].text !== '\n' && !t.flow[end].field) end++;
    t.flow.splice(start, end - start, { text: '', field: list });
    t.lists.add(list);
  }
}

function isScalarList(kind: Kind, pointer: string): boolean {
  const s = kind.schema.at(pointer);
  return s?.type === 'array' && s.items?.type !== 'object';
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
          last = { text, key: matchKey(text), alternatives: [], table: index, row: r, col };
          t.labels.push(last);
        }
      } else if (last) {
        const v = valueSlot(c, last);
        if (v) {
          t.values.push(v);
          for (const f of v.fields) for (const name of fieldNames(t.kind, f)) if (name !== last.key && !last.alternatives.includes(name)) last.alternatives.push(name);
        }
      }
      const span = c.colSpan ?? 1;
      if ((c.rowSpan ?? 1) > 1) for (let k = 0; k < span; k++) covered[col + k] = (c.rowSpan ?? 1) - 1;
      col += span;
    }
    skip();
  });
  eachTable(t, b, index);
}

/** Header labels by column, and the fields the first item's row shows in each column. */
function eachTable(t: Template, b: TableBlock, index: number): void {
  const first = b.each?.rows[0];
  const headRow = b.head?.length ? b.head.length - 1 : -1;
  if (!b.each || !first || headRow < 0) return;
  const list = b.each.field;
  const labels = t.labels.filter((l) => l.table === index && l.row === headRow);
  const columns: EachTable['columns'] = [];
  let col = 0;
  for (const c of first) {
    const fields = (c.spans ?? []).filter((s) => s.field?.startsWith(list + '/0/')).map((s) => s.field!.slice(list.length + 2));
    const label = labels.find((l) => l.col === col);
    if (label && fields.length) {
      // several values of one sub-list in a cell (a roster's names): the list, split on spaces
      const sub = fields[0].replace(/\/\d+$/, '');
      const scalarList = fields.length > 1 || /\/\d+$/.test(fields[0]);
      columns.push({ label, rel: scalarList ? sub : fields[0], scalarList });
    }
    col += c.colSpan ?? 1;
  }
  if (columns.length) t.eachTables.push({ list, columns });
}

/** A field's title and the other labels its schema declares for it, as match keys. */
function fieldNames(kind: Kind, pointer: string): string[] {
  const s = kind.schema.at(pointer);
  const names = [s?.title, ...((s?.['x-labels'] as string[] | undefined) ?? [])].filter((x): x is string => !!x);
  return names.map(matchKey).filter(Boolean);
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
