import { formatOf } from '../core/formats.js';
import type { Cell, TableBlock } from '../core/model.js';
import { flatten, group, type Flat, type UnitInfo } from './loops.js';
import { paragraph, run, twips, type ParaStyle, type RunStyle } from './xml.js';
import { tagName } from './tagValues.js';
import { CHECKBOX_FONT, checkboxTag } from './tags.js';
import { TABLE_STYLE } from './styles.js';
import { ALIGN, cellInfo, inline, literal, type BodyContext } from './inline.js';

/** Digits and letters of identifiers, as official documents print them. */
export const LATIN_FONT = 'Times New Roman';

/** Width of a Latin digit or capital, in ems: an identifier's longest value is this many ems per character. */
const LATIN_EM = 0.6;

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

export function table(bc: BodyContext, t: TableBlock, ctx: string): string {
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
  const chars = field ? formatOf(bc.kind.schema.at(field))?.unbroken : undefined;
  const ems = chars ? chars * LATIN_EM : undefined;
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
