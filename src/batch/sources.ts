import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Kind } from '../core/kind.js';
import type { Issue } from '../core/errors.js';
import { UserError } from '../core/errors.js';
import { setAt } from '../core/pointer.js';
import { jsonErrorPlace, parseJsonText } from '../core/io.js';
import { columnPlan, listForHeaders, matchHeaders, type Column, type ColumnPlan, type ListSheet } from './columns.js';
import { cellProblem, convertCell, plainCell } from './convert.js';
import { lines, openCsv, openXlsx, type Sheet, type TableRow } from './tables.js';

/** One input record: its number in the batch (1-based, input order), where it came from, the record. */
export interface InputRow {
  /** 1-based position in the batch. */
  number: number;
  /** Row (spreadsheet) or line (JSON Lines) in the input file; for a JSON array, the element's number. */
  row: number;
  /** The row's 序号 where the sheet has that column: how staff count their rows. */
  serial?: string;
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
          yield { number, row: l.line, errors: [{ path: '', label: `第 ${l.line} 行`, message: `不是有效的 JSON：${jsonErrorPlace(l.text, (e as Error).message)}` }] };
        }
      }
    },
  };
}

async function jsonSource(input: string, itemFiles: string[]): Promise<Source> {
  noItems(itemFiles);
  const data = parseJsonText(await readFile(input, 'utf8'), input);
  const list = Array.isArray(data) ? data : [data];
  return {
    total: list.length,
    notes: [],
    async *rows() {
      for (let i = 0; i < list.length; i++) yield { number: i + 1, row: i + 1, record: list[i] };
    },
  };
}

/** A sheet of list items (an xlsx sheet or a list file) that can be opened again. */
interface ListInput {
  list: ListSheet;
  where: string;
  open: () => Promise<Sheet>;
}

type Matched = ReturnType<typeof matchHeaders>;

function listMatch(input: ListInput, sheet: Sheet): Matched {
  const m = matchHeaders(sheet.header, input.list.columns);
  if (m.numberIndex < 0) throw new UserError(`${input.where}缺少“序号”列：列表的每一行要写明属于第几条记录`);
  return m;
}

/**
 * A list item whose row holds an Excel error value stands in the list as this marker (it survives
 * the JSON the in-memory index keeps); the row's record turns it into a problem, not a missing item.
 */
const CELL_PROBLEM = '\u0000cellProblem';
type ProblemItem = { [CELL_PROBLEM]: string };
const isProblem = (item: unknown): item is ProblemItem => !!item && typeof item === 'object' && CELL_PROBLEM in item;

/** One list item from its row; undefined when the row is empty. */
function itemFrom(list: ListSheet, m: Matched, values: unknown[]): unknown {
  const cols = list.scalar ? [m.byIndex.findIndex(Boolean)].filter((i) => i >= 0) : m.byIndex.flatMap((c, i) => (c ? [i] : []));
  for (const i of cols) {
    const problem = cellProblem(values[i]);
    if (problem) return { [CELL_PROBLEM]: `${m.byIndex[i]!.header}：${problem}` } satisfies ProblemItem;
  }
  if (list.scalar) return cols.length ? convertCell(values[cols[0]], list.columns[0].schema) : undefined;
  const obj: Record<string, unknown> = {};
  let any = false;
  for (const i of cols) {
    const col = m.byIndex[i]!;
    const v = convertCell(values[i], col.schema);
    if (v === undefined) continue;
    setAt(obj, col.pointer, v);
    any = true;
  }
  return any ? obj : undefined;
}

const numericKey = (key: string) => (/^\d+$/.test(key) ? Number(key) : NaN);

/** Whether a list sheet's 序号 never goes down (then it can be read alongside the records). */
async function ordered(input: ListInput, sheet: Sheet): Promise<{ ordered: boolean; notes: string[] }> {
  const m = listMatch(input, sheet);
  let last = -Infinity;
  let ok = true;
  for await (const r of sheet.rows) {
    const key = keyOf(r.values[m.numberIndex]);
    if (!key) continue;
    const n = numericKey(key);
    if (!(n >= last)) ok = false;
    else last = n;
  }
  return { ordered: ok, notes: m.unknown.length ? [`${input.where}忽略了不认识的列：${m.unknown.join('、')}`] : [] };
}

/**
 * Items of list sheets kept in memory by 序号, for lists not in record order. Each record's lists
 * are kept as one JSON string: compact, and free of the parser's buffers.
 */
async function indexItems(inputs: ListInput[]): Promise<Map<string, string>> {
  const index = new Map<string, Record<string, unknown[]>>();
  for (const input of inputs) {
    const sheet = await input.open();
    const m = listMatch(input, sheet);
    for await (const r of sheet.rows) {
      const key = keyOf(r.values[m.numberIndex]);
      const item = key ? itemFrom(input.list, m, r.values) : undefined;
      if (item === undefined) continue;
      let lists = index.get(key);
      if (!lists) index.set(key, (lists = {}));
      (lists[input.list.pointer] ??= []).push(item);
    }
  }
  const flat = new Map<string, string>();
  for (const [k, v] of index) flat.set(k, JSON.stringify(v));
  return flat;
}

/** Reads a list sheet in step with the records: both in increasing 序号. */
class ItemCursor {
  private it?: AsyncIterator<TableRow>;
  private m?: Matched;
  private pending?: { key: number; values: unknown[] };
  private ended = false;
  constructor(readonly input: ListInput) {}
  /** The items of record `key`; items of numbers with no record are passed over. */
  async take(key: number): Promise<unknown[]> {
    if (!this.it) {
      const sheet = await this.input.open();
      this.m = listMatch(this.input, sheet);
      this.it = sheet.rows[Symbol.asyncIterator]();
    }
    const out: unknown[] = [];
    for (;;) {
      if (!this.pending) {
        if (this.ended) return out;
        const n = await this.it.next();
        if (n.done) {
          this.ended = true;
          return out;
        }
        const k = keyOf(n.value.values[this.m!.numberIndex]);
        if (!k) continue;
        this.pending = { key: numericKey(k), values: n.value.values };
      }
      if (this.pending.key > key) return out;
      if (this.pending.key === key) {
        const item = itemFrom(this.input.list, this.m!, this.pending.values);
        if (item !== undefined) out.push(item);
      }
      this.pending = undefined;
    }
  }
  async close(): Promise<void> {
    await this.it?.return?.();
  }
}

/** Where the items of a record come from: cursors in step with the records, or the in-memory index. */
type Join = { kind: 'stream'; inputs: ListInput[] } | { kind: 'index'; index: Map<string, string> };

/** Records from the records sheet's rows, with their list items joined by record number. */
function assemble(plan: ColumnPlan, header: unknown[], join: Join, open: () => Promise<Sheet>): () => AsyncIterable<InputRow> {
  const m = matchHeaders(header, plan.main);
  return async function* () {
    const s = await open();
    const cursors = join.kind === 'stream' ? join.inputs.map((i) => new ItemCursor(i)) : [];
    let number = 0;
    try {
      for await (const r of s.rows) {
        number++;
        const key = m.numberIndex >= 0 ? keyOf(r.values[m.numberIndex]) || String(number) : String(number);
        let lists: Record<string, unknown[]> | undefined;
        if (join.kind === 'index') {
          const json = join.index.get(key);
          lists = json ? (JSON.parse(json) as Record<string, unknown[]>) : undefined;
        } else if (cursors.length) {
          lists = {};
          for (const c of cursors) {
            const items = await c.take(numericKey(key));
            if (items.length) (lists[c.input.list.pointer] ??= []).push(...items);
          }
        }
        const serial = m.numberIndex >= 0 ? keyOf(r.values[m.numberIndex]) || undefined : undefined;
        yield { number, row: r.row, ...(serial !== undefined ? { serial } : {}), ...rowRecord(m.byIndex, r, lists, plan.lists) };
      }
    } finally {
      for (const c of cursors) await c.close();
    }
  };
}

/** A row's record, and a problem for each cell holding an Excel error value (not “missing”: broken). */
function rowRecord(columns: (Column | null)[], r: TableRow, lists: Record<string, unknown[]> | undefined, sheets: ListSheet[]): { record: Record<string, unknown>; errors?: Issue[] } {
  const record: Record<string, unknown> = {};
  const errors: Issue[] = [];
  columns.forEach((col, i) => {
    if (!col) return;
    const problem = cellProblem(r.values[i]);
    if (problem) {
      errors.push({ path: col.pointer, label: col.header, message: problem });
      return;
    }
    const v = convertCell(r.values[i], col.schema);
    if (v !== undefined) setAt(record, col.pointer, v);
  });
  for (const [pointer, items] of Object.entries(lists ?? {})) {
    const title = sheets.find((l) => l.pointer === pointer)?.title ?? pointer;
    for (const p of items.filter(isProblem)) errors.push({ path: pointer, label: title, message: p[CELL_PROBLEM] });
    if (!hasValue(record, pointer)) setAt(record, pointer, items.filter((x) => !isProblem(x)));
  }
  return errors.length ? { record, errors } : { record };
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

/** Count the records and check that their 序号 rise strictly (or that there is no 序号 column). */
async function countRecords(plan: ColumnPlan, sheet: Sheet): Promise<{ total: number; ordered: boolean }> {
  const m = matchHeaders(sheet.header, plan.main);
  let total = 0;
  let last = -Infinity;
  let ordered = true;
  for await (const r of sheet.rows) {
    total++;
    if (m.numberIndex < 0) continue;
    const n = numericKey(keyOf(r.values[m.numberIndex]));
    if (!(n > last)) ordered = false;
    else last = n;
  }
  return { total, ordered };
}

/** The xlsx's sheet at a position (1-based), streamed; the reader is closed when its rows end. */
function xlsxSheetAt(file: string, position: number): () => Promise<Sheet> {
  return async () => {
    const book = openXlsx(file);
    for (let p = 1; ; p++) {
      const next = await book.next();
      if (next.done) throw new UserError(`${file} 在读取时改变了`);
      if (p < position) continue;
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
}

/** --items files: each one list, recognised by its header. */
async function listFiles(plan: ColumnPlan, itemFiles: string[]): Promise<{ inputs: ListInput[]; notes: string[]; ordered: boolean }> {
  const inputs: ListInput[] = [];
  const notes: string[] = [];
  let allOrdered = true;
  for (const f of itemFiles) {
    const open = f.toLowerCase().endsWith('.xlsx')
      ? xlsxSheetAt(f, 1)
      : async () => {
          const s = await openCsv(f);
          if (!s) throw new UserError(`列表文件 ${f} 是空的`);
          return s;
        };
    const sheet = await open();
    const list = listForHeaders(plan, sheet.header, sheet.name);
    if (!list) throw new UserError(`列表文件 ${f} 的表头对不上任何列表字段${plan.lists.length ? `（${plan.lists.map((l) => l.title).join('、')}）` : '：这种文书没有列表字段'}`);
    const input = { list, where: `列表文件 ${f} `, open };
    const o = await ordered(input, sheet);
    notes.push(...o.notes);
    allOrdered &&= o.ordered;
    inputs.push(input);
  }
  return { inputs, notes, ordered: allOrdered };
}

async function joinFor(inputs: ListInput[], ordered: boolean): Promise<Join> {
  return ordered ? { kind: 'stream', inputs } : { kind: 'index', index: await indexItems(inputs) };
}

async function csvSource(plan: ColumnPlan, input: string, itemFiles: string[]): Promise<Source> {
  const lists = await listFiles(plan, itemFiles);
  const open = async () => {
    const s = await openCsv(input);
    if (!s) throw new UserError(`${input} 是空的`);
    return s;
  };
  const first = await open();
  const notes = [...mainNotes(plan, first, `${input} `), ...lists.notes];
  const counted = await countRecords(plan, first);
  const join = await joinFor(lists.inputs, lists.ordered && counted.ordered);
  return { total: counted.total, notes, rows: assemble(plan, first.header, join, open) };
}

/**
 * Pass 1 reads every sheet once: the first sheet whose header names record fields holds the
 * records (counted); further sheets with 序号 and a list's columns hold list items. When every
 * 序号 rises in step, pass 2 reads the list sheets alongside the records (memory stays flat);
 * otherwise the items are first indexed by 序号 in memory.
 */
async function xlsxSource(plan: ColumnPlan, input: string, itemFiles: string[]): Promise<Source> {
  const notes: string[] = [];
  const inputs: ListInput[] = [];
  let records: { header: unknown[]; position: number; total: number; ordered: boolean } | undefined;
  let allOrdered = true;
  let position = 0;
  for await (const sheet of openXlsx(input)) {
    position++;
    const mainMatches = matchHeaders(sheet.header, plan.main).byIndex.filter(Boolean).length;
    if (!records && mainMatches > 0) {
      notes.push(...mainNotes(plan, sheet, `工作表“${sheet.name}”`));
      records = { header: sheet.header, position, ...(await countRecords(plan, sheet)) };
      continue;
    }
    const list = listForHeaders(plan, sheet.header, sheet.name);
    if (list && matchHeaders(sheet.header, list.columns).numberIndex >= 0) {
      const li: ListInput = { list, where: `工作表“${sheet.name}”`, open: xlsxSheetAt(input, position) };
      const o = await ordered(li, sheet);
      notes.push(...o.notes);
      allOrdered &&= o.ordered;
      inputs.push(li);
    }
  }
  if (!records) throw new UserError(`${input} 里没有一个工作表的表头能对上${plan.main.map((c) => c.header).join('、')}（可用 bangban template 生成模板）`);
  const files = await listFiles(plan, itemFiles);
  notes.push(...files.notes);
  const join = await joinFor([...inputs, ...files.inputs], allOrdered && files.ordered && records.ordered);
  return { total: records.total, notes, rows: assemble(plan, records.header, join, xlsxSheetAt(input, records.position)) };
}
