import type { Blank, Span } from './model.js';
import type { JsonSchema } from './schema.js';
import { formatOf } from './formats.js';

/**
 * Fill-in lines of blank forms. A value left empty on a blank form is a span with a `blank` shape
 * (core/model.ts), derived here from the field's schema, so every kind gets sensible blanks without
 * saying anything: renderers print the shape in running text (委托单位：＿＿＿＿) and leave table cells
 * empty.
 */

/** The character a fill-in line is made of (before underlining): the ideographic space, one character wide. */
export const FILL = '\u3000';

/**
 * The fill-in line for a field: its format's (core/formats.ts: codes 18 characters, dates 　　年　月　日 …);
 * names (personName, or up to 30 characters) 8; longer text 18 (up to 100 characters), 22 (up to
 * 150, about a line), or 36 (beyond: over two lines).
 */
export function blankFor(schema: JsonSchema | undefined): Blank {
  const byFormat = formatOf(schema)?.blank;
  if (byFormat) return byFormat;
  if (schema?.['x-display'] === 'personName') return [8];
  if (schema?.type === 'integer' || schema?.type === 'number') return [4];
  const max = typeof schema?.maxLength === 'number' ? schema.maxLength : 50;
  return [max <= 30 ? 8 : max <= 100 ? 18 : max <= 150 ? 22 : 36];
}

/** A piece of printed text: a fill-in line (underlined blank) or plain text. */
export interface FillPiece {
  text: string;
  line: boolean;
}

/** The pieces a blank prints as: `[3, '年']` → underlined 　　　, then 年. */
export function blankPieces(blank: Blank): FillPiece[] {
  return blank.filter((p) => p !== '' && p !== 0).map((p) => (typeof p === 'number' ? { text: FILL.repeat(Math.max(1, Math.round(p))), line: true } : { text: p, line: false }));
}

/** The text a span prints in running text: its own, or its fill-in line's. */
export function runningText(s: Span): string {
  return s.blank && !s.text ? blankPieces(s.blank).map((p) => p.text).join('') : s.text;
}
