import type { Block, Span } from '../core/model.js';
import type { Kind } from '../core/kind.js';
import type { JsonSchema } from '../core/schema.js';
import { tagRecord } from './tagValues.js';

/**
 * Wording that a layout prints only when an optional field has a value (单位地址：… or （职务）)
 * becomes a docxtemplater section. The layout is run once with every field present and once per
 * optional field with that field left out; what disappears is wrapped in `{#field}…{/field}`, and
 * what appears instead in `{^field}…{/field}`.
 */

/** Starts the text of a span that stands for a section tag. */
export const TAG_MARK = '\uE101';
export const isTagSpan = (s: Span): boolean => s.text.startsWith(TAG_MARK);
const tagSpan = (tag: string): Span => ({ text: TAG_MARK + tag });

export interface Sections {
  blocks: Block[];
  /** Section tags to put in paragraphs of their own around whole blocks. */
  around: Map<Block, { open: string[]; close: string[] }>;
}

/** Every property its parent does not require; `*` steps into list items. */
function optionalPaths(schema: JsonSchema, path: string[] = []): string[][] {
  if (schema.type === 'array' && schema.items) return optionalPaths(schema.items, [...path, '*']);
  if (schema.type !== 'object' || !schema.properties) return [];
  return Object.entries(schema.properties).flatMap(([k, sub]) => [
    ...(schema.required?.includes(k) ? [] : [[...path, k]]),
    ...optionalPaths(sub, [...path, k]),
  ]);
}

function without(record: unknown, path: string[]): unknown {
  if (!path.length || record === null || typeof record !== 'object') return record;
  const [head, ...rest] = path;
  if (head === '*') return Array.isArray(record) ? record.map((x) => without(x, rest)) : record;
  const out = { ...(record as Record<string, unknown>) };
  if (rest.length) out[head] = without(out[head], rest);
  else delete out[head];
  return out;
}

const spanSig = (s: Span): string => (s.field ? `F:${s.field}` : `T:${s.text}`);

/** A block's lines of spans: one for a paragraph, one per item or line for lists and signatures. */
function linesOf(b: Block): Span[][] | undefined {
  if (b.type === 'paragraph' || b.type === 'title' || b.type === 'docNumber') return [b.spans];
  if (b.type === 'list') return b.items;
  if (b.type === 'signature') return b.lines;
  return undefined;
}

function withLines(b: Block, lines: Span[][]): Block {
  if (b.type === 'list') return { ...b, items: lines };
  if (b.type === 'signature') return { ...b, lines };
  return { ...b, spans: lines[0] } as Block;
}

function blockSig(b: Block): string {
  switch (b.type) {
    case 'attachment':
    case 'cutLine':
      return `${b.type}:${b.text}`;
    case 'list':
      return `list:${JSON.stringify(b.items.map((l) => l.map(spanSig)))}`;
    case 'signature':
      return `signature:${JSON.stringify(b.lines.map((l) => l.map(spanSig)))}`;
    case 'table':
      return `table:${b.widths.join(',')}`;
    default:
      return `${b.type}:${JSON.stringify(b.spans.map(spanSig))}`;
  }
}

interface Segment {
  line: number;
  start: number;
  end: number;
  name: string;
  alt: Span[];
}

export function findSections(kind: Kind, blocks: Block[]): Sections {
  const full = tagRecord(kind.schema.schema);
  const segments = new Map<Block, Segment[]>();
  const around = new Map<Block, { open: string[]; close: string[] }>();
  const wrap = (b: Block) => around.get(b) ?? (around.set(b, { open: [], close: [] }), around.get(b)!);
  for (const path of optionalPaths(kind.schema.schema)) {
    // A field with a default always prints (its default when absent).
    if (kind.schema.at('/' + path.map((p) => (p === '*' ? '0' : p)).join('/'))?.default !== undefined) continue;
    const star = path.lastIndexOf('*');
    const name = path.slice(star + 1).join('.');
    let other: Block[];
    try {
      other = kind.def.layout(kind.values(without(full, path)), kind);
    } catch {
      continue; // a layout that needs the field: its wording does not depend on it
    }
    let j = 0;
    let open: Block | undefined; // first block of a run that disappears
    let last: Block | undefined;
    const closeRun = () => {
      if (open && last) {
        wrap(open).open.push(`{#${name}}`);
        wrap(last).close.unshift(`{/${name}}`);
      }
      open = last = undefined;
    };
    for (let i = 0; i < blocks.length; i++) {
      const a = blocks[i];
      const b = other[j];
      if (b && blockSig(a) === blockSig(b)) {
        closeRun();
        j++;
        continue;
      }
      // Blocks that disappear: up to the next block of this layout that the other one shows.
      let k = i + 1;
      while (b && k < blocks.length && blockSig(blocks[k]) !== blockSig(b)) k++;
      const la = linesOf(a);
      const lb = b && b.type === a.type ? linesOf(b) : undefined;
      const comparable = !!la && !!lb && la.length === lb.length;
      if (!b || (k < blocks.length && (k === i + 1 || !comparable))) {
        open ??= a;
        last = blocks[k - 1];
        i = k - 1;
        continue;
      }
      closeRun();
      j++;
      if (!comparable) continue; // changed in a way a section cannot express: leave it as it is
      la!.forEach((sa, line) => {
        const sb = lb![line];
        let p = 0;
        while (p < sa.length && p < sb.length && spanSig(sa[p]) === spanSig(sb[p])) p++;
        if (p === sa.length && p === sb.length) return;
        let s = 0;
        while (s < sa.length - p && s < sb.length - p && spanSig(sa[sa.length - 1 - s]) === spanSig(sb[sb.length - 1 - s])) s++;
        const list = segments.get(a) ?? [];
        list.push({ line, start: p, end: sa.length - s, name, alt: sb.slice(p, sb.length - s) });
        segments.set(a, list);
      });
    }
    closeRun();
  }
  const replaced = new Map<Block, Block>();
  for (const [b, segs] of segments) {
    const lines = linesOf(b)!.map((spans, line) => marked(spans, segs.filter((g) => g.line === line)));
    replaced.set(b, withLines(b, lines));
  }
  const result = blocks.map((b) => replaced.get(b) ?? b);
  const aroundOut = new Map([...around].map(([b, v]) => [replaced.get(b) ?? b, v]));
  return { blocks: result, around: aroundOut };
}

/** A line's spans with section tags around the segments that depend on optional fields. */
function marked(spans: Span[], segs: Segment[]): Span[] {
  if (!segs.length) return spans;
  const before: Span[][] = spans.map(() => []);
  const after: Span[][] = spans.map(() => []);
  const at: Span[][] = Array.from({ length: spans.length + 1 }, () => []);
  // Outer sections open first and close last.
  segs.sort((x, y) => x.start - y.start || y.end - x.end);
  for (const g of segs) {
    const alt = g.alt.length ? [tagSpan(`{^${g.name}}`), ...g.alt, tagSpan(`{/${g.name}}`)] : [];
    if (g.end > g.start) {
      before[g.start].push(tagSpan(`{#${g.name}}`));
      after[g.end - 1].unshift(...alt);
      after[g.end - 1].unshift(tagSpan(`{/${g.name}}`));
    } else at[g.start].push(...alt);
  }
  return spans.flatMap((sp, i) => [...at[i], ...before[i], sp, ...after[i]]).concat(at[spans.length]);
}
