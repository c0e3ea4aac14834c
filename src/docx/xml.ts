/**
 * WordprocessingML primitives: runs and paragraphs as XML strings. Element order inside w:rPr and
 * w:pPr follows the schema (ECMA-376), which Word enforces.
 */

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
export const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Points → twentieths of a point (twips), the unit of widths, indents and spacing. */
export const twips = (pt: number): number => Math.round(pt * 20);
/** Points → half-points, the unit of font sizes. */
export const halfPoints = (pt: number): number => Math.round(pt * 2);

export interface RunStyle {
  /** Points; left out when the paragraph style's size applies. */
  size?: number;
  bold?: boolean;
  /** Hex colour without '#'. */
  color?: string;
  /** One font for every script (checkbox glyphs). */
  font?: string;
  /** A font for Latin letters and digits only (identifiers), east-Asian text keeps the style's. */
  latinFont?: string;
  /** Character spacing in points (official pages' tracking). */
  spacing?: number;
}

function rPr(s: RunStyle): string {
  const f = s.font
    ? `<w:rFonts w:ascii="${esc(s.font)}" w:hAnsi="${esc(s.font)}" w:eastAsia="${esc(s.font)}" w:cs="${esc(s.font)}"/>`
    : s.latinFont
      ? `<w:rFonts w:ascii="${esc(s.latinFont)}" w:hAnsi="${esc(s.latinFont)}"/>`
      : '';
  const b = s.bold ? '<w:b/><w:bCs/>' : '';
  const color = s.color ? `<w:color w:val="${s.color}"/>` : '';
  const spacing = s.spacing ? `<w:spacing w:val="${twips(s.spacing)}"/>` : '';
  const sz = s.size === undefined ? '' : `<w:sz w:val="${halfPoints(s.size)}"/><w:szCs w:val="${halfPoints(s.size)}"/>`;
  const all = f + b + color + spacing + sz;
  return all ? `<w:rPr>${all}</w:rPr>` : '';
}

/** A run; `\n` becomes a line break and `\t` a tab. */
export function run(text: string, style: RunStyle = {}): string {
  const parts = text.split(/(\n|\t)/).filter((p) => p !== '');
  const inner = parts
    .map((p) => (p === '\n' ? '<w:br/>' : p === '\t' ? '<w:tab/>' : `<w:t xml:space="preserve">${esc(p)}</w:t>`))
    .join('');
  return `<w:r>${rPr(style)}${inner}</w:r>`;
}

export type Jc = 'left' | 'center' | 'right' | 'both';

export interface ParaStyle {
  /** Paragraph style id (font role). */
  styleId?: string;
  jc?: Jc;
  /** Line pitch: exact points, or a multiple of single spacing. */
  line?: { exact: number } | { multiple: number };
  before?: number;
  after?: number;
  /** First-line indent in characters of `indentSize` points. */
  firstLineChars?: number;
  indentSize?: number;
  leftIndent?: number;
  rightIndent?: number;
  /** Left tab stops, in points from the text's left edge. */
  tabs?: number[];
  /** Dashed border under the paragraph (cut lines). */
  dashedBottom?: boolean;
  keepNext?: boolean;
  /** Size of the paragraph mark. */
  markSize?: number;
  /** Lines ignore the page's line grid (tables and small print on official pages). */
  noGrid?: boolean;
}

function pPr(p: ParaStyle): string {
  const parts: string[] = [];
  if (p.styleId) parts.push(`<w:pStyle w:val="${p.styleId}"/>`);
  if (p.keepNext) parts.push('<w:keepNext/>');
  if (p.dashedBottom) parts.push('<w:pBdr><w:bottom w:val="dashed" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>');
  if (p.tabs?.length) parts.push(`<w:tabs>${p.tabs.map((t) => `<w:tab w:val="left" w:pos="${twips(t)}"/>`).join('')}</w:tabs>`);
  if (p.noGrid) parts.push('<w:snapToGrid w:val="0"/>');
  const line = !p.line ? '' : 'exact' in p.line ? ` w:line="${twips(p.line.exact)}" w:lineRule="exact"` : ` w:line="${Math.round(p.line.multiple * 240)}" w:lineRule="auto"`;
  if (p.before || p.after || line) parts.push(`<w:spacing w:before="${twips(p.before ?? 0)}" w:after="${twips(p.after ?? 0)}"${line}/>`);
  const ind: string[] = [];
  if (p.leftIndent) ind.push(`w:left="${twips(p.leftIndent)}"`);
  if (p.rightIndent) ind.push(`w:right="${twips(p.rightIndent)}"`);
  if (p.firstLineChars) ind.push(`w:firstLineChars="${p.firstLineChars * 100}" w:firstLine="${twips(p.firstLineChars * (p.indentSize ?? 12))}"`);
  if (ind.length) parts.push(`<w:ind ${ind.join(' ')}/>`);
  if (p.jc) parts.push(`<w:jc w:val="${p.jc}"/>`);
  if (p.markSize) parts.push(`<w:rPr><w:sz w:val="${halfPoints(p.markSize)}"/><w:szCs w:val="${halfPoints(p.markSize)}"/></w:rPr>`);
  return parts.length ? `<w:pPr>${parts.join('')}</w:pPr>` : '';
}

export function paragraph(runs: string[], style: ParaStyle): string {
  return `<w:p>${pPr(style)}${runs.join('')}</w:p>`;
}
