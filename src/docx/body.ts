import type { Block, Cell, FontRole, Span, TableBlock } from '../core/model.js';
import type { Kind } from '../core/kind.js';
import { UserError } from '../core/errors.js';
import type { PageGeometry } from '../pdf/page.js';
import { NATURAL_LINE } from '../pdf/page.js';
import { flatten, group, type Flat, type Numbering, type UnitInfo } from './loops.js';
import { paragraph, run, twips, type Jc, type ParaStyle, type RunStyle } from './xml.js';
import { NUMBER_MARK, NUMBER_TAG, tagName } from './tagValues.js';
import { CHECKBOX_FONT, checkboxTag } from './tags.js';
import { ROLE_STYLE, TABLE_STYLE, TITLE_SIZE } from './styles.js';
import { isTagSpan, TAG_MARK } from './conditions.js';

/**
 * The document model of a kind, laid out with `TagValues`, as the body of word/document.xml: the
 * same blocks the PDF prints, with `{tags}` where values go and docxtemplater loops where lists go.
 */
export interface BodyContext {
  kind: Kind;
  geo: PageGeometry;
  official: boolean;
  /** Item numbers found while grouping loops. */
  numbering: Numbering;
  /** Sections around whole blocks (wording shown only when an optional field has a value). */
  around: Map<Block, { open: string[]; close: string[] }>;
}

const ALIGN: Record<string, Jc> = { left: 'left', center: 'center', right: 'right', justify: 'both' };

/** Digits and letters of identifiers, as official documents print them. */
export const LATIN_FONT = 'Times New Roman';

/** Identifiers stay on one line: the longest value of each format, in ems. */
const UNBROKEN_EMS: Record<string, number> = { 'credit-code': 18 * 0.6, 'id-card': 18 * 0.6, phone: 12 * 0.6 };

function spanInfo(spans: Span[]): UnitInfo {
  return { fields: spans.flatMap((s) => (s.field ? [s.field] : [])), texts: spans.filter((s) => !s.field).map((s) => s.text) };
}

function cellInfo(c: Cell): UnitInfo {
  const i = spanInfo(c.spans ?? []);
  if (c.checkboxes) i.fields.push(c.checkboxes.field);
  return i;
}

function blockInfo(b: Block): UnitInfo {
  switch (b.type) {
    case 'attachment':
    case 'cutLine':
      return { fields: [], texts: [b.text] };
    case 'docNumber':
    case 'title':
    case 'paragraph':
      return spanInfo(b.spans);
    case 'list':
      return spanInfo(b.items.flat());
    case 'signature':
      return spanInfo(b.lines.flat());
    case 'table': {
      const cells = [...(b.head ?? []), ...b.body, ...(b.each?.rows ?? []), ...(b.foot ?? [])].flat().map(cellInfo);
      return { fields: cells.flatMap((c) => c.fields), texts: cells.flatMap((c) => c.texts) };
    }
  }
}

/** Fixed text of the layout: an item number becomes the number tag; nothing else may look like a tag. */
function literal(bc: BodyContext, text: string, ctx = ''): string {
  if (/[{}]/.test(text)) throw new UserError(`文书版式中的文字含有花括号 { }，Word 模板会把它当作标记：${text}`);
  return (bc.numbering.get(ctx)?.get(text) ?? text).split(NUMBER_MARK).join(`{${NUMBER_TAG}}`);
}

/** Spans as runs, with inline loops for lists that lie inside one paragraph. */
function inline(bc: BodyContext, spans: Span[], ctx: string, style: RunStyle): string[] {
  const flat = flatten(group(spans, ctx, (s) => spanInfo([s]), bc.numbering));
  return flat.flatMap((f) => [
    ...f.open.map((t) => run(t, style)),
    run(f.unit.field ? f.unit.text : isTagSpan(f.unit) ? f.unit.text.slice(TAG_MARK.length) : literal(bc, f.unit.text, f.ctx), style),
    ...f.close.map((t) => run(t, style)),
  ]);
}

export function bodyXml(bc: BodyContext, blocks: Block[]): string {
  const out: string[] = [];
  const flat = flatten(group(blocks, '', blockInfo, bc.numbering));
  let cut = false;
  for (const f of flat) {
    // What follows a cut line (a 回执) stays on one page with it.
    cut ||= f.unit.type === 'cutLine';
    const start = out.length;
    // Loops over whole blocks: the tags stand in paragraphs of their own, which docxtemplater removes.
    const sections = bc.around.get(f.unit);
    for (const t of [...f.open, ...(sections?.open ?? [])]) out.push(tagParagraph(bc, t));
    out.push(...block(bc, f.unit, f.ctx));
    for (const t of [...(sections?.close ?? []), ...f.close]) out.push(tagParagraph(bc, t));
    if (cut) for (let i = start; i < out.length; i++) out[i] = out[i].replace(/(<w:pPr>(?:<w:pStyle [^>]*\/>)?)(?!<w:keepNext)/g, '$1<w:keepNext/>');
  }
  if (blocks.at(-1)?.type === 'table') out.push(paragraph([], { line: { exact: 1 }, markSize: 1 }));
  return out.join('');
}

function tagParagraph(bc: BodyContext, tag: string): string {
  return paragraph([run(tag)], {});
}

function bodyPara(bc: BodyContext, role: FontRole = 'body'): ParaStyle {
  return { styleId: ROLE_STYLE[role], line: { exact: bc.geo.pitch }, indentSize: bc.geo.bodySize };
}

function bodyRun(bc: BodyContext): RunStyle {
  return { spacing: bc.official ? bc.geo.characterSpacing : undefined };
}

/** A sequence of paragraphs (list items, signature lines) with loops over them. */
function paragraphs(bc: BodyContext, lines: Span[][], ctx: string, style: (i: number) => ParaStyle): string[] {
  const flat = flatten(group(lines, ctx, spanInfo, bc.numbering));
  return flat.flatMap((f, i) => [
    ...f.open.map((t) => tagParagraph(bc, t)),
    paragraph(inline(bc, f.unit, f.ctx, bodyRun(bc)), style(i)),
    ...f.close.map((t) => tagParagraph(bc, t)),
  ]);
}

function block(bc: BodyContext, b: Block, ctx: string): string[] {
  const { geo } = bc;
  switch (b.type) {
    case 'attachment':
      return [paragraph([run(literal(bc, b.text, ctx), { size: geo.bodySize === 16 ? undefined : 16 })], { styleId: ROLE_STYLE.heading, line: { exact: 16 * 1.2 * NATURAL_LINE }, after: geo.bodySize * 0.8 })];
    case 'docNumber':
      return [paragraph(inline(bc, b.spans, ctx, bodyRun(bc)), { ...bodyPara(bc), jc: 'center', after: geo.bodySize })];
    case 'title':
      return [
        paragraph(inline(bc, b.spans, ctx, {}), {
          styleId: ROLE_STYLE.title,
          jc: 'center',
          line: { exact: geo.titleLineHeight * TITLE_SIZE * NATURAL_LINE },
          after: geo.bodySize * 1.2,
        }),
      ];
    case 'paragraph':
      return [
        paragraph(inline(bc, b.spans, ctx, bodyRun(bc)), {
          ...bodyPara(bc, b.role),
          jc: ALIGN[b.align ?? 'justify'],
          firstLineChars: b.indent ? 2 : undefined,
          before: b.spaceBefore,
        }),
      ];
    case 'list':
      return paragraphs(bc, b.items, ctx, () => ({ ...bodyPara(bc), jc: 'both', firstLineChars: 2 }));
    case 'signature':
      return paragraphs(bc, b.lines, ctx, (i) => ({ ...bodyPara(bc), jc: 'right', rightIndent: geo.bodySize * 4, before: i === 0 ? geo.pitch : 0 }));
    case 'cutLine':
      return [
        paragraph([], { dashedBottom: true, before: geo.bodySize, line: { exact: 8 }, markSize: 4, noGrid: true }),
        paragraph([run(literal(bc, b.text, ctx), { size: 10.5 })], { jc: 'center', before: 2, after: geo.bodySize * 0.5, line: { multiple: 1 }, noGrid: true }),
      ];
    case 'table':
      return [table(bc, b, ctx)];
  }
}

/** A cell in its grid position; `merged` marks the places a row-span covers below its cell. */
interface Placed {
  cell?: Cell;
  col: number;
  span: number;
  merged?: boolean;
}

/** Grid positions of every cell, with vMerge continuations where a row-span covers a row. */
function place(rows: Cell[][]): Placed[][] {
  const covered: { left: number; span: number }[] = [];
  return rows.map((row) => {
    const out: Placed[] = [];
    let col = 0;
    const skip = () => {
      while (covered[col]?.left > 0) {
        covered[col].left--;
        out.push({ col, span: covered[col].span, merged: true });
        col += covered[col].span;
      }
    };
    for (const c of row) {
      skip();
      const span = c.colSpan ?? 1;
      out.push({ cell: c, col, span });
      if ((c.rowSpan ?? 1) > 1) covered[col] = { left: (c.rowSpan ?? 1) - 1, span };
      col += span;
    }
    skip();
    return out;
  });
}

interface Row {
  index: number;
  cells: Placed[];
  head: boolean;
}

function table(bc: BodyContext, t: TableBlock, ctx: string): string {
  const size = t.fontSize ?? bc.geo.tableSize;
  const total = twips(bc.geo.contentWidth);
  const sum = t.widths.reduce((a, b) => a + b, 0);
  const grid = t.widths.map((w) => Math.round((total * w) / sum));
  grid[grid.length - 1] += total - grid.reduce((a, b) => a + b, 0);
  const head = t.head ?? [];
  const all = [...head, ...t.body, ...(t.each?.rows ?? []), ...(t.foot ?? [])];
  const placed = place(all);
  const rows: Row[] = placed.map((cells, index) => ({ index, cells, head: index < head.length }));
  const rowInfo = (r: Row): UnitInfo => {
    const infos = r.cells.flatMap((p) => (p.cell ? [cellInfo(p.cell)] : []));
    return { fields: infos.flatMap((i) => i.fields), texts: infos.flatMap((i) => i.texts) };
  };
  const flat = [
    ...rows.filter((r) => r.head).map((r) => ({ unit: r, ctx, open: [], close: [] }) as Flat<Row>),
    ...flatten(group(rows.filter((r) => !r.head), ctx, rowInfo, bc.numbering)),
  ];
  const border = (side: string) => `<w:${side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>`;
  const tblPr =
    `<w:tblPr><w:tblW w:w="${total}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    `<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>` +
    `<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0"/></w:tblPr>`;
  const gridXml = `<w:tblGrid>${grid.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  const rowXml = flat.map((f) => {
    const r = f.unit;
    const h = r.head ? 0 : (t.heights?.[r.index - head.length] ?? t.rowHeight ?? 0);
    const trPr = `<w:trPr><w:cantSplit/>${h ? `<w:trHeight w:val="${twips((h * size) / 12)}" w:hRule="atLeast"/>` : ''}${r.head ? '<w:tblHeader/>' : ''}</w:trPr>`;
    const last = r.cells.length - 1;
    const cells = r.cells.map((p, i) => {
      const width = grid.slice(p.col, p.col + p.span).reduce((a, b) => a + b, 0);
      return cellXml(bc, p, width, size, f.ctx, i === 0 ? f.open : [], i === last ? f.close : []);
    });
    return `<w:tr>${trPr}${cells.join('')}</w:tr>`;
  });
  return `<w:tbl>${tblPr}${gridXml}${rowXml.join('')}</w:tbl>`;
}

function cellXml(bc: BodyContext, p: Placed, width: number, size: number, ctx: string, open: string[], close: string[]): string {
  const c = p.cell;
  const merge = p.merged ? '<w:vMerge/>' : (c?.rowSpan ?? 1) > 1 ? '<w:vMerge w:val="restart"/>' : '';
  const tcPr = `<w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>${p.span > 1 ? `<w:gridSpan w:val="${p.span}"/>` : ''}${merge}<w:vAlign w:val="center"/></w:tcPr>`;
  const jc = ALIGN[c?.align ?? (c?.role === 'label' ? 'center' : 'left')];
  const para: ParaStyle = { styleId: TABLE_STYLE, jc };
  // Sizes other than the table style's are written on the runs.
  const own = (pt: number) => (pt === bc.geo.tableSize ? undefined : pt);
  const unbroken = c ? unbrokenSize(bc, c, size, width / 20 - 8) : undefined;
  // Codes and numbers in a narrow Latin face, as official documents print digits.
  const style: RunStyle = { size: own(unbroken ?? size), bold: c?.bold, latinFont: unbroken ? LATIN_FONT : undefined };
  const text = c?.spans?.length ? inline(bc, c.spans, ctx, style) : undefined;
  const boxes = c?.checkboxes ? checkboxParagraphs(bc, c.checkboxes, ctx, size, width / 20 - 8, para, own(size)) : [];
  const hint = c?.hint ? paragraph([run(literal(bc, c.hint, ctx), { size: size * 0.8, color: '444444' })], para) : undefined;
  // Loop tags go at the very start and the very end of the cell; a cell always ends with a paragraph.
  const xml: string[] = [];
  if (text || open.length || !(boxes.length || hint)) xml.push(paragraph([...open.map((t) => run(t, { size: own(size) })), ...(text ?? [])], { ...para, markSize: own(size) }));
  xml.push(...boxes);
  if (hint) xml.push(hint);
  if (close.length) {
    const lastXml = xml.pop()!;
    xml.push(lastXml.replace(/<\/w:p>$/, `${close.map((t) => run(t, { size: own(size) })).join('')}</w:p>`));
  }
  return `<w:tc>${tcPr}${xml.join('')}</w:tc>`;
}

/** The size that keeps an identifier on one line, or undefined when the cell holds none. */
function unbrokenSize(bc: BodyContext, c: Cell, size: number, width: number): number | undefined {
  const field = c.spans?.length === 1 ? c.spans[0].field : undefined;
  const format = field ? bc.kind.schema.at(field)?.format : undefined;
  const ems = format ? UNBROKEN_EMS[format] : undefined;
  if (!ems) return undefined;
  return ems * size <= width ? size : Math.max(6, Math.floor((2 * width) / ems) / 2);
}

/** Option boxes, a few per line at even tab stops, as the PDF lays them out. */
function checkboxParagraphs(bc: BodyContext, cb: NonNullable<Cell['checkboxes']>, ctx: string, size: number, width: number, para: ParaStyle, runSize?: number): string[] {
  const perRow = Math.max(1, Math.floor(width / (size * 11)));
  const step = width / perRow;
  const field = ctx && cb.field.startsWith(ctx + '/') ? tagName(cb.field.slice(ctx.length)) : tagName(cb.field);
  const out: string[] = [];
  for (let i = 0; i < cb.options.length; i += perRow) {
    const runs = cb.options.slice(i, i + perRow).flatMap((o, k) => [
      ...(k ? [run('\t', { size: runSize })] : []),
      run(`{${checkboxTag(field, o.label)}}`, { size: runSize, font: CHECKBOX_FONT }),
      run(' ' + literal(bc, o.label, ctx), { size: runSize }),
    ]);
    out.push(paragraph(runs, { ...para, jc: 'left', tabs: Array.from({ length: perRow - 1 }, (_, k) => step * (k + 1)), before: 1, after: 1 }));
  }
  return out;
}
