import { parsePointer, toPointer } from '../core/pointer.js';
import { NUMBER_MARK } from './tagValues.js';

/**
 * Finding loops in a layout made from `TagValues`: every list appears as two sample items, so a
 * sequence of units (blocks, table rows, spans) shows item 0's units, then any separator, then item
 * 1's. The first item plus the separator becomes the loop body; item 1 is dropped. Plain text that
 * reads 1 in item 0 where item 1 reads 2 is the item's number.
 */

/** Per loop item base (e.g. `/materials/0`): texts of its body with the item number marked. */
export type Numbering = Map<string, Map<string, string>>;

/** What the grouping needs to know of a unit: the fields and plain texts it holds. */
export interface UnitInfo {
  fields: string[];
  texts: string[];
}

/** A unit outside any new loop, or a loop: its body, and the separator printed between items. */
export type Piece<T> = { unit: T; ctx: string } | { loop: string; name: string; body: Piece<T>[]; between: Piece<T>[] };

/** The tag that is true on a loop's last item (separators print `{^$last}…{/$last}`). */
export const LAST_TAG = '$last';

interface Member {
  list: string;
  index: number;
}

/** The list item a field lies in, one level below the item base `ctx` ('' at the top). */
function step(field: string, ctx: string): Member | undefined {
  if (ctx && field !== ctx && !field.startsWith(ctx + '/')) return undefined;
  const parts = parsePointer(field.slice(ctx.length));
  const i = parts.findIndex((p) => /^\d+$/.test(p));
  if (i < 0) return undefined;
  return { list: ctx + toPointer(parts.slice(0, i)), index: Number(parts[i]) };
}

/** A unit's item: one (list, index) for all its fields; a unit showing both items is a container. */
function memberOf(info: UnitInfo, ctx: string): Member | 'container' | undefined {
  const steps = new Map<string, Member>();
  for (const f of info.fields) {
    const s = step(f, ctx);
    if (s) steps.set(`${s.list}#${s.index}`, s);
  }
  if (steps.size > 1) return 'container';
  if (steps.size === 1) return [...steps.values()][0];
  return undefined;
}

/** The loop's tag: the list's path relative to the enclosing item. */
function loopName(list: string, ctx: string): string {
  return parsePointer(list.slice(ctx.length)).join('.');
}

const ONE = /(?<!\d)1(?!\d)/g;
const TWO = /(?<!\d)2(?!\d)/g;

/** Item 0's text with the number marked where item 1's text differs by reading 2 for 1. */
function numbered(t0: string, t1: string): string | undefined {
  const a = t0.split(/(\d+)/);
  const b = t1.split(/(\d+)/);
  if (a.length !== b.length) return undefined;
  let changed = false;
  const out = a.map((x, i) => {
    if (x === b[i]) return x;
    if (x === '1' && b[i] === '2') {
      changed = true;
      return NUMBER_MARK;
    }
    return undefined;
  });
  return changed && out.every((x) => x !== undefined) ? out.join('') : undefined;
}

export function group<T>(units: T[], ctx: string, info: (u: T) => UnitInfo, numbering: Numbering = new Map()): Piece<T>[] {
  const infos = units.map(info);
  const members = infos.map((i) => memberOf(i, ctx));
  const is = (j: number, list: string, index: number) => {
    const m = members[j];
    return !!m && m !== 'container' && m.list === list && m.index === index;
  };
  const signature = (j: number, list: string, from: number) =>
    JSON.stringify({
      fields: infos[j].fields.map((f) => f.split(`${list}/${from}`).join(`${list}/#`)),
      texts: infos[j].texts.map((t) => t.replace(from ? TWO : ONE, '#n')),
    });

  const out: Piece<T>[] = [];
  let i = 0;
  while (i < units.length) {
    const m = members[i];
    if (!m || m === 'container' || m.index !== 0 || !m.list) {
      out.push({ unit: units[i], ctx });
      i++;
      continue;
    }
    const list = m.list;
    let first1 = -1;
    for (let j = i + 1; j < units.length && first1 < 0; j++) if (is(j, list, 1)) first1 = j;
    let end: number; // end of item 0 (plus what follows it up to item 1), exclusive
    let next: number; // where the units after the list start
    let between = 0; // units at the end of the body that separate items rather than end each one
    const pair = (k: number) => {
      const marks = numbering.get(`${list}/0`) ?? new Map<string, string>();
      for (let d = 0; d < k; d++) {
        infos[i + d].texts.forEach((t0, x) => {
          const n = numbered(t0, infos[first1 + d].texts[x] ?? '');
          if (n) marks.set(t0, n);
        });
      }
      if (marks.size) numbering.set(`${list}/0`, marks);
    };
    if (first1 < 0) {
      end = i + 1;
      for (let j = i + 1; j < units.length; j++) if (is(j, list, 0)) end = j + 1;
      next = end;
    } else {
      end = first1;
      const k = end - i;
      const same = first1 + k <= units.length && Array.from({ length: k }, (_, d) => signature(i + d, list, 0) === signature(first1 + d, list, 1)).every(Boolean);
      if (same) {
        next = first1 + k;
        pair(k);
      } else {
        next = first1 + 1;
        for (let j = first1 + 1; j < units.length && (is(j, list, 1) || !members[j]); j++) if (is(j, list, 1)) next = j + 1;
        let last0 = i;
        for (let j = i; j < first1; j++) if (is(j, list, 0)) last0 = j;
        between = first1 - last0 - 1;
        const itemLength = last0 - i + 1;
        if (first1 + itemLength <= units.length && Array.from({ length: itemLength }, (_, d) => signature(i + d, list, 0) === signature(first1 + d, list, 1)).every(Boolean)) pair(itemLength);
      }
    }
    const inner = `${list}/0`;
    out.push({
      loop: list,
      name: loopName(list, ctx),
      body: group(units.slice(i, end - between), inner, info, numbering),
      between: group(units.slice(end - between, end), inner, info, numbering),
    });
    i = next;
  }
  return out;
}

/** Units of a piece list in order, each with the loop tags opened before and closed after it. */
export interface Flat<T> {
  unit: T;
  ctx: string;
  open: string[];
  close: string[];
}

export function flatten<T>(pieces: Piece<T>[]): Flat<T>[] {
  const out: Flat<T>[] = [];
  for (const p of pieces) {
    if ('unit' in p) {
      out.push({ unit: p.unit, ctx: p.ctx, open: [], close: [] });
      continue;
    }
    const between = flatten(p.between);
    if (between.length) {
      between[0].open.unshift(`{^${LAST_TAG}}`);
      between[between.length - 1].close.push(`{/${LAST_TAG}}`);
    }
    const body = [...flatten(p.body), ...between];
    if (!body.length) continue;
    body[0].open.unshift(`{#${p.name}}`);
    body[body.length - 1].close.push(`{/${p.name}}`);
    out.push(...body);
  }
  return out;
}
