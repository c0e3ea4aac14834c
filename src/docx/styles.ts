import type { FontRole } from '../core/model.js';
import { defaultFonts, type FontConfig } from '../pdf/fonts.js';
import { esc, halfPoints, W_NS } from './xml.js';

/**
 * Font roles are paragraph styles, so a template names each font once (word/styles.xml) and staff
 * can change it in Word's style pane; `--fonts` renames them when rendering.
 */
export const ROLE_STYLE: Record<FontRole, string> = { body: 'Normal', title: 'BangbanTitle', heading: 'BangbanHeading' };
/** Text in table cells: the table size, single spacing, off the page's line grid. */
export const TABLE_STYLE = 'BangbanTable';
/** Titles are 2号 (22 pt). */
export const TITLE_SIZE = 22;
const STYLE_NAME: Record<FontRole, string> = { body: 'Normal', title: 'bangban 标题', heading: 'bangban 附件标识' };

/** East-Asian font attributes: every script slot names the role's font. */
export function rFonts(name: string): string {
  const n = esc(name);
  return `<w:rFonts w:ascii="${n}" w:hAnsi="${n}" w:eastAsia="${n}" w:cs="${n}" w:hint="eastAsia"/>`;
}

export function stylesXml(fonts: FontConfig, bodySize: number, tableSize: number): string {
  const sz = halfPoints(bodySize);
  const size = (pt: number) => `<w:sz w:val="${halfPoints(pt)}"/><w:szCs w:val="${halfPoints(pt)}"/>`;
  const style = (role: FontRole) =>
    `<w:style w:type="paragraph"${role === 'body' ? ' w:default="1"' : ''} w:styleId="${ROLE_STYLE[role]}"><w:name w:val="${STYLE_NAME[role]}"/>` +
    (role === 'body' ? '' : '<w:basedOn w:val="Normal"/>') +
    `<w:qFormat/><w:rPr>${rFonts(fonts[role].name)}${role === 'title' ? size(TITLE_SIZE) : ''}</w:rPr></w:style>`;
  const table =
    `<w:style w:type="paragraph" w:styleId="${TABLE_STYLE}"><w:name w:val="bangban 表格文字"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
    `<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr>${size(tableSize)}</w:rPr></w:style>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="${W_NS}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr><w:kern w:val="2"/><w:sz w:val="${sz}"/><w:szCs w:val="${sz}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    (['body', 'title', 'heading'] as FontRole[]).map(style).join('') +
    table +
    `<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
    `<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `</w:styles>`
  );
}

/**
 * Give the role styles of a template the configured font names. Only names that differ from the
 * bundled defaults are written, so fonts staff chose in Word stay unless `--fonts` names others.
 */
export function applyFontNames(styles: string, fonts: FontConfig): string {
  const defaults = defaultFonts();
  let out = styles;
  for (const role of Object.keys(ROLE_STYLE) as FontRole[]) {
    const name = fonts[role].name;
    if (name === defaults[role].name) continue;
    const re = new RegExp(`(<w:style\\b[^>]*w:styleId="${ROLE_STYLE[role]}"[^>]*>)([\\s\\S]*?)(</w:style>)`);
    out = out.replace(re, (_m, open: string, inner: string, close: string) => {
      const fontsEl = rFonts(name);
      if (/<w:rFonts\b[^>]*\/>/.test(inner)) return open + inner.replace(/<w:rFonts\b[^>]*\/>/, fontsEl) + close;
      if (/<w:rPr>/.test(inner)) return open + inner.replace(/<w:rPr>/, `<w:rPr>${fontsEl}`) + close;
      return open + inner + `<w:rPr>${fontsEl}</w:rPr>` + close;
    });
  }
  return out;
}
