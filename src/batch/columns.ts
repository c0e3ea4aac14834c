import type { Kind } from '../core/kind.js';
import type { JsonSchema } from '../core/schema.js';
import { parsePointer, pointerToDotted, toPointer } from '../core/pointer.js';

/**
 * Spreadsheet columns of a kind, derived from its schema alone.
 *
 * The records sheet has one column per scalar field (its Chinese title). A list of objects (a
 * notice's materials, a roster's entries) gets its own sheet, one item per row, keyed by the record
 * number column (序号). A list of plain strings may be one cell (items separated by 、 or ;) or a
 * sheet of its own with one column.
 */
export interface Column {
  /** Absolute pointer (records sheet) or pointer inside one list item ('' for a list of strings). */
  pointer: string;
  /** Header written to templates: the title, or parent·title where two fields share a title. */
  header: string;
  /** Every header accepted for this column, normalised (see normalizeHeader). */
  aliases: string[];
  schema: JsonSchema;
  required: boolean;
}

export interface ListSheet {
  /** Pointer of the list in the record, e.g. /materials. */
  pointer: string;
  /** Sheet name: the list's title. */
  title: string;
  /** Item columns (pointers relative to one item). */
  columns: Column[];
  /** A list of plain values: each item row has one value column. */
  scalar: boolean;
}

export interface ColumnPlan {
  main: Column[];
  lists: ListSheet[];
}

/** The record-number column that ties list rows to their record. */
export const NUMBER_HEADER = '序号';
const NUMBER_ALIASES = ['序号', '记录号', '记录序号', 'number', '#'];

/** Headers match after trimming, removing spaces and folding full-width forms. */
export function normalizeHeader(h: unknown): string {
  return String(h ?? '')
    .normalize('NFKC')
    .replace(/[\s\u3000*＊]+/g, '')
    .toLowerCase();
}

export function isNumberHeader(h: unknown): boolean {
  return NUMBER_ALIASES.includes(normalizeHeader(h));
}

/** A list of strings/numbers (not objects). */
export function isScalarList(s: JsonSchema | undefined): boolean {
  return !!s && s.type === 'array' && !!s.items && s.items.type !== 'object' && s.items.type !== 'array';
}

const plans = new WeakMap<Kind, ColumnPlan>();

export function columnPlan(kind: Kind): ColumnPlan {
  let plan = plans.get(kind);
  if (!plan) plans.set(kind, (plan = buildPlan(kind)));
  return plan;
}

function buildPlan(kind: Kind): ColumnPlan {
  const schema = kind.schema;
  const mainLeaves: { pointer: string; dotted: string[] }[] = [];
  const lists = new Map<string, { pointer: string; rel: string; dotted: string[] }[]>();
  for (const leaf of schema.leaves()) {
    const parts = parsePointer(leaf.pointer);
    const idx = parts.findIndex((p) => /^\d+$/.test(p));
    if (idx < 0) {
      mainLeaves.push({ pointer: leaf.pointer, dotted: [pointerToDotted(leaf.pointer)] });
      continue;
    }
    if (parts.slice(idx + 1).some((p) => /^\d+$/.test(p))) continue; // lists inside list items: JSON input only
    const list = toPointer(parts.slice(0, idx));
    const rel = toPointer(parts.slice(idx + 1));
    const without = [...parts.slice(0, idx), ...parts.slice(idx + 1)].join('.');
    const group = lists.get(list) ?? [];
    group.push({ pointer: leaf.pointer, rel, dotted: [pointerToDotted(rel), without, parts.join('.')] });
    lists.set(list, group);
  }

  const main = titled(kind, mainLeaves.map((l) => ({ abs: l.pointer, pointer: l.pointer, dotted: l.dotted })));
  const sheets: ListSheet[] = [];
  for (const [pointer, leaves] of lists) {
    sheets.push({
      pointer,
      title: schema.at(pointer)?.title ?? pointerToDotted(pointer),
      columns: titled(kind, leaves.map((l) => ({ abs: l.pointer, pointer: l.rel, dotted: l.dotted }))),
      scalar: false,
    });
  }
  // Lists of plain values may also come as a sheet of their own.
  for (const col of main) {
    if (!isScalarList(col.schema)) continue;
    const items = col.schema.items as JsonSchema;
    sheets.push({
      pointer: col.pointer,
      title: col.schema.title ?? pointerToDotted(col.pointer),
      columns: [{ pointer: '', header: col.header, aliases: col.aliases, schema: items, required: true }],
      scalar: true,
    });
  }
  return { main, lists: sheets };
}

/** Headers from titles; fields sharing a title get their parent's title in front (申请人·名称). */
function titled(kind: Kind, leaves: { abs: string; pointer: string; dotted: string[] }[]): Column[] {
  const schema = kind.schema;
  const title = (abs: string) => schema.at(abs)?.title ?? parsePointer(abs).pop() ?? abs;
  const parentTitle = (abs: string) => {
    const parts = parsePointer(abs);
    for (let i = parts.length - 1; i > 0; i--) {
      const p = parts.slice(0, i);
      if (/^\d+$/.test(p[p.length - 1])) continue;
      const t = schema.at(toPointer(p))?.title;
      if (t) return t;
    }
    return '';
  };
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const bare = leaves.map((l) => title(l.abs));
  const bareCount = count(bare.map(normalizeHeader));
  let headers = leaves.map((l, i) => (bareCount.get(normalizeHeader(bare[i]))! > 1 && parentTitle(l.abs) ? `${parentTitle(l.abs)}·${bare[i]}` : bare[i]));
  const headerCount = count(headers.map(normalizeHeader));
  headers = headers.map((h, i) => (headerCount.get(normalizeHeader(h))! > 1 ? leaves[i].dotted[0] : h));
  return leaves.map((l, i) => {
    const aliases = new Set([headers[i], ...l.dotted].map(normalizeHeader));
    if (bareCount.get(normalizeHeader(bare[i])) === 1) aliases.add(normalizeHeader(bare[i]));
    return { pointer: l.pointer, header: headers[i], aliases: [...aliases], schema: schema.at(l.abs) ?? {}, required: isRequired(kind, l.abs) };
  });
}

/** Required when every step from the record (or from its list item) down is required. */
function isRequired(kind: Kind, abs: string): boolean {
  const parts = parsePointer(abs);
  const start = parts.findLastIndex((p) => /^\d+$/.test(p)) + 1;
  for (let i = start; i < parts.length; i++) {
    const parent = kind.schema.at(toPointer(parts.slice(0, i)));
    const owner = parent?.type === 'array' ? parent.items : parent;
    if (!owner?.required?.includes(parts[i])) return false;
  }
  return true;
}

/** Map headers of a sheet to columns; returns the column (or null) for each header position. */
export function matchHeaders(headers: unknown[], columns: Column[]): { byIndex: (Column | null)[]; numberIndex: number; unknown: string[] } {
  const byAlias = new Map<string, Column>();
  for (const c of columns) for (const a of c.aliases) if (!byAlias.has(a)) byAlias.set(a, c);
  const byIndex: (Column | null)[] = [];
  let numberIndex = -1;
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    const n = normalizeHeader(h);
    const col = byAlias.get(n);
    if (col) byIndex[i] = col;
    else {
      byIndex[i] = null;
      if (numberIndex < 0 && isNumberHeader(h)) numberIndex = i;
      else if (n) unknown.push(String(h).trim());
    }
  });
  return { byIndex, numberIndex, unknown };
}

/** The list sheet whose columns a header row names best (at least one item column besides 序号). */
export function listForHeaders(plan: ColumnPlan, headers: unknown[], sheetName?: string): ListSheet | undefined {
  const byName = sheetName ? plan.lists.find((l) => normalizeHeader(l.title) === normalizeHeader(sheetName) && !l.scalar) : undefined;
  let best: ListSheet | undefined;
  let bestScore = 0;
  for (const l of plan.lists) {
    const score = matchHeaders(headers, l.columns).byIndex.filter(Boolean).length;
    if (score > bestScore || (score === bestScore && score > 0 && l === byName)) {
      best = l;
      bestScore = score;
    }
  }
  return best;
}
