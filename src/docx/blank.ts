import type { Blank } from '../core/model.js';
import { blankPieces } from '../core/blank.js';

/**
 * Fill-in lines of blank forms in Word. A blank value reaches docxtemplater as text with its
 * underlined parts between private-use marks; after rendering, `underlineBlanks` cuts the run that
 * holds it into runs of its own, the marked ones underlined, each keeping the run's formatting. So
 * it works with any template, a user's own too: the tag's run decides font and size.
 */
const OPEN = '\uE120';
const CLOSE = '\uE121';
const MARKED = /\uE120([^\uE121]*)\uE121/g;
const ZWSP = '\u200B';

/** The value a blank prints as: `[2, '年']` → marked 　　, then 年. */
export function blankValue(blank: Blank): string {
  return blankPieces(blank)
    // A zero-width space after each blank character: Word and LibreOffice let a run of spaces
    // hang past the margin instead of wrapping it, so a long fill-in line needs break points.
    .map((p) => (p.line ? OPEN + [...p.text].join(ZWSP) + CLOSE : p.text))
    .join('');
}

/** A run's properties with a single underline (w:u placed where ECMA-376 orders it). */
function underlined(rPr: string): string {
  if (!rPr) return '<w:rPr><w:u w:val="single"/></w:rPr>';
  const inner = rPr.replace(/<w:u(?:\s[^>]*)?\/>|<w:u(?:\s[^>]*)?>[\s\S]*?<\/w:u>/g, '');
  const later = /<w:(?:effect|bdr|shd|fitText|vertAlign|rtl|cs|em|lang|eastAsianLayout|specVanish|oMath|rPrChange)[\s/>]/.exec(inner);
  const at = later ? later.index : inner.lastIndexOf('</w:rPr>');
  return `${inner.slice(0, at)}<w:u w:val="single"/>${inner.slice(at)}`;
}

const text = (t: string) => (t ? `<w:t xml:space="preserve">${t}</w:t>` : '');

/** Word XML with every marked blank as an underlined run of its own. */
export function underlineBlanks(xml: string): string {
  if (!xml.includes(OPEN)) return xml;
  return xml.replace(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g, (whole, content: string, offset: number) => {
    if (!content.includes(OPEN)) return whole;
    // The run this text belongs to: the nearest run start before it, and that run's properties.
    const before = xml.slice(0, offset);
    const start = Math.max(before.lastIndexOf('<w:r>'), before.lastIndexOf('<w:r '));
    const rPr = /^<w:r(?:\s[^>]*)?>\s*(<w:rPr>[\s\S]*?<\/w:rPr>)?/.exec(xml.slice(start))?.[1] ?? '';
    const out: string[] = [];
    let at = 0;
    for (const m of content.matchAll(MARKED)) {
      // The text so far stays in the current run; the blank is a run of its own; a new run follows.
      out.push(text(content.slice(at, m.index)), `</w:r><w:r>${underlined(rPr)}${text(m[1])}</w:r><w:r>${rPr}`);
      at = m.index! + m[0].length;
    }
    out.push(text(content.slice(at)));
    return out.join('');
  });
}

/**
 * Word does not underline spaces at the end of a line unless told to (Compatibility: "Underline
 * trailing spaces"); a fill-in line at the end of a paragraph would vanish without it.
 */
export function underlineTrailingSpaces(settings: string): string {
  if (/<w:ulTrailSpace\b/.test(settings) || !/<w:compat>/.test(settings)) return settings;
  // CT_Compat is a sequence: ulTrailSpace follows these three when they are present.
  const earlier = /<w:(?:spaceForUL|balanceSingleByteDoubleByteWidth|doNotLeaveBackslashAlone)(?:\s[^>]*)?\/>(?![\s\S]*<w:(?:spaceForUL|balanceSingleByteDoubleByteWidth|doNotLeaveBackslashAlone)\b)/.exec(settings);
  if (earlier) return settings.slice(0, earlier.index + earlier[0].length) + '<w:ulTrailSpace/>' + settings.slice(earlier.index + earlier[0].length);
  return settings.replace('<w:compat>', '<w:compat><w:ulTrailSpace/>');
}
