import { createRequire } from 'node:module';

/**
 * pdfmake breaks Chinese text into one inline per character, and `TextInlines.measure` then looks up
 * twenty style properties for each of them (font, size, colour, decoration …), walking the style
 * stack every time: the largest single cost left in laying out a notice. Every inline cut from the
 * same text carries the same own properties (TextBreaker copies them from its source), and the stack
 * does not change during one `measure` call, so the looked-up values are the same for all of them.
 * This version looks them up once per run of inlines whose own properties are equal, and otherwise
 * does exactly what pdfmake's `measure` does (same values, same order of assignments).
 */
const require = createRequire(import.meta.url);
type Stack = unknown;
interface Font {
  lineHeight(size: number): number;
}
interface Inline {
  text: string;
  [key: string]: unknown;
}
type Lookup = (item: object, stack: Stack, property: string, defaultValue: unknown) => unknown;
interface TextInlinesProto {
  pdfDocument: { provideFont(font: unknown, bold: unknown, italics: unknown): Font };
  widthOfText(text: string, inline: Inline): number;
  measure(array: Inline[], stack: Stack): Inline[];
}
const TextInlines = (require('pdfmake/js/TextInlines.js') as { default: { prototype: TextInlinesProto } }).default;
const StyleContextStack = (require('pdfmake/js/StyleContextStack.js') as { default: { getStyleProperty: Lookup } }).default;

/** The properties pdfmake's measure looks up, with its defaults, in its order. */
const STYLE: [string, unknown][] = [
  ['alignment', 'left'],
  ['fontSize', 12],
  ['fontFeatures', null],
  ['characterSpacing', 0],
  ['color', 'black'],
  ['decoration', null],
  ['decorationColor', null],
  ['decorationStyle', null],
  ['decorationThickness', null],
  ['background', null],
  ['link', null],
  ['linkToPage', null],
  ['linkToDestination', null],
  ['noWrap', null],
  ['opacity', 1],
  ['sup', false],
  ['sub', false],
];
/** Own properties that differ between inlines of one text without changing its style. */
const NOT_STYLE = new Set(['text', 'lineEnd', 'noNewLine']);
const LEADING = /^(\s)+/g;
const TRAILING = /(\s)+$/g;

interface Resolved {
  font: Font;
  values: unknown[];
  lineHeight: unknown;
  preserveLeading: unknown;
  preserveTrailing: unknown;
}

/** Two inlines (not yet measured) with the same own properties, text and line ends aside. */
function sameStyle(a: Inline, b: Inline): boolean {
  let n = 0;
  for (const key in b) {
    if (NOT_STYLE.has(key)) continue;
    if (a[key] !== b[key]) return false;
    n++;
  }
  for (const key in a) if (!NOT_STYLE.has(key)) n--;
  return n === 0;
}

TextInlines.prototype.measure = function (this: TextInlinesProto, array: Inline[], stack: Stack): Inline[] {
  const get = StyleContextStack.getStyleProperty;
  // Compared before anything is written to them (TextBreaker's inlines are plain objects).
  const same = array.map((item, i) => i > 0 && sameStyle(array[i - 1], item));
  if (array.length) {
    const leadingIndent = get(array[0], stack, 'leadingIndent', 0);
    if (leadingIndent) {
      array[0].leadingCut = -(leadingIndent as number);
      array[0].leadingIndent = leadingIndent;
    }
  }
  let style: Resolved | undefined;
  array.forEach((item, i) => {
    if (!style || !same[i]) {
      const font = this.pdfDocument.provideFont(get(item, stack, 'font', 'Roboto'), get(item, stack, 'bold', false), get(item, stack, 'italics', false));
      style = {
        font,
        values: STYLE.map(([p, d]) => get(item, stack, p, d)),
        lineHeight: get(item, stack, 'lineHeight', 1),
        preserveLeading: get(item, stack, 'preserveLeadingSpaces', false),
        preserveTrailing: get(item, stack, 'preserveTrailingSpaces', false),
      };
    }
    item.font = style.font;
    STYLE.forEach(([p], k) => (item[p] = style!.values[k]));
    if (item.sup || item.sub) (item.fontSize as number) *= 0.58;
    item.width = this.widthOfText(item.text, item);
    item.height = style.font.lineHeight(item.fontSize as number) * (style.lineHeight as number);
    if (!item.leadingCut) item.leadingCut = 0;
    if (!style.preserveLeading) {
      const lead = item.text.match(LEADING);
      if (lead) (item.leadingCut as number) += this.widthOfText(lead[0], item);
    }
    item.trailingCut = 0;
    if (!style.preserveTrailing) {
      const trail = item.text.match(TRAILING);
      if (trail) item.trailingCut = this.widthOfText(trail[0], item);
    }
  });
  return array;
};
