import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Kind } from '../core/kind.js';
import type { Issue } from '../core/errors.js';
import { UserError } from '../core/errors.js';
import { setAt } from '../core/pointer.js';
import { columnPlan, listForHeaders, matchHeaders, type Column, type ColumnPlan, type ListSheet } from './columns.js';
import { convertCell, plainCell } from './convert.js';
import { lines, openCsv, openXlsx, type Sheet, type TableRow } from './tables.js';

/** One input record: its number in the batch (1-based, input order), where it came from, the record. */
export interface InputRow {
  /** 1-based position in the batch. */
  number: number;
  /** Row (spreadsheet) or line (JSON Lines) in the input file; for a JSON array, the element's number. */
  row: number;
  record?: unknown;
  /** Problems reading the row itself (malformed JSON …). */
  errors?: Issue[];
}

export interface Source {
  /** How many records the input holds (counted before rendering, for progress). */
  total: number;
  /** Notes for the user: unknown columns, ignored sheets. */
  notes: string[];
  rows(): AsyncIterable<InputRow>;
}

export const INPUT_TYPES = ['.xlsx', '.csv', '.jsonl', '.json'];

/** Items of list fields, by record number (序号) and list pointer. */
type ItemsIndex = Map<string, Map<string, unknown[]>>;

/** A record number as written in a cell: 3, '3', '３', ' 3 ' are one key. */
function keyOf(v: unknown): string {
  const p = plainCell(v);
  if (p === undefined) return '';
  return String(p).normalize('NFKC').trim().replace(/\.0+$/, '');
}

/** Open an input file (and its list files for CSV) as a stream of records. */
export async function openSource(kind: Kind, input: string, itemFiles: string[] = []): Promise<Source> {
  if (!existsSync(input)) throw new UserError(`找不到输入文件 ${input}`);
  if (statSync(input).isDirectory()) throw new UserError(`${input} 是文件夹，请指定数据文件`);
  for (const f of itemFiles) if (!existsSync(f)) throw new UserError(`找不到列表文件 ${f}`);
  const ext = extname(input).toLowerCase();
  const plan = columnPlan(kind);
  switch (ext) {
    case '.csv':
      return csvSource(plan, input, itemFiles);
    case '.xlsx':
      return xlsxSource(plan, input, itemFiles);
    case '.jsonl':
    case '.ndjson':
      return jsonlSource(input, itemFiles);
    case '.json':
      return jsonSource(input, itemFiles);
    default:
      throw new UserError(`不支持的输入文件类型“${ext || input}”，可用：${INPUT_TYPES.join('、')}`);
  }
}

function noItems(itemFiles: string[]): void {
  if (itemFiles.length) throw new UserError('JSON 输入的列表字段直接写在记录里，不需要 --items');
}

async function jsonlSource(input: string, itemFiles: string[]): Promise<Source> {
  noItems(itemFiles);
  let total = 0;
  for await (const l of lines(input)) if (l.text.trim()) total++;
  return {
    total,
    notes: [],
    async *rows() {
      let number = 0;
      for await (const l of lines(input)) {
        if (!l.text.trim()) continue;
        number++;
        try {
          yield { number, row: l.line, record: JSON.parse(l.text) };
        } catch (e) {
          yield { number, row: l.line, errors: [{ path: '', label: `第 ${l.line} 行`, message: `不是有效的 JSON：${(e as Error).message}` }] };
        }
      }
    },
  };
}

async function jsonSource(input: string, itemFiles: string[]): Promise<Source> {
  noItems(itemFiles);
  let data: unknown;
  try {
    data = JSON.parse((await readFile(input, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UserError(`${input} 不是有效的 JSON：${(e as Error).message}`);
  }
  const list = Array.isArray(data) ? data : [data];
  return {
    total: list.length,
    notes: [],
    async *rows() {
      for (let i = 0; i < list.length; i++) yield { number: i + 1, row: i + 1, record: list[i] };
    },
  };
}

/** Read a list sheet into the items index. */
async function indexItems(plan: ColumnPlan, sheet: Sheet, list: ListSheet, index: ItemsIndex, where: string): Promise<string[]> {
  const m = matchHeaders(sheet.header, list.columns);
  if (m.numberIndex < 0) throw new UserError(`${where}缺少“序号”列：列表的每一行要写明属于第几条记录`);
  for await (const r of sheet.rows) {
    const key = keyOf(r.values[m.numberIndex]);
    if (!key) continue;
    let item: unknown;
    if (list.scalar) {
      const i = m.byIndex.findIndex(Boolean);
      item = convertCell(r.values[i], list.columns[0].schema);
    } else {
      const obj: Record<string, unknown> = {};
      let any = false;
      m.byIndex.forEach((col, i) => {
        if (!col) return;
        const v = convertCell(r.values[i], col.schema);
        if (v === undefined) return;
        setAt(obj, col.pointer, v);
        any = true;
      });
      item = any ? obj : undefined;
    }
    if (item === undefined) continue;
    let lists = index.get(key);
    if (!lists) index.set(key, (lists = new Map()));
    const items = lists.get(list.pointer) ?? [];
    items.push(item);
    lists.set(list.pointer, items);
  }
  return m.unknown.length ? [`${where}忽略了不认识的列：${m.unknown.join('、')}`] : [];
}

/** Records from the records sheet's rows, with their list items joined by record number. */
function assemble(plan: ColumnPlan, sheet: Sheet, index: ItemsIndex, open: () => Promise<Sheet>): () => AsyncIterable<InputRow> {
  const m = matchHeaders(sheet.header, plan.main);
  return async function* () {
    const s = await open();
    let number = 0;
    for await (const r of s.rows) {
      number++;
      const key = m.numberIndex >= 0 ? keyOf(r.values[m.numberIndex]) || String(number) : String(number);
      yield { number, row: r.row, record: rowRecord(m.byIndex, r, index.get(key)) };
    }
  };
}

function rowRecord(columns: (Column | null)[], r: TableRow, lists: Map<string, unknown[]> | undefined): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  columns.forEach((col, i) => {
    if (!col) return;
    const v = convertCell(r.values[i], col.schema);
    if (v !== undefined) setAt(record, col.pointer, v);
  });
  if (lists) for (const [pointer, items] of lists) if (!hasValue(record, pointer)) setAt(record, pointer, items);
  return record;
}

function hasValue(record: Record<string, unknown>, pointer: string): boolean {
  let cur: unknown = record;
  for (const k of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur !== undefined;
}

function mainNotes(plan: ColumnPlan, sheet: Sheet, where: string): string[] {
  const m = matchHeaders(sheet.header, plan.main);
  if (!m.byIndex.some(Boolean)) {
    throw new UserError(`${where}的表头没有一个能对上${plan.main.length ? `，应为：${plan.main.map((c) => c.header).join('、')}` : ''}（可用 bangban template 生成模板）`);
  }
  return m.unknown.length ? [`${where}忽略了不认识的列：${m.unknown.join('、')}`] : [];
}

async function count(rows: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of rows) n++;
  return n;
}

async function itemFilesIndex(plan: ColumnPlan, itemFiles: string[], index: ItemsIndex): Promise<string[]> {
  const notes: string[] = [];
  for (const f of itemFiles) {
    const sheet = f.toLowerCase().endsWith('.xlsx') ? (await openXlsx(f).next()).value : await openCsv(f);
    if (!sheet) continue;
    const list = listForHeaders(plan, sheet.header, sheet.name);
    if (!list) throw new UserError(`列表文件 ${f} 的表头对不上任何列表字段${plan.lists.length ? `（${plan.lists.map((l) => l.title).join('、')}）` : '：这种文书没有列表字段'}`);
    notes.push(...(await indexItems(plan, sheet, list, index, `列表文件 ${f} `)));
  }
  return notes;
}

async function csvSource(plan: ColumnPlan, input: string, itemFiles: string[]): Promise<Source> {
  const index: ItemsIndex = new Map();
  const notes = await itemFilesIndex(plan, itemFiles, index);
  const open = async () => {
    const s = await openCsv(input);
    if (!s) throw new UserError(`${input} 是空的`);
    return s;
  };
  const first = await open();
  notes.unshift(...mainNotes(plan, first, `${input} `));
  const total = await count(first.rows);
  return { total, notes, rows: assemble(plan, first, index, open) };
}

/**
 * Pass 1 reads every sheet's header: the first sheet whose header names record fields holds the
 * records (counted), the others holding 序号 and a list's columns are read into the items index.
 * Pass 2 streams the records sheet.
 */
async function xlsxSource(plan: ColumnPlan, input: string, itemFiles: string[]): Promise<Source> {
  const index: ItemsIndex = new Map();
  const notes: string[] = [];
  let records: { sheet: Sheet; position: number; total: number } | undefined;
  let position = 0;
  for await (const sheet of openXlsx(input)) {
    position++;
    const mainMatches = matchHeaders(sheet.header, plan.main).byIndex.filter(Boolean).length;
    if (!records && mainMatches > 0) {
      notes.push(...mainNotes(plan, sheet, `工作表“${sheet.name}”`));
      records = { sheet, position, total: await count(sheet.rows) };
      continue;
    }
    const list = listForHeaders(plan, sheet.header, sheet.name);
    if (list && matchHeaders(sheet.header, list.columns).numberIndex >= 0) {
      notes.push(...(await indexItems(plan, sheet, list, index, `工作表“${sheet.name}”`)));
    } else if (records) {
      // 填写说明 and other sheets are not data
    }
  }
  if (!records) throw new UserError(`${input} 里没有一个工作表的表头能对上${plan.main.map((c) => c.header).join('、')}（可用 bangban template 生成模板）`);
  notes.push(...(await itemFilesIndex(plan, itemFiles, index)));
  const want = records.position;
  const open = async (): Promise<Sheet> => {
    const book = openXlsx(input);
    for (let p = 1; ; p++) {
      const next = await book.next();
      if (next.done) throw new UserError(`${input} 在读取时改变了`);
      if (p < want) continue;
      const sheet = next.value;
      async function* rows() {
        try {
          yield* sheet.rows;
        } finally {
          await book.return(undefined);
        }
      }
      return { ...sheet, rows: rows() };
    }
  };
  return { total: records.total, notes, rows: assemble(plan, records.sheet, index, open) };
}
