import { createRequire } from 'node:module';

/**
 * pdfmake looks up about twenty style properties for every inline it measures, and Chinese text is
 * one inline per character: `StyleContextStack.getStyleProperty` pushes the item onto the style
 * stack, builds a closure and a Set per named style, walks the stack and pops it again, about a
 * tenth of a notice's CPU. When neither the item nor the stack names a style (bangban defines no
 * named styles; everything is an override object), the answer is simply the topmost override that
 * has a value, else the default style's: that walk is done here directly, with the same result.
 * Anything involving named styles goes to pdfmake's own code.
 */
const require = createRequire(import.meta.url);
type Item = Record<string, unknown> | string;
interface Stack {
  styleOverrides: Item[];
  defaultStyle?: Record<string, unknown>;
}
type Lookup = (item: Item, stack: Stack | undefined, property: string, defaultValue: unknown) => unknown;
const StyleContextStack = (require('pdfmake/js/StyleContextStack.js') as { default: { getStyleProperty: Lookup } }).default;
const { isString, isValue } = require('pdfmake/js/helpers/variableType.js') as { isString(v: unknown): boolean; isValue(v: unknown): boolean };

const lookup = StyleContextStack.getStyleProperty;
StyleContextStack.getStyleProperty = function (item, stack, property, defaultValue) {
  const own = (item as Record<string, unknown>)[property];
  if (isValue(own)) return own;
  if (!stack) return defaultValue;
  // pdfmake pushes the item's named styles and then the item itself (which has no value here).
  if (!isString(item) && (item as Record<string, unknown>).section === undefined && (item as Record<string, unknown>).style) return lookup.call(this, item, stack, property, defaultValue);
  const o = stack.styleOverrides;
  for (let i = o.length - 1; i >= 0; i--) {
    const it = o[i];
    if (isString(it)) return lookup.call(this, item, stack, property, defaultValue); // a named style
    const v = (it as Record<string, unknown>)[property];
    if (isValue(v)) return v;
  }
  const v = stack.defaultStyle && stack.defaultStyle[property];
  return isValue(v) ? v : defaultValue;
};
