/**
 * The neutral document model. A document kind describes its page once, as blocks built from a
 * `Values` source; the PDF renderer, the DOCX template builder, the fillable-form builder and the
 * parser each read these blocks. None of them knows any document kind by name.
 */

/** Font roles an office can map to its own font files (and, in Word, font names). */
export type FontRole = 'title' | 'body' | 'heading';

/** A run of text. `field` is the JSON pointer of the record value it shows, when it shows one. */
export interface Span {
  text: string;
  field?: string;
  /**
   * On a blank form, set on an empty value (its `text` is empty): the fill-in line it wants. Running
   * text prints it as an underlined blank; a table cell leaves it empty (the cell is the space).
   */
  blank?: Blank;
}

/**
 * The shape of a fill-in line: numbers are underlined blanks, that many characters of the
 * surrounding text wide; strings are fixed text between them. `[8]` is a short blank for a name,
 * `[2, '年', 1, '月', 1, '日']` a date. See core/blank.ts.
 */
export type Blank = (number | string)[];

export type Align = 'left' | 'center' | 'right' | 'justify';

export interface Cell {
  /** A fixed label or a value; labels are what the parser looks for. */
  role: 'label' | 'value';
  spans?: Span[];
  /** A small hint printed in the cell, e.g. (本人手签). */
  hint?: string;
  /** One drawn box per option; `checked` is read from the record. */
  checkboxes?: { field: string; options: { label: string; checked: boolean }[] };
  colSpan?: number;
  rowSpan?: number;
  align?: Align;
  bold?: boolean;
}

export interface TableBlock {
  type: 'table';
  /** Relative column widths. */
  widths: number[];
  /** Header rows, repeated on every page the table spans. */
  head?: Cell[][];
  body: Cell[][];
  /** One row per item of a list in the record; `field` is the list's pointer. */
  each?: { field: string; rows: Cell[][] };
  foot?: Cell[][];
  /** Minimum row height in points, for forms filled by hand. */
  rowHeight?: number;
  /** Row heights for body rows by index (forms). */
  heights?: number[];
  fontSize?: number;
}

export type Block =
  | { type: 'attachment'; text: string }
  | { type: 'docNumber'; spans: Span[] }
  | { type: 'title'; spans: Span[] }
  | { type: 'paragraph'; spans: Span[]; indent?: boolean; align?: Align; role?: FontRole; spaceBefore?: number }
  | { type: 'list'; items: Span[][] }
  | { type: 'signature'; lines: Span[][] }
  | { type: 'cutLine'; text: string }
  | TableBlock;

/** Page styles: a plain form page, or a GB/T 9704 official document page. */
export type PageStyle = 'form' | 'official';

/** A form's table text sizes in points, tried in turn until the form fits one page (PDF and DOCX). */
export const FORM_TABLE_SIZES = [12, 10.5, 9, 7.5, 6.5];

export interface DocModel {
  page: PageStyle;
  blocks: Block[];
}
