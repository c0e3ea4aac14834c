import { createRequire } from 'node:module';

/**
 * pdfmake draws every inline of a line as a text object of its own (pdfmake's Renderer even says
 * "TODO: lines without differently styled inlines should be written to pdf as one stream"), and
 * Chinese text is one inline per character: a notice page became ~500 text objects, each with its
 * graphics state saved and restored, its own matrix, font and colour operators. Drawing them, and
 * compressing the content they make, was about a seventh of a notice's CPU.
 *
 * Here a line's consecutive Chinese inlines of the same font, size, tracking, colour and opacity are written
 * as ONE text object: the glyphs of all of them in one TJ array, with the distance from where one
 * inline's glyphs end to where pdfmake placed the next (justification, spaces it trimmed) written as
 * a TJ offset. Every glyph lands where pdfmake's own drawing puts it (to PDFKit's 6-decimal number
 * precision); decorations and backgrounds are drawn by pdfmake's TextDecorator as before. Lines with
 * anything else (links, page references, outlines, sub/superscript, OpenType features, glyphs with
 * offsets) are drawn by pdfmake's own code.
 */
const require = createRequire(import.meta.url);

interface Font {
  id: string;
  ascender: number;
  ref(): unknown;
  encode(text: string, features?: unknown): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
}
interface Inline {
  text: string;
  x: number;
  font: Font;
  fontSize: number;
  characterSpacing?: number;
  color?: unknown;
  opacity?: unknown;
  [key: string]: unknown;
}
interface Line {
  inlines: Inline[];
  id?: unknown;
  _outline?: unknown;
  _pageNodeRef?: unknown;
  getHeight(): number;
  getAscenderHeight(): number;
}
interface Doc {
  page: { height: number; fonts: Record<string, unknown> };
  _font: Font;
  opacity(o: number): void;
  fill(color: unknown): void;
  resolveColor(color: unknown, dflt: string): unknown;
  fontSize(size: number): void;
  save(): void;
  restore(): void;
  transform(...m: number[]): void;
  addContent(s: string): void;
}
type RenderLine = (this: { pdfDocument: Doc }, line: Line, x: number, y: number) => void;
const Renderer = (require('pdfmake/js/Renderer.js') as { default: { prototype: { renderLine: RenderLine } } }).default;
const TextDecorator = (require('pdfmake/js/TextDecorator.js') as { default: new (doc: Doc) => { drawBackground(l: Line, x: number, y: number): void; drawDecorations(l: Line, x: number, y: number): void } }).default;

/** Inline properties that send a line to pdfmake's own drawing. */
const SPECIAL = ['_pageNodeRef', 'link', 'linkToPage', 'linkToDestination', 'fontFeatures', 'sup', 'sub'];

const num = (n: number) => Math.round(n * 1e6) / 1e6; // PDFKit's number formatting

const renderLine = Renderer.prototype.renderLine;
Renderer.prototype.renderLine = function (line, x = 0, y = 0) {
  if (line._outline || line._pageNodeRef || line.id || line.inlines.some((i) => SPECIAL.some((k) => i[k]))) return renderLine.call(this, line, x, y);
  // Encode first: a glyph with an offset (marks, some scripts) goes back to pdfmake's code.
  const encoded = line.inlines.map((i) => i.font.encode(i.text));
  if (encoded.some(([, pos]) => pos.some((p) => p.xOffset || p.yOffset))) return renderLine.call(this, line, x, y);
  const doc = this.pdfDocument;
  const height = line.getHeight();
  const descent = height - line.getAscenderHeight();
  const decorator = new TextDecorator(doc);
  decorator.drawBackground(line, x, y);
  let start = 0;
  for (let i = 1; i <= line.inlines.length; i++) {
    if (i < line.inlines.length && sameRun(line.inlines[start], line.inlines[i])) continue;
    const first = line.inlines[start];
    const opacity = typeof first.opacity === 'number' ? first.opacity : 1;
    doc.opacity(opacity);
    doc.fill(doc.resolveColor(first.color, 'black'));
    doc._font = first.font;
    doc.fontSize(first.fontSize);
    const baseline = y + height - (first.font.ascender / 1000) * first.fontSize - descent;
    drawRun(doc, line.inlines.slice(start, i), encoded.slice(start, i), x, baseline);
    start = i;
  }
  decorator.drawDecorations(line, x, y);
};

/**
 * Only Chinese text is joined: text extraction (pdf.js, our parser) reports a text object as one
 * item and spreads its width evenly over its characters, which is right for full-width characters
 * and keeps a Latin word's position exact only when it stays a text object of its own.
 */
const FULL_WIDTH = /^[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2018-\u201d]+$/u;

function sameRun(a: Inline, b: Inline): boolean {
  return FULL_WIDTH.test(a.text) && FULL_WIDTH.test(b.text) && a.font === b.font && a.fontSize === b.fontSize && (a.characterSpacing || 0) === (b.characterSpacing || 0) && a.color === b.color && a.opacity === b.opacity;
}

/** As PDFKit's `_fragment` writes one inline (top baseline, no options), for a run of them. */
function drawRun(doc: Doc, run: Inline[], encoded: ReturnType<Font['encode']>[], x: number, top: number): void {
  const { font, fontSize } = run[0];
  const tc = run[0].characterSpacing || 0;
  const scale = fontSize / 1000;
  doc.save();
  doc.transform(1, 0, 0, -1, 0, doc.page.height);
  if (doc.page.fonts[font.id] == null) doc.page.fonts[font.id] = font.ref();
  doc.addContent('BT');
  doc.addContent(`1 0 0 1 ${num(x + run[0].x)} ${num(doc.page.height - top - (font.ascender / 1000) * fontSize)} Tm`);
  doc.addContent(`/${font.id} ${num(fontSize)} Tf`);
  if (tc) doc.addContent(`${num(tc)} Tc`);
  const parts: string[] = [];
  let hex = '';
  let pen = x + run[0].x;
  // A TJ number moves the pen left by n/1000 of the font size.
  const shift = (distance: number) => {
    if (Math.abs(distance) < 1e-9) return;
    if (hex) parts.push(`<${hex}>`);
    hex = '';
    parts.push(String(num(-distance / scale)));
  };
  run.forEach((inline, k) => {
    if (k) shift(x + inline.x - pen);
    pen = x + inline.x;
    const [glyphs, positions] = encoded[k];
    glyphs.forEach((g, j) => {
      hex += g;
      const p = positions[j];
      // Kerning and other advances that differ from the glyph's width, as PDFKit writes them.
      if (p.xAdvance !== p.advanceWidth) shift((p.xAdvance - p.advanceWidth) * scale);
      pen += p.xAdvance * scale + tc;
    });
  });
  if (hex) parts.push(`<${hex}>`);
  if (parts.length) doc.addContent(`[${parts.join(' ')}] TJ`);
  doc.addContent('ET');
  doc.restore();
}
