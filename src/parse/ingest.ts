/**
 * Many filled forms at once: every PDF of the given folders and files is parsed (in worker threads
 * when there are several), one bad file never stops the others, and the results go to JSONL (valid
 * records, ready for `bangban batch`), CSV and XLSX (every form read, with Chinese headers from the
 * schema titles, a status and its problems).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { excel } from '../core/excel.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { builtWorker, workerPool } from '../core/workers.js';
import { UserError, formatIssue } from '../core/errors.js';
import { getKind } from '../kinds/index.js';
import { NUMBER_HEADER } from '../batch/columns.js';
import { listCsvPath, recordSheets } from '../batch/template.js';
import type { Kind } from '../core/kind.js';
import { parseOutcome, type Outcome } from './worker.js';
import type { PageRange } from './index.js';
import { chineseReason } from './pdf.js';
import { FIXED_DATE } from '../core/dates.js';

/** Longest time one file may take in a worker before the worker is stopped. */
const TASK_TIMEOUT_MS = 120_000;

export interface IngestOptions {
  kind?: string;
  /** Worker threads; 1 parses in this thread. Default: the machine's parallelism. */
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
  /** Where files are read: default this machine's worker threads; src/queue sends them to a queue. */
  executor?: (files: string[], kind?: string) => Promise<ParseExecutor>;
}

/** Reads files: the local worker-thread pool, or a queue that workers on other machines serve. */
export interface ParseExecutor {
  /** Never rejects: a file that cannot be read is an outcome. */
  run(task: { file: string; kind?: string }, index: number): Promise<Outcome[]>;
  close(): Promise<void>;
}

export interface IngestSummary {
  /** Files read. */
  read: number;
  /** Forms found in them (a file may hold several). */
  forms: number;
  valid: number;
  invalid: number;
  unreadable: number;
}

export interface IngestResult {
  outcomes: Outcome[];
  summary: IngestSummary;
}

/** Every PDF under the given folders (recursively, sorted) and every file named directly. */
export function collectPdfs(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      let s;
      try {
        s = statSync(p);
      } catch {
        continue;
      }
      if (s.isDirectory()) walk(p);
      else if (/\.(pdf|png|jpe?g|tiff?|webp)$/i.test(name)) out.push(p); // images: scans, read by OCR
    }
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw new UserError(`找不到 ${input}`);
    if (statSync(input).isDirectory()) walk(input);
    else out.push(input);
  }
  return out;
}


export async function ingestFiles(files: string[], opts: IngestOptions = {}): Promise<IngestResult> {
  if (opts.kind) getKind(opts.kind);
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), files.length || 1));
  const perFile: Outcome[][] = new Array(files.length);
  let done = 0;
  const finish = (i: number, o: Outcome[]) => {
    perFile[i] = o;
    opts.onProgress?.(++done, files.length);
  };
  const worker = jobs > 1 && files.length >= 4 ? builtWorker('parse') : undefined;
  const executor = opts.executor ? await opts.executor(files, opts.kind) : worker ? localExecutor(worker, jobs) : undefined;
  if (executor) {
    try {
      await Promise.all(files.map((file, i) => executor.run({ file, kind: opts.kind }, i).then((o) => finish(i, o))));
    } finally {
      await executor.close();
    }
  } else {
    for (let i = 0; i < files.length; i++) finish(i, await parseOutcome({ file: files[i], kind: opts.kind }));
  }
  const outcomes = perFile.flat();
  const summary: IngestSummary = { read: files.length, forms: outcomes.filter((o) => o.ok).length, valid: 0, invalid: 0, unreadable: 0 };
  for (const o of outcomes) {
    if (!o.ok) summary.unreadable++;
    else if (o.result.valid) summary.valid++;
    else summary.invalid++;
  }
  return { outcomes, summary };
}

/** A form's file as shown to staff: with its pages when the file holds several forms. */
export function formPlace(file: string | undefined, range?: PageRange): string {
  return range ? `${file ?? ''}（第 ${range[0]}–${range[1]} 页）` : (file ?? '');
}

/** This machine's worker threads. */
function localExecutor(worker: string, jobs: number): ParseExecutor {
  const pool = workerPool(worker, { minThreads: jobs, maxThreads: jobs, idleTimeout: 2000 });
  return {
    run: ({ file, kind }) =>
      // a hard bound per file: a task past it is aborted and its worker replaced
      pool.run({ file, kind }, { signal: AbortSignal.timeout(TASK_TIMEOUT_MS) }).then(
        (o: Outcome[]) => o,
        (e: unknown): Outcome[] => [
          (e as Error)?.name === 'AbortError' || (e as Error)?.name === 'TimeoutError' ? { ok: false, file, code: 'timeout', error: `读取超时（超过 ${TASK_TIMEOUT_MS / 1000} 秒）` } : { ok: false, file, code: 'unreadable', error: `无法读取（${chineseReason(String((e as Error)?.message ?? e))}）` },
        ],
      ),
    close: () => pool.destroy(),
  };
}

/** One line per problem file: what is wrong with it. */
export function problemReport(r: IngestResult): string[] {
  const lines: string[] = [];
  for (const o of r.outcomes) {
    if (!o.ok) lines.push(`${formPlace(o.file, o.pageRange)}：无法读取 — ${o.error}`);
    else if (!o.result.valid) lines.push(`${formPlace(o.result.file, o.result.pageRange)}：无效 — ${o.result.errors.map(formatIssue).join('；')}`);
    // fields to check against the page (read with doubt, or corrected) that no error names already
    if (!o.ok) continue;
    const named = new Set(o.result.errors.map((e) => e.path));
    const review = (o.result.needsReview ?? []).filter((p) => !named.has(p));
    const why = (p: string) => (o.result.fields[p]?.reason ? `（${o.result.fields[p].reason}）` : '');
    if (review.length) lines.push(`${formPlace(o.result.file, o.result.pageRange)}：需人工核对 — ${review.map((p) => getKind(o.result.kind).label(p) + why(p)).join('、')}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------

const FILE = '文件';
const STATUS = '状态';
const PROBLEMS = '问题';

/** Results grouped by kind (files that could not be read have no kind). */
function byKind(r: IngestResult): Map<string, Outcome[]> {
  const m = new Map<string, Outcome[]>();
  for (const o of r.outcomes) {
    if (!o.ok) continue;
    const list = m.get(o.result.kind) ?? [];
    list.push(o);
    m.set(o.result.kind, list);
  }
  return m;
}

interface Table {
  name: string;
  header: string[];
  body: unknown[][];
}

/**
 * A kind's results laid out as batch input (records sheet plus one sheet per list, keyed by 序号),
 * so that every item of a list is kept and the file can go back into `bangban batch`; the records
 * sheet also names each file, its status and its problems.
 */
function tables(kind: Kind, outcomes: Outcome[]): Table[] {
  const results = outcomes.map((o) => (o as Extract<Outcome, { ok: true }>).result);
  return recordSheets(
    kind,
    results.map((r) => r.record),
  ).map((sheet, k) => {
    const header = [NUMBER_HEADER, ...sheet.columns.map((c) => c.header)];
    if (k > 0) return { name: sheet.name, header, body: sheet.rows };
    const body = sheet.rows.map((row, i) => [row[0], formPlace(results[i].file, results[i].pageRange), results[i].valid ? '有效' : '无效', ...row.slice(1), results[i].errors.map(formatIssue).join('；')]);
    return { name: sheet.name, header: [NUMBER_HEADER, FILE, STATUS, ...header.slice(1), PROBLEMS], body };
  });
}

/** records.jsonl → records.<kind>.jsonl when the forms are of several kinds. */
function perKind(path: string, kind: string, several: boolean): string {
  if (!several) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${kind}${ext}`);
}

export interface WriteOptions {
  jsonl?: string;
  csv?: string;
  xlsx?: string;
  /** Also write invalid records to the JSONL (as read, bad values kept). */
  includeInvalid?: boolean;
}

/** Write the requested outputs atomically; returns the files written. */
export async function writeOutputs(r: IngestResult, o: WriteOptions): Promise<string[]> {
  const groups = byKind(r);
  const several = groups.size > 1;
  const written: string[] = [];
  if (o.jsonl) {
    if (!groups.size) {
      writeFileAtomicSync(o.jsonl, '');
      written.push(o.jsonl);
    }
    for (const [name, list] of groups) {
      const file = perKind(o.jsonl, name, several);
      const text = list
        .map((x) => (x as Extract<Outcome, { ok: true }>).result)
        .filter((x) => x.valid || o.includeInvalid)
        .map((x) => JSON.stringify(x.record) + '\n')
        .join('');
      writeFileAtomicSync(file, text);
      written.push(file);
    }
  }
  if (o.csv) {
    if (!groups.size) {
      writeFileAtomicSync(o.csv, '\uFEFF' + stringify([[FILE, STATUS, PROBLEMS]]));
      written.push(o.csv);
    }
    for (const [name, list] of groups) {
      const file = perKind(o.csv, name, several);
      tables(getKind(name), list).forEach((t, k) => {
        const path = k ? listCsvPath(file, t.name) : file;
        // BOM: spreadsheet programs open UTF-8 CSV with Chinese correctly only with it
        writeFileAtomicSync(path, '\uFEFF' + stringify([t.header, ...t.body]));
        written.push(path);
      });
    }
  }
  if (o.xlsx) {
    const ExcelJS = await excel();
    const wb = new ExcelJS.Workbook();
    wb.creator = 'bangban';
    wb.created = FIXED_DATE;
    for (const [name, list] of groups) {
      for (const t of tables(getKind(name), list)) {
        const ws = wb.addWorksheet(t.name);
        ws.addRow(t.header).font = { bold: true };
        for (const row of t.body) ws.addRow(row);
        ws.columns.forEach((c, i) => (c.width = Math.min(60, Math.max(8, ...[t.header[i], ...t.body.map((b) => b[i])].map((v) => [...String(v ?? '')].length * 1.6)))));
        ws.views = [{ state: 'frozen', ySplit: 1 }];
      }
    }
    const failed = r.outcomes.filter((x) => !x.ok) as Extract<Outcome, { ok: false }>[];
    if (failed.length || !groups.size) {
      const ws = wb.addWorksheet('无法读取');
      ws.addRow([FILE, '原因']).font = { bold: true };
      for (const f of failed) ws.addRow([formPlace(f.file, f.pageRange), f.error]);
    }
    writeFileAtomicSync(o.xlsx, new Uint8Array(await wb.xlsx.writeBuffer()));
    written.push(o.xlsx);
  }
  return written;
}
