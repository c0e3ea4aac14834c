import type { Block, Cell, Span } from '../core/model.js';
import type { Kind } from '../core/kind.js';
import { UserError } from '../core/errors.js';
import type { PageGeometry } from '../pdf/page.js';
import { flatten, group, type Numbering, type UnitInfo } from './loops.js';
import { run, type Jc, type RunStyle } from './xml.js';
import { NUMBER_MARK, NUMBER_TAG } from './tagValues.js';
import { isTagSpan, TAG_MARK } from './conditions.js';

/** What building a template's body needs to know, shared by its blocks and tables. */
export interface BodyContext {
  kind: Kind;
  geo: PageGeometry;
  official: boolean;
  /** Item numbers found while grouping loops. */
  numbering: Numbering;
  /** Sections around whole blocks (wording shown only when an optional field has a value). */
  around: Map<Block, { open: string[]; close: string[] }>;
}

export const ALIGN: Record<string, Jc> = { left: 'left', center: 'center', right: 'right', justify: 'both' };

export function spanInfo(spans: Span[]): UnitInfo {
  return { fields: spans.flatMap((s) => (s.field ? [s.field] : [])), texts: spans.filter((s) => !s.field).map((s) => s.text) };
}

export function cellInfo(c: Cell): UnitInfo {
  const i = spanInfo(c.spans ?? []);
  if (c.checkboxes) i.fields.push(c.checkboxes.field);
  return i;
}

/** Fixed text of the layout: an item number becomes the number tag; nothing else may look like a tag. */
export function literal(bc: BodyContext, text: string, ctx = ''): string {
  if (/[{}]/.test(text)) throw new UserError(`文书版式中的文字含有花括号 { }，Word 模板会把它当作标记：${text}`);
  return (bc.numbering.get(ctx)?.get(text) ?? text).split(NUMBER_MARK).join(`{${NUMBER_TAG}}`);
}

/** Spans as runs, with inline loops for lists that lie inside one paragraph. */
export function inline(bc: BodyContext, spans: Span[], ctx: string, style: RunStyle): string[] {
  const flat = flatten(group(spans, ctx, (s) => spanInfo([s]), bc.numbering));
  return flat.flatMap((f) => [
    ...f.open.map((t) => run(t, style)),
    run(f.unit.field ? f.unit.text : isTagSpan(f.unit) ? f.unit.text.slice(TAG_MARK.length) : literal(bc, f.unit.text, f.ctx), style),
    ...f.close.map((t) => run(t, style)),
  ]);
}
