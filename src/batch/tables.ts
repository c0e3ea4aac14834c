import { once } from 'node:events';
import { createReadStream, statSync } from 'node:fs';
import unzipper from 'unzipper';
import { UserError } from '../core/errors.js';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { excel } from '../core/excel.js';
import { detectEncoding, textStream } from './decode.js';
import { plainCell } from './convert.js';
import { tickHeap } from './heap.js';

/** One spreadsheet row: its number in the file (1-based, as the spreadsheet shows it) and its cells. */
export interface TableRow {
  row: number;
  values: unknown[];
}

/** A sheet read as a stream: the header row, then the data rows (fully empty rows left out). */
export interface Sheet {
  name: string;
  header: unknown[];
  headerRow: number;
  rows: AsyncIterable<TableRow>;
}

const isEmpty = (values: unknown[]) => values.every((v) => plainCell(v) === undefined);

/** Split off the header (the first non-empty row) from a stream of rows. */
async function withHeader(name: string, rows: AsyncIterable<TableRow>): Promise<Sheet | undefined> {
  const it = rows[Symbol.asyncIterator]();
  for (;;) {
    const r = await it.next();
    if (r.done) return undefined;
    if (isEmpty(r.value.values)) continue;
    const header = r.value;
    const rest: AsyncIterable<TableRow> = {
      [Symbol.asyncIterator]: () => ({
        async next() {
          for (;;) {
            const n = await it.next();
            if (n.done || !isEmpty(n.value.values)) return n;
          }
        },
        async return() {
          await it.return?.();
          return { done: true, value: undefined };
        },
      }),
    };
    return { name, header: header.values, headerRow: header.row, rows: rest };
  }
}

/** A CSV file: UTF-8 (BOM or not), GB18030 or UTF-16 (tab-separated, as Excel's “Unicode text”). */
export async function openCsv(path: string): Promise<Sheet | undefined> {
  const encoding = await detectEncoding(path);
  const parser = textStream(path, encoding).pipe(
    parse({
      delimiter: encoding.startsWith('utf-16') ? '\t' : ',',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  async function* rows(): AsyncGenerator<TableRow> {
    for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      tickHeap();
      yield { row: r.info.lines, values: r.record };
    }
  }
  return withHeader(path, rows());
}

/** A cell range merged over several rows: its value, in the top cell, is every row's. */
interface Merge {
  /** 0-based column. */
  col: number;
  top: number;
  bottom: number;
}

const column = (letters: string) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/**
 * The merged ranges spanning rows in each worksheet of an .xlsx, in the order the worksheets'
 * files come (the order exceljs's streaming reader emits them). That reader ignores merges and
 * they come after the rows in the sheet's XML, so each sheet file is scanned for them first.
 */
async function verticalMerges(path: string): Promise<Merge[][]> {
  const zip = await unzipper.Open.file(path);
  const out: Merge[][] = [];
  for (const entry of zip.files.filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f.path))) {
    const merges: Merge[] = [];
    let carry = '';
    for await (const chunk of entry.stream() as AsyncIterable<Buffer>) {
      const text = carry + chunk.toString('utf8');
      for (const m of text.matchAll(/<mergeCell ref="([A-Z]+)(\d+):[A-Z]+(\d+)"/g)) if (Number(m[3]) > Number(m[2])) merges.push({ col: column(m[1]), top: Number(m[2]), bottom: Number(m[3]) });
      carry = text.slice(-64).replace(/^[^<]*/, '');
    }
    out.push(merges.sort((a, b) => a.top - b.top));
  }
  return out;
}

/** Rows with each merged range's value copied from its top cell into the rows below it. */
async function* fillMerged(rows: AsyncIterable<TableRow>, merges: Merge[]): AsyncGenerator<TableRow> {
  if (!merges.length) return yield* rows;
  const held = new Map<Merge, unknown>();
  let next = 0;
  for await (const r of rows) {
    for (; next < merges.length && merges[next].top <= r.row; next++) held.set(merges[next], undefined);
    for (const [m, value] of held) {
      if (r.row > m.bottom) held.delete(m);
      else if (r.row === m.top) held.set(m, r.values[m.col]);
      else if (plainCell(r.values[m.col]) === undefined) r.values[m.col] = value;
    }
    yield r;
  }
}

/** Every worksheet of an .xlsx, streamed in file order; each must be read (or its rows drained) in turn. */
export async function* openXlsx(path: string): AsyncGenerator<Sheet> {
  const ExcelJS = await excel();
  if (statSync(path).size === 0) throw new UserError(`${path} 是空文件，不是 Excel 工作簿`);
  // exceljs (and its unzip) say FILE_ENDED, invalid signature …: for staff, the file is not a workbook
  const notWorkbook = (e: unknown) => (e instanceof UserError ? e : new UserError(`${path} 不是有效的 Excel 工作簿（.xlsx）：文件损坏、不完整或是别的格式${process.env.BANGBAN_DEBUG ? `（${(e as Error)?.message}）` : ''}`));
  const merges = await verticalMerges(path).catch((e: unknown) => {
    throw notWorkbook(e);
  });
  let position = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'emit' });
  const sheets = (reader as unknown as AsyncIterable<AsyncIterable<{ number: number; values: unknown[] }> & { name: string }>)[Symbol.asyncIterator]();
  for (;;) {
    let next;
    try {
      next = await sheets.next();
    } catch (e) {
      throw notWorkbook(e);
    }
    if (next.done) return;
    const ws = next.value;
    async function* rows(): AsyncGenerator<TableRow> {
      try {
        for await (const row of ws) {
          tickHeap();
          yield { row: row.number, values: (row.values as unknown[]).slice(1) };
        }
      } catch (e) {
        throw notWorkbook(e);
      }
    }
    const it = fillMerged(rows(), merges[position++] ?? []);
    const sheet = await withHeader(ws.name, it);
    if (sheet) {
      yield sheet;
      // drain what the consumer left, so the reader can move on to the next sheet
      for await (const _ of sheet.rows);
    }
  }
}

/** Lines of a text file with their numbers (JSON Lines). */
export async function* lines(path: string): AsyncGenerator<{ line: number; text: string }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of rl) {
      n++;
      tickHeap();
      yield { line: n, text: n === 1 ? text.replace(/^\uFEFF/, '') : text };
    }
  } finally {
    rl.close();
    stream.destroy();
    if (!stream.closed) await once(stream, 'close').catch(() => undefined);
  }
}
