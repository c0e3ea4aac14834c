import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { excel } from '../core/excel.js';
import { stringify } from 'csv-stringify/sync';
import type { Kind } from '../core/kind.js';
import type { JsonSchema } from '../core/schema.js';
import { formatOf } from '../core/formats.js';
import { UserError } from '../core/errors.js';
import { readJsonFile } from '../core/io.js';
import { fixturesDir } from '../core/paths.js';
import { getAt, pointerToDotted } from '../core/pointer.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { columnPlan, NUMBER_HEADER, type Column, type ListSheet } from './columns.js';
import { cellText } from './convert.js';
import { safeFileName } from './naming.js';
import { FIXED_DATE } from '../core/dates.js';

export const NOTES_SHEET = '填写说明';

/** A sheet of the template: name, headers, example rows. */
interface TemplateSheet {
  name: string;
  columns: Column[];
  rows: unknown[][];
}


function describe(s: JsonSchema, listCell: boolean): string {
  const notes: string[] = [];
  const item = s.type === 'array' ? ((s.items ?? {}) as JsonSchema) : s;
  if (s.type === 'array') notes.push(listCell ? '可填多项，用“、”或“;”分隔' : '每行一项');
  if (item.enum) notes.push(`可选：${item.enum.join('、')}`);
  const format = formatOf(item);
  if (format) notes.push(format.note);
  if (item.type === 'integer') notes.push('整数');
  if (item.type === 'number') notes.push('数字');
  if (item.type === 'boolean') notes.push('是 / 否');
  if (typeof item.maxLength === 'number') notes.push(`不超过 ${item.maxLength} 字`);
  return notes.join('；');
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(s: string): string {
  return s.replace(/[:\\/?*[\]]/g, '_').slice(0, 31) || 'Sheet';
}

/**
 * Records as the batch reads them: a records sheet (序号 = position, 1, 2 …) and one sheet per list
 * of objects, one item per row keyed by 序号. The template (the demo record) and ingest's output use it.
 */
export function recordSheets(kind: Kind, records: unknown[]): TemplateSheet[] {
  const plan = columnPlan(kind);
  const row = (n: number, o: unknown, columns: Column[]) => [n, ...columns.map((c) => cellText(getAt(o, c.pointer)))];
  const sheets: TemplateSheet[] = [{ name: sheetName(kind.title), columns: plan.main, rows: records.map((r, i) => row(i + 1, r, plan.main)) }];
  for (const list of plan.lists.filter((l) => !l.scalar)) {
    const rows = records.flatMap((r, i) => {
      const items = getAt(r, list.pointer);
      return Array.isArray(items) ? items.map((item) => row(i + 1, item, list.columns)) : [];
    });
    sheets.push({ name: sheetName(list.title), columns: list.columns, rows });
  }
  return sheets;
}

/** The template's sheets for a kind, with the demo record as example row 1. */
export function templateSheets(kind: Kind): TemplateSheet[] {
  const file = join(fixturesDir, kind.def.demoFixture);
  return recordSheets(kind, existsSync(file) ? [readJsonFile(file)] : []);
}

/** A list sheet's CSV file next to the records CSV: x.csv → x-<list>.csv. */
export function listCsvPath(recordsCsv: string, sheet: string): string {
  return join(dirname(recordsCsv), `${basename(recordsCsv, extname(recordsCsv))}-${safeFileName(sheet)}.csv`);
}

function notesRows(kind: Kind): string[][] {
  const plan = columnPlan(kind);
  const rows: string[][] = [[NUMBER_HEADER, '', '是', `记录号：每条记录一个${plan.lists.some((l) => !l.scalar) ? '；列表工作表用它对应到记录' : ''}`]];
  const add = (sheet: string, c: Column, list?: ListSheet) =>
    rows.push([c.header, sheet, c.required ? '是' : '否', [describe(c.schema, !list), `字段 ${list ? `${pointerToDotted(list.pointer)}.${pointerToDotted(c.pointer)}` : pointerToDotted(c.pointer)}`].filter(Boolean).join('；')]);
  for (const c of plan.main) add(sheetName(kind.title), c);
  for (const l of plan.lists.filter((x) => !x.scalar)) for (const c of l.columns) add(sheetName(l.title), c, l);
  return rows;
}

/** Write a ready spreadsheet template (.xlsx; or .csv plus one CSV per list). Returns the files written. */
export async function writeTemplate(kind: Kind, out: string): Promise<string[]> {
  const ext = extname(out).toLowerCase();
  const sheets = templateSheets(kind);
  if (ext === '.csv') {
    const files: string[] = [];
    sheets.forEach((s, i) => {
      const file = i === 0 ? out : listCsvPath(out, s.name);
      writeFileAtomicSync(file, '\uFEFF' + stringify([[NUMBER_HEADER, ...s.columns.map((c) => c.header)], ...s.rows]));
      files.push(file);
    });
    return files;
  }
  if (ext !== '.xlsx') throw new UserError(`模板只能写成 .xlsx 或 .csv，不认识“${ext || out}”`);
  const ExcelJS = await excel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'bangban';
  wb.created = wb.modified = FIXED_DATE;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [{ header: NUMBER_HEADER, width: 8 }, ...s.columns.map((c) => ({ header: c.header, width: Math.min(40, Math.max(12, c.header.length * 2 + 4)), style: { numFmt: '@' } }))];
    ws.getRow(1).font = { bold: true };
    s.columns.forEach((c, i) => {
      const note = describe(c.schema, s === sheets[0]);
      if (note || c.required) ws.getCell(1, i + 2).note = [c.required ? '必填' : '选填', note].filter(Boolean).join('；');
      const options = c.schema.type !== 'array' ? c.schema.enum : undefined;
      if (options && options.join(',').length < 250) {
        for (let r = 2; r <= 1000; r++) ws.getCell(r, i + 2).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${options.join(',')}"`] };
      }
    });
    for (const row of s.rows) ws.addRow(row);
  }
  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [
    { header: '列名', width: 24 },
    { header: '工作表', width: 24 },
    { header: '必填', width: 6 },
    { header: '说明', width: 70 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const r of notesRows(kind)) notes.addRow(r);
  writeFileAtomicSync(out, new Uint8Array(await wb.xlsx.writeBuffer()));
  return [out];
}
