import type { JsonSchema } from '../core/schema.js';
import { dayOf, formatOf } from '../core/formats.js';

/** Separators between items of a list written in one cell. */
export const LIST_SEPARATORS = /[、;；\n]+/;

/**
 * A spreadsheet cell as plain data: rich text joined, formulas by their result, hyperlinks by their
 * text, empty strings and errors as undefined.
 */
export function plainCell(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in o) return plainCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return undefined;
    if ('text' in o) return plainCell(o.text);
    if ('error' in o) return undefined;
    return undefined;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? undefined : s;
  }
  return v;
}

/** Excel's error values, as a cell holds them or as a CSV export writes them. */
const EXCEL_ERRORS = /^#(DIV\/0!|N\/A|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)$/i;

/**
 * What is wrong with a cell that holds no value because of Excel: an error value (#DIV/0! …, typed,
 * a formula's result or a CSV export's text), or a formula whose result the file does not hold
 * (exceljs's streaming reader drops a formula's error result, so that is what #REF! in a formula
 * looks like here). Undefined for any other cell.
 */
export function cellProblem(v: unknown): string | undefined {
  const error = (code: string) => `单元格是 Excel 错误值 ${code}（公式出错或引用无效），请改成实际的值`;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    if ('error' in o) return error(String(o.error));
    if ('result' in o && o.result !== undefined) return cellProblem(o.result);
    if ('formula' in o || 'sharedFormula' in o) return '单元格是公式，文件里没有它的结果（多为 #DIV/0!、#REF! 等错误值）：请在 Excel 中修正公式或改成实际的值后保存';
    return undefined;
  }
  return typeof v === 'string' && EXCEL_ERRORS.test(v.trim()) ? error(v.trim().toUpperCase()) : undefined;
}

/** Numbers as people write them (full-width digits, thousands separators) → a number, or the text. */
function toNumber(v: unknown, integer: boolean): unknown {
  if (typeof v === 'number') return v;
  const s = String(v).normalize('NFKC').replace(/,/g, '').trim();
  if (!/^[-+]?\d+(\.\d+)?$/.test(s)) return String(v);
  const n = Number(s);
  return integer && !Number.isInteger(n) ? String(v) : n;
}

const YES = new Set(['是', '有', 'true', 'yes', 'y', '1', '√', '✓']);
const NO = new Set(['否', '无', 'false', 'no', 'n', '0', '×', '✗']);

/** Convert one cell to the type its schema asks for; undefined for an empty cell. */
export function convertCell(raw: unknown, schema: JsonSchema): unknown {
  const v = plainCell(raw);
  if (v === undefined) return undefined;
  if (schema.type === 'array') {
    const items = (schema.items ?? {}) as JsonSchema;
    const parts = Array.isArray(v) ? v : typeof v === 'string' ? v.split(LIST_SEPARATORS) : [v];
    const out = parts.map((p) => convertCell(p, items)).filter((p) => p !== undefined);
    return out.length ? out : undefined;
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return toNumber(v, schema.type === 'integer');
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      const s = String(v).trim().toLowerCase();
      return YES.has(s) ? true : NO.has(s) ? false : String(v);
    }
    default: {
      // date cells and written dates (2026/3/2, ２０２６年３月２日) by the field's format; a date elsewhere is its day
      const fromCell = formatOf(schema)?.fromCell;
      if (v instanceof Date) return fromCell ? fromCell(v) : dayOf(v);
      if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
      return fromCell ? fromCell(String(v)) : String(v);
    }
  }
}

/** The cell text a value is written as in a template (lists joined with 、). */
export function cellText(value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((x) => String(x)).join('、');
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
