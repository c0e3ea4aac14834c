import type { Block, FontRole, Span } from '../core/model.js';
import { NATURAL_LINE } from '../pdf/page.js';
import { flatten, group, type UnitInfo } from './loops.js';
import { paragraph, run, type ParaStyle, type RunStyle } from './xml.js';
import { ROLE_STYLE, TITLE_SIZE } from './styles.js';
import { ALIGN, cellInfo, inline, literal, spanInfo, type BodyContext } from './inline.js';
import { table } from './table.js';

/**
 * The document model of a kind, laid out with `TagValues`, as the body of word/document.xml: the
 * same blocks the PDF prints, with `{tags}` where values go and docxtemplater loops where lists go.
 */
export type { BodyContext };

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
    for (const t of [...f.open, ...(sections?.open ?? [])]) out.push(tagParagraph(t));
    out.push(...block(bc, f.unit, f.ctx));
    for (const t of [...(sections?.close ?? []), ...f.close]) out.push(tagParagraph(t));
    if (cut) for (let i = start; i < out.length; i++) out[i] = out[i].replace(/(<w:pPr>(?:<w:pStyle [^>]*\/>)?)(?!<w:keepNext)/g, '$1<w:keepNext/>');
  }
  if (blocks.at(-1)?.type === 'table') out.push(paragraph([], { line: { exact: 1 }, markSize: 1 }));
  return out.join('');
}

/** A loop or section tag alone in its paragraph (docxtemplater drops the paragraph). */
function tagParagraph(tag: string): string {
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
    ...f.open.map((t) => tagParagraph(t)),
    paragraph(inline(bc, f.unit, f.ctx, bodyRun(bc)), style(i)),
    ...f.close.map((t) => tagParagraph(t)),
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
