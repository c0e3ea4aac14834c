import type { PageGeometry } from '../pdf/page.js';
import { TABLE_STYLE } from './styles.js';
import { FORM_TABLE_SIZES } from '../core/model.js';

/**
 * Forms stay on one page, as the PDF keeps them: when the filled document would run over, the
 * table text (the table style's size) and the rows' minimum heights shrink by the same steps the
 * PDF takes. Word does the real layout; this estimates it from the text's length, counting a
 * Chinese character as 1 em and anything else as 0.55 em.
 */
const A4_HEIGHT = 841.89;

function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/.test(ch) ? 1 : 0.55;
  return w;
}

const attr = (xml: string, re: RegExp): number | undefined => {
  const m = re.exec(xml);
  return m ? Number(m[1]) : undefined;
};

/** Lines a paragraph takes in a column `width` points wide at `size`. */
function lines(p: string, width: number, size: number): number {
  const pieces = p.split(/<w:br\/>/).map((seg) => [...seg.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
  return pieces.reduce((n, text) => n + Math.max(1, Math.ceil((emWidth(text) * size) / Math.max(width, size))), 0);
}

function runSize(p: string, fallback: number): number {
  const sz = attr(p, /<w:r>(?:<w:rPr>(?:(?!<\/w:rPr>).)*?<w:sz w:val="(\d+)"\/>)/);
  return sz ? sz / 2 : fallback;
}

function paragraphHeight(p: string, width: number, size: number): number {
  const s = runSize(p, size);
  const exact = /w:lineRule="exact"/.test(p) ? attr(p, /w:line="(\d+)"/) : undefined;
  const pitch = exact ? exact / 20 : s * 1.3;
  return lines(p, width, s) * pitch + ((attr(p, /w:before="(\d+)"/) ?? 0) + (attr(p, /w:after="(\d+)"/) ?? 0)) / 20;
}

/** Estimated height in points of a document body with table text at `size` and rows scaled by `scale`. */
function bodyHeight(body: string, geo: PageGeometry, size: number, scale: number): number {
  let h = 0;
  for (const part of body.split(/(<w:tbl>[\s\S]*?<\/w:tbl>)/)) {
    if (!part.startsWith('<w:tbl>')) {
      for (const p of part.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []) h += paragraphHeight(p, geo.contentWidth, /BangbanTitle/.test(p) ? 22 : geo.bodySize);
      continue;
    }
    for (const row of part.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? []) {
      const min = ((attr(row, /<w:trHeight w:val="(\d+)"/) ?? 0) / 20) * scale;
      let tallest = 0;
      for (const cell of row.match(/<w:tc>[\s\S]*?<\/w:tc>/g) ?? []) {
        if (/<w:vMerge\/>/.test(cell)) continue;
        const width = (attr(cell, /<w:tcW w:w="(\d+)"/) ?? 0) / 20 - 8;
        const paras = cell.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
        tallest = Math.max(tallest, paras.reduce((t, p) => t + lines(p, width, runSize(p, size)) * runSize(p, size) * 1.25, 0) + 6);
      }
      h += Math.max(min, tallest);
    }
  }
  return h;
}

/** The document and styles, with the table text made smaller if that keeps the form on one page. */
export function fitToOnePage(document: string, styles: string, geo: PageGeometry): { document: string; styles: string } | undefined {
  const style = new RegExp(`(<w:style\\b[^>]*w:styleId="${TABLE_STYLE}"[^>]*>[\\s\\S]*?)<w:sz w:val="(\\d+)"/><w:szCs w:val="\\d+"/>`);
  const m = style.exec(styles);
  if (!m) return undefined;
  const base = Number(m[2]) / 2;
  const available = A4_HEIGHT - geo.margins[1] - geo.margins[3];
  const body = document.slice(document.indexOf('<w:body>'), document.lastIndexOf('<w:sectPr'));
  if (bodyHeight(body, geo, base, 1) <= available) return undefined;
  const size = FORM_TABLE_SIZES.filter((s) => s < base).find((s) => bodyHeight(body, geo, s, s / base) <= available) ?? FORM_TABLE_SIZES[FORM_TABLE_SIZES.length - 1];
  const scale = size / base;
  return {
    document: document.replace(/<w:trHeight w:val="(\d+)"/g, (_m, v: string) => `<w:trHeight w:val="${Math.round(Number(v) * scale)}"`),
    styles: styles.replace(style, (_m, head: string) => `${head}<w:sz w:val="${size * 2}"/><w:szCs w:val="${size * 2}"/>`),
  };
}
