import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { getKind } from '../kinds/index.js';
import { UserError, formatIssue, type Issue } from '../core/errors.js';
import { packageRoot, templatesDir } from '../core/paths.js';
import { builtWorker, workerPool } from '../core/workers.js';
import { formats as registry } from '../render.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { sharedFontFiles } from '../pdf/fontCache.js';
import { openSource, type Source } from './sources.js';
import type { Kind } from '../core/kind.js';
import { lockFolder } from './lock.js';
import { earlierBatch, fileKey, removeRecorded } from './folder.js';
import { compileNamePattern, insideFolder, UniqueNames } from './naming.js';
import { MANIFEST_CSV, MANIFEST_JSON, ManifestWriter, PreviousRows, type ManifestRow, type OutputFile, type RowStatus } from './manifest.js';
import { mergePdfs } from './merge.js';
import { tickHeap } from './heap.js';
import { silentProgress, type Progress } from './progress.js';
import type { RenderResult, RenderTask } from './worker.js';

export const MERGED_FILE = 'merged.pdf';

export interface BatchOptions {
  kind: string;
  input: string;
  /** List files (CSV/XLSX) for list fields, keyed by 序号. */
  items?: string[];
  output: string;
  /** File name pattern, e.g. `{docNumber}-{applicant.name}`. */
  name?: string;
  /** pdf, docx, both, or any registered format names joined with commas. */
  format?: string;
  merge?: boolean;
  /** With merge: a blank page after each document with an odd page count. */
  duplex?: boolean;
  fonts?: string;
  /** A user's own wording template (.hbs) for kinds whose wording comes from one. */
  wording?: string;
  /** A user's own Word template (.docx) for DOCX output. */
  template?: string;
  /** Worker threads (default: one per core). */
  jobs?: number;
  /**
   * Render every row even when its output is current; into a folder holding another batch, keep
   * that batch's files and write this one beside them.
   */
  force?: boolean;
  /** First remove the files the folder's earlier batch recorded (and its manifest). */
  clean?: boolean;
  progress?: Progress;
  /** Aborting stops feeding new rows; rows in flight finish and the manifest is written. */
  signal?: AbortSignal;
  /** Another worker module (benchmarks of the pipeline alone); default: the renderer, worker.js. */
  workerFile?: string;
  /** Where rows are rendered: default the local worker-thread pool; src/queue sends them to a queue. */
  executor?: ExecutorFactory;
}

/** Renders a batch's rows: the local worker-thread pool, or a queue that workers on other machines serve. */
export interface RenderExecutor {
  run(task: RenderTask, row: { number: number; inputHash: string }): Promise<RenderResult>;
  /** Rows to keep in flight (default: 4 per thread). */
  readonly capacity?: number;
  close(): Promise<void>;
}

export type ExecutorFactory = (batch: { folder: string; optionsHash: string; fonts?: string; wording?: string; template?: string }) => Promise<RenderExecutor>;

export interface BatchResult {
  /** Rows by status. */
  summary: Record<RowStatus, number>;
  complete: boolean;
  interrupted: boolean;
  merged?: string;
  /** Problem lines (row number, field label, reason), the first MAX_PROBLEMS of them. */
  problems: string[];
  /** How many problem lines there were in all. */
  problemCount: number;
  /** Notes on the input (unknown columns …). */
  notes: string[];
  folder: string;
  total: number;
}

export const MAX_PROBLEMS = 1000;

/**
 * Heap limits per worker: V8 otherwise lets each worker's heap grow far past what it uses. The young
 * generation is where a render's short-lived objects die: 16 MB costs ~5 % more CPU per notice than
 * 48 MB (collected more often) but ~35 MB less resident memory per worker, which a 100,000-row
 * spreadsheet needs to stay under 500 MB (docs/batch.md); at 8 MB it cost ~10 % more.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };

/** The requested formats, checked against the registry (DOCX appears once its renderer is registered). */
export function requestedFormats(format = 'pdf'): string[] {
  const names = format === 'both' ? ['pdf', 'docx'] : format.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!registry[n]) throw new UserError(`不支持的输出格式“${n}”，可用：${Object.keys(registry).join('、')}${registry.docx ? '、both' : ''}`);
  }
  return [...new Set(names)];
}

/** The compiled render worker. */
export function workerFile(): string {
  const file = builtWorker('batch');
  if (!file) throw new Error('找不到 dist/batch/worker.js：请先运行 npm run build');
  return file;
}

const hash = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

/** Everything besides the record that shapes an output file. */
function optionsHash(kindName: string, formats: string[], fontsPath: string | undefined, userFiles: (string | undefined)[]): string {
  const kind = getKind(kindName);
  const fonts = loadFontConfig(fontsPath);
  const fontFiles = Object.values(fonts).map((f) => {
    const st = statSync(f.file);
    return [f.file, f.name, st.size, st.mtimeMs];
  });
  const user = userFiles.map((f) => (f ? hash(readFileSync(f)) : ''));
  return hash(JSON.stringify({ tool: packageVersion(), program: programFingerprint(), kind: kindName, schema: kind.schema.schema, formats, fontFiles, user }));
}

/**
 * The compiled program and the document templates (an office may reword templates/*.hbs): when
 * either changes, earlier outputs are not current any more. Content, not dates, so a rebuild of the
 * same code keeps them.
 */
export function programFingerprint(): string {
  const h = createHash('sha256');
  const walk = (dir: string, filter: (f: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path, filter);
      else if (filter(e.name)) h.update(relative(packageRoot, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(join(packageRoot, 'dist'), (f) => f.endsWith('.js'));
  walk(templatesDir, () => true);
  return h.digest('hex');
}

/** Whether the files a previous run recorded are still there, whole and unchanged. */
function intact(folder: string, files: OutputFile[]): boolean {
  try {
    return files.every((f) => {
      const path = insideFolder(folder, f.file);
      const st = lstatSync(path);
      return st.isFile() && st.size === f.bytes && hash(readFileSync(path)) === f.sha256;
    });
  } catch {
    return false;
  }
}

/** Render every record of a spreadsheet or JSON file; see docs/batch.md. */
export async function runBatch(o: BatchOptions): Promise<BatchResult> {
  const kind = getKind(o.kind);
  const formats = requestedFormats(o.format);
  if (o.merge && !formats.includes('pdf')) throw new UserError('--merge 合并的是 PDF：请同时输出 pdf（--format pdf 或 both）');
  const folder = resolve(o.output);
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new UserError(`${o.output} 已存在且不是文件夹`);
  const namer = compileNamePattern(kind, o.name);
  const source = await openSource(kind, o.input, o.items);
  mkdirSync(folder, { recursive: true });
  const unlock = await lockFolder(folder, o.output);
  try {
    return await runLocked(o, kind, formats, folder, namer, source);
  } finally {
    await unlock();
  }
}

/** The batch proper, with its output folder locked. */
async function runLocked(o: BatchOptions, kind: Kind, formats: string[], folder: string, namer: ReturnType<typeof compileNamePattern>, source: Source): Promise<BatchResult> {
  const jobs = Math.max(1, o.jobs ?? availableParallelism());
  const progress = o.progress ?? silentProgress;
  const wording = o.wording ? resolve(o.wording) : undefined;
  const template = o.template ? resolve(o.template) : undefined;
  for (const f of [wording, template]) if (f && !existsSync(f)) throw new UserError(`找不到模板文件 ${f}`);
  if (wording) kind.withWording(wording); // refuses kinds whose wording is not a template
  const optHash = optionsHash(kind.name, formats, o.fonts, [wording, template]);
  const fontsFile = o.fonts ? resolve(o.fonts) : undefined;
  const executor = o.executor ? await o.executor({ folder, optionsHash: optHash, fonts: fontsFile, wording, template }) : localExecutor(o.workerFile ?? workerFile(), jobs, fontsFile);
  const names = new UniqueNames(['manifest', basename(MERGED_FILE, '.pdf')]);
  const earlier = await earlierBatch(folder, o.output, { kind: kind.name, input: basename(o.input) }, o);
  const previous = new PreviousRows(o.force || earlier === 'other' ? undefined : folder);
  const manifest = new ManifestWriter(folder, {
    tool: `bangban ${packageVersion()}`,
    kind: kind.name,
    input: basename(o.input),
    formats,
    namePattern: namer.pattern,
    optionsHash: optHash,
  });
  /** Files this run produced or kept: anything else an earlier run wrote is stale. */
  const produced = new Set<string>();
  const mergeList: string[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  let done = 0;

  const inflight = new Set<Promise<void>>();
  const limit = executor.capacity ?? jobs * 4;
  const pending = new Map<number, ManifestRow>();
  let nextMerge = 1;
  const finish = (r: ManifestRow) => {
    manifest.add(r);
    for (const f of r.files) produced.add(fileKey(f.file));
    for (const line of problemLines([r])) {
      problemCount++;
      if (problems.length < MAX_PROBLEMS) problems.push(line);
    }
    if (o.merge) {
      // merge order is input order: hold early finishers until the rows before them are in
      pending.set(r.number, r);
      for (let p = pending.get(nextMerge); p; p = pending.get(nextMerge)) {
        pending.delete(nextMerge++);
        for (const f of p.files) if (f.format === 'pdf') mergeList.push(f.file);
      }
    }
    done++;
    progress.update(done);
  };
  let interrupted = false;
  let lastNumber = 0;
  let writeFailure: unknown;
  progress.start(source.total);
  try {
    for await (const input of source.rows()) {
      if (o.signal?.aborted) break;
      tickHeap();
      lastNumber = input.number;
      const base = names.take(namer.name(input.record, input.number));
      const where = input.serial !== undefined ? { serial: input.serial } : {};
      if (input.errors) {
        finish({ number: input.number, row: input.row, ...where, status: 'invalid', files: [], errors: input.errors, warnings: [] });
        continue;
      }
      const inputHash = hash(`${optHash}\n${base}\n${JSON.stringify(input.record)}`);
      const prev = await previous.get(input.number);
      if (prev && prev.inputHash === inputHash && (prev.status === 'ok' || prev.status === 'unchanged') && intact(folder, prev.files)) {
        finish({ ...prev, row: input.row, ...where, status: 'unchanged' });
        continue;
      }
      const task: RenderTask = { kind: kind.name, record: input.record, formats, fonts: fontsFile, wording, template, folder, base };
      const p = executor
        .run(task, { number: input.number, inputHash })
        .then(
          (r): ManifestRow =>
            r.status === 'ok'
              ? { number: input.number, row: input.row, ...where, status: r.status, files: r.files, errors: [], warnings: r.warnings, inputHash }
              : { number: input.number, row: input.row, ...where, status: r.status, files: [], errors: r.errors, warnings: r.warnings },
          (e: Error): ManifestRow => ({ number: input.number, row: input.row, ...where, status: 'failed', files: [], errors: [{ path: '', label: kind.title, message: e.message }], warnings: [] }),
        )
        .then((r) => {
          finish(r);
          inflight.delete(p);
        })
        // the manifest could not be written (disk full …): stop at the next row, not with an unhandled rejection
        .catch((e: unknown) => {
          writeFailure ??= e;
          inflight.delete(p);
        });
      inflight.add(p);
      if (inflight.size >= limit) await Promise.race(inflight);
      if (writeFailure) throw writeFailure;
    }
    await Promise.all(inflight);
    if (writeFailure) throw writeFailure;
    interrupted = !!o.signal?.aborted && lastNumber < source.total;
    if (interrupted) {
      // keep what earlier runs finished for rows this run did not reach, so the next run can skip them
      for await (const r of previous.after(lastNumber)) if (r.status === 'ok' || r.status === 'unchanged') manifest.carry(r);
    }
  } catch (e) {
    await Promise.allSettled(inflight);
    manifest.abandon();
    throw e;
  } finally {
    progress.stop();
    await previous.close();
    await executor.close();
  }

  if (!interrupted && earlier === 'same') await removeRecorded(folder, produced);
  let merged: string | undefined;
  let mergedFile: OutputFile | undefined;
  let mergeFailure: unknown;
  if (o.merge && !interrupted) {
    try {
      merged = join(folder, MERGED_FILE);
      const m = await mergePdfs(
        mergeList.map((f) => insideFolder(folder, f)),
        merged,
        kind.title,
        o.duplex,
      );
      mergedFile = { format: 'pdf', file: MERGED_FILE, sha256: hash(m.bytes), bytes: m.bytes.byteLength };
    } catch (e) {
      mergeFailure = e;
      merged = undefined;
    }
  }
  const summary = { ...manifest.summary };
  // the rows are done whatever became of the merged file: record them before reporting it
  manifest.close({ complete: !interrupted, summary, merged: mergedFile });
  if (mergeFailure) throw mergeFailure instanceof UserError ? mergeFailure : new UserError(`合并 PDF 失败：${(mergeFailure as Error).message}`);
  const notes = source.total ? source.notes : [...source.notes, `${basename(o.input)} 里没有数据行（空的或只有表头），没有生成任何文书`];
  return { summary, complete: !interrupted, interrupted, merged, problems, problemCount, notes, folder, total: source.total };
}

/** The worker-thread pool of this machine. */
function localExecutor(file: string, jobs: number, fontsFile: string | undefined): RenderExecutor {
  const fontFiles = sharedFontFiles(Object.values(loadFontConfig(fontsFile)).map((f) => f.file));
  const pool = workerPool(file, { minThreads: jobs, maxThreads: jobs, idleTimeout: 5_000, resourceLimits: WORKER_LIMITS }, { fontFiles });
  return { run: (task) => pool.run(task) as Promise<RenderResult>, close: () => pool.destroy() };
}

/** One line per problem row: 第 3 条（输入第 4 行）：申请单位名称 (/applicant/name): 必填; by its 序号 where the sheet has one. */
export function problemLines(rows: ManifestRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.status !== 'invalid' && r.status !== 'failed') continue;
    const which = r.serial !== undefined ? `序号 ${r.serial}` : `第 ${r.number} 条`;
    for (const e of r.errors) out.push(`${which}（输入第 ${r.row} 行）：${formatIssue(e)}`);
  }
  return out;
}

export { MANIFEST_CSV, MANIFEST_JSON };
