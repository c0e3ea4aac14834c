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

/** Own properties that differ between inlines of one text without changing its style. */
const NOT_STYLE = new Set(['text', 'lineEnd', 'noNewLine']);
const LEADING = /^(\s)+/g;
const TRAILING = /(\s)+$/g;

/** What pdfmake's measure looks up for an inline, with its defaults. */
function resolve(this: TextInlinesProto, item: Inline, stack: Stack) {
  const get = (property: string, dflt: unknown) => StyleContextStack.getStyleProperty(item, stack, property, dflt);
  return {
    font: this.pdfDocument.provideFont(get('font', 'Roboto'), get('bold', false), get('italics', false)),
    alignment: get('alignment', 'left'),
    fontSize: get('fontSize', 12) as number,
    fontFeatures: get('fontFeatures', null),
    characterSpacing: get('characterSpacing', 0),
    color: get('color', 'black'),
    decoration: get('decoration', null),
    decorationColor: get('decorationColor', null),
    decorationStyle: get('decorationStyle', null),
    decorationThickness: get('decorationThickness', null),
    background: get('background', null),
    link: get('link', null),
    linkToPage: get('linkToPage', null),
    linkToDestination: get('linkToDestination', null),
    noWrap: get('noWrap', null),
    opacity: get('opacity', 1),
    sup: get('sup', false),
    sub: get('sub', false),
    lineHeight: get('lineHeight', 1) as number,
    preserveLeadingSpaces: get('preserveLeadingSpaces', false),
    preserveTrailingSpaces: get('preserveTrailingSpaces', false),
  };
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
  // Compared before anything is written to them (TextBreaker's inlines are plain objects).
  const same = array.map((item, i) => i > 0 && sameStyle(array[i - 1], item));
  if (array.length) {
    const leadingIndent = StyleContextStack.getStyleProperty(array[0], stack, 'leadingIndent', 0);
    if (leadingIndent) {
      array[0].leadingCut = -(leadingIndent as number);
      array[0].leadingIndent = leadingIndent;
    }
  }
  let style: ReturnType<typeof resolve> | undefined;
  array.forEach((item, i) => {
    if (!style || !same[i]) style = resolve.call(this, item, stack);
    // Named stores, in pdfmake's order, so every inline gets the same property layout (stores under
    // computed names cost a fifth of a notice's CPU).
    item.font = style.font;
    item.alignment = style.alignment;
    item.fontSize = style.fontSize;
    item.fontFeatures = style.fontFeatures;
    item.characterSpacing = style.characterSpacing;
    item.color = style.color;
    item.decoration = style.decoration;
    item.decorationColor = style.decorationColor;
    item.decorationStyle = style.decorationStyle;
    item.decorationThickness = style.decorationThickness;
    item.background = style.background;
    item.link = style.link;
    item.linkToPage = style.linkToPage;
    item.linkToDestination = style.linkToDestination;
    item.noWrap = style.noWrap;
    item.opacity = style.opacity;
    item.sup = style.sup;
    item.sub = style.sub;
    if (item.sup || item.sub) (item.fontSize as number) *= 0.58;
    item.width = this.widthOfText(item.text, item);
    item.height = style.font.lineHeight(item.fontSize as number) * style.lineHeight;
    if (!item.leadingCut) item.leadingCut = 0;
    if (!style.preserveLeadingSpaces) {
      const lead = item.text.match(LEADING);
      if (lead) (item.leadingCut as number) += this.widthOfText(lead[0], item);
    }
    item.trailingCut = 0;
    if (!style.preserveTrailingSpaces) {
      const trail = item.text.match(TRAILING);
      if (trail) item.trailingCut = this.widthOfText(trail[0], item);
    }
  });
  return array;
};
