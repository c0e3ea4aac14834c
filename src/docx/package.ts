import PizZip from 'pizzip';
import type { PageGeometry } from '../pdf/page.js';
import type { FontConfig } from '../pdf/fonts.js';
import { esc, R_NS, twips, W_NS } from './xml.js';
import { stylesXml } from './styles.js';
import { CHECKBOX_FONT } from './tags.js';
import { LATIN_FONT } from './table.js';
import { FIXED_DATE } from '../core/dates.js';

/** Fixed dates, so the same template builds byte-identical files. */

const CT = 'application/vnd.openxmlformats-officedocument.wordprocessingml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Fonts the body names directly (checkbox glyphs, digits of identifiers). */
const EXTRA_FONTS = [CHECKBOX_FONT, LATIN_FONT];

export interface DocxParts {
  title: string;
  body: string;
  geo: PageGeometry;
  fonts: FontConfig;
}

/**
 * The fonts a document names, with what Word should use where one is missing: Windows ships 仿宋
 * and 楷体 but not their _GB2312 forms, and no 方正 fonts. Chinese faces carry the GB2312 charset.
 */
const ALT_NAMES: Record<string, string> = { 仿宋_GB2312: '仿宋', 楷体_GB2312: '楷体', 方正小标宋简体: '宋体', 方正小标宋_GBK: '宋体', 方正仿宋_GBK: '仿宋', 方正黑体_GBK: '黑体' };

function fontTable(names: string[]): string {
  const font = (n: string) => {
    const cjk = /[^\x00-\x7f]/.test(n);
    const alt = ALT_NAMES[n] ? `<w:altName w:val="${esc(ALT_NAMES[n])}"/>` : '';
    return `<w:font w:name="${esc(n)}">${alt}${cjk ? '<w:charset w:val="86"/>' : ''}<w:family w:val="${cjk ? 'modern' : 'auto'}"/><w:pitch w:val="variable"/></w:font>`;
  };
  return `${XML_HEAD}<w:fonts xmlns:w="${W_NS}">${[...new Set(names)].map(font).join('')}</w:fonts>`;
}

/** "— 1 —" in 4号, odd pages right and even pages left, one character in (GB/T 9704). */
function footer(odd: boolean): string {
  const r = (t: string) => `<w:r><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">${t}</w:t></w:r>`;
  const ind = odd ? `<w:ind w:right="${twips(14)}"/>` : `<w:ind w:left="${twips(14)}"/>`;
  return (
    `${XML_HEAD}<w:ftr xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:p><w:pPr><w:spacing w:before="0" w:after="0"/>${ind}<w:jc w:val="${odd ? 'right' : 'left'}"/></w:pPr>` +
    `${r('— ')}<w:fldSimple w:instr=" PAGE ">${r('1')}</w:fldSimple>${r(' —')}</w:p></w:ftr>`
  );
}

function sectPr(geo: PageGeometry): string {
  const [left, top, right, bottom] = geo.margins.map(twips);
  const footerDistance = geo.pageNumbers ? twips(geo.margins[3] - geo.pageNumberOffset - 14 * 1.3) : twips(geo.margins[3] / 2);
  const refs = geo.pageNumbers ? `<w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>` : '';
  const grid = geo.pageNumbers ? `<w:docGrid w:type="lines" w:linePitch="${twips(geo.pitch)}"/>` : `<w:docGrid w:linePitch="312"/>`;
  return (
    `<w:sectPr>${refs}<w:pgSz w:w="11906" w:h="16838"/>` +
    `<w:pgMar w:top="${top}" w:right="${right}" w:bottom="${bottom}" w:left="${left}" w:header="${twips(geo.margins[1] / 2)}" w:footer="${footerDistance}" w:gutter="0"/>` +
    `<w:cols w:space="425"/>${grid}</w:sectPr>`
  );
}

/** The files of a .docx around a document body. */
export function docxFiles(p: DocxParts): Record<string, string> {
  const footers = p.geo.pageNumbers;
  const files: Record<string, string> = {
    '[Content_Types].xml':
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/word/document.xml" ContentType="${CT}.document.main+xml"/>` +
      `<Override PartName="/word/styles.xml" ContentType="${CT}.styles+xml"/>` +
      `<Override PartName="/word/settings.xml" ContentType="${CT}.settings+xml"/>` +
      `<Override PartName="/word/fontTable.xml" ContentType="${CT}.fontTable+xml"/>` +
      (footers ? `<Override PartName="/word/footer1.xml" ContentType="${CT}.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="${CT}.footer+xml"/>` : '') +
      `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
      `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    '_rels/.rels':
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/>` +
      `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
      `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    'docProps/core.xml':
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<dc:title>${esc(p.title)}</dc:title><dc:creator>bangban</dc:creator>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>`,
    'docProps/app.xml': `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>bangban</Application></Properties>`,
    'word/_rels/document.xml.rels':
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rIdStyles" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="${REL}/settings" Target="settings.xml"/>` +
      `<Relationship Id="rIdFonts" Type="${REL}/fontTable" Target="fontTable.xml"/>` +
      (footers ? `<Relationship Id="rIdFooterOdd" Type="${REL}/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="${REL}/footer" Target="footer2.xml"/>` : '') +
      `</Relationships>`,
    'word/settings.xml':
      `${XML_HEAD}<w:settings xmlns:w="${W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>${footers ? '<w:evenAndOddHeaders/>' : ''}` +
      `<w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`,
    'word/styles.xml': stylesXml(p.fonts, p.geo.bodySize, p.geo.tableSize),
    'word/fontTable.xml': fontTable([p.fonts.body.name, p.fonts.title.name, p.fonts.heading.name, ...EXTRA_FONTS]),
    'word/document.xml': `${XML_HEAD}<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${p.body}${sectPr(p.geo)}</w:body></w:document>`,
  };
  if (footers) {
    files['word/footer1.xml'] = footer(true);
    files['word/footer2.xml'] = footer(false);
  }
  return files;
}

/** Zip with fixed dates. */
export function zipFiles(files: Record<string, string>): Uint8Array {
  const zip = new PizZip();
  for (const [name, text] of Object.entries(files)) zip.file(name, text, { date: FIXED_DATE, createFolders: false });
  return zip.generate({ type: 'uint8array', compression: 'DEFLATE' });
}

