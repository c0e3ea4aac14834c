import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { getKind } from '../kinds/index.js';
import { UserError, type Issue } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { formats as registry } from '../render.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { openSource } from './sources.js';
import { compileNamePattern, insideFolder, UniqueNames } from './naming.js';
import { MANIFEST_CSV, MANIFEST_JSON, readPreviousManifest, writeManifest, type Manifest, type ManifestRow, type OutputFile, type RowStatus } from './manifest.js';
import { mergePdfs } from './merge.js';
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
  /** Worker threads (default: one per core). */
  jobs?: number;
  /** Render every row even when its output is current. */
  force?: boolean;
  progress?: Progress;
  /** Aborting stops feeding new rows; rows in flight finish and the manifest is written. */
  signal?: AbortSignal;
}

export interface BatchResult {
  manifest: Manifest;
  interrupted: boolean;
  merged?: string;
  /** Notes on the input (unknown columns …). */
  notes: string[];
  folder: string;
}

/** The requested formats, checked against the registry (DOCX appears once its renderer is registered). */
export function requestedFormats(format = 'pdf'): string[] {
  const names = format === 'both' ? ['pdf', 'docx'] : format.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!registry[n]) throw new UserError(`不支持的输出格式“${n}”，可用：${Object.keys(registry).join('、')}${registry.docx ? '、both' : ''}`);
  }
  return [...new Set(names)];
}

/** The compiled worker; from src/ (tests) the built one in dist/ is used. */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? join(packageRoot, 'dist', 'batch', 'worker.js') : fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!existsSync(file)) throw new Error(`找不到 ${file}：请先运行 npm run build`);
  return file;
}

const hash = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

/** Everything besides the record that shapes an output file. */
function optionsHash(kindName: string, formats: string[], fontsPath: string | undefined): string {
  const kind = getKind(kindName);
  const fonts = loadFontConfig(fontsPath);
  const fontFiles = Object.values(fonts).map((f) => {
    const st = statSync(f.file);
    return [f.file, f.name, st.size, st.mtimeMs];
  });
  return hash(JSON.stringify({ tool: packageVersion(), kind: kindName, schema: kind.schema.schema, formats, fontFiles }));
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
  const jobs = Math.max(1, o.jobs ?? availableParallelism());
  const progress = o.progress ?? silentProgress;
  const optHash = optionsHash(kind.name, formats, o.fonts);
  const previous = o.force ? new Map<number, ManifestRow>() : readPreviousManifest(folder);
  const reserved = ['manifest', basename(MERGED_FILE, '.pdf')];
  const names = new UniqueNames(reserved);
  const rows: ManifestRow[] = [];
  let done = 0;

  const pool = new Piscina({ filename: workerFile(), minThreads: jobs, maxThreads: jobs, idleTimeout: 5_000 });
  const inflight = new Set<Promise<void>>();
  const limit = jobs * 4;
  progress.start(source.total);
  const finish = (r: ManifestRow) => {
    rows[r.number - 1] = r;
    done++;
    progress.update(done);
  };
  let interrupted = false;
  try {
    for await (const input of source.rows()) {
      if (o.signal?.aborted) {
        interrupted = true;
        break;
      }
      const base = names.take(namer.name(input.record, input.number));
      if (input.errors) {
        finish({ number: input.number, row: input.row, status: 'invalid', files: [], errors: input.errors, warnings: [] });
        continue;
      }
      const inputHash = hash(`${optHash}\n${base}\n${JSON.stringify(input.record)}`);
      const prev = previous.get(input.number);
      if (prev && prev.inputHash === inputHash && (prev.status === 'ok' || prev.status === 'unchanged') && intact(folder, prev.files)) {
        finish({ ...prev, row: input.row, status: 'unchanged' });
        continue;
      }
      const task: RenderTask = { kind: kind.name, record: input.record, formats, fonts: o.fonts ? resolve(o.fonts) : undefined, folder, base };
      const p = (pool.run(task) as Promise<RenderResult>)
        .then(
          (r) =>
            r.status === 'ok'
              ? { number: input.number, row: input.row, status: r.status, files: r.files, errors: [], warnings: r.warnings, inputHash }
              : { number: input.number, row: input.row, status: r.status, files: [], errors: r.errors, warnings: r.warnings },
          (e: Error) => ({ number: input.number, row: input.row, status: 'failed' as RowStatus, files: [], errors: [{ path: '', label: kind.title, message: e.message }], warnings: [] }),
        )
        .then((r: ManifestRow) => {
          finish(r);
          inflight.delete(p);
        });
      inflight.add(p);
      if (inflight.size >= limit) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  } finally {
    await Promise.allSettled(inflight);
    progress.stop();
    await pool.destroy();
  }
  if (o.signal?.aborted) interrupted = true;

  const finished = rows.filter(Boolean);
  if (interrupted) {
    // keep what earlier runs finished for rows this run did not reach, so the next run can skip them
    const reached = new Set(finished.map((r) => r.number));
    for (const [n, r] of previous) if (!reached.has(n) && (r.status === 'ok' || r.status === 'unchanged')) finished.push(r);
    finished.sort((a, b) => a.number - b.number);
  } else {
    removeStale(folder, previous, finished);
  }

  const summary: Record<RowStatus, number> = { ok: 0, unchanged: 0, invalid: 0, failed: 0 };
  for (const r of finished) summary[r.status]++;
  const manifest: Manifest = {
    tool: `bangban ${packageVersion()}`,
    kind: kind.name,
    input: basename(o.input),
    formats,
    namePattern: namer.pattern,
    optionsHash: optHash,
    complete: !interrupted,
    summary,
    rows: finished,
  };
  let merged: string | undefined;
  if (o.merge && !interrupted) {
    const pdfs = finished.flatMap((r) => r.files.filter((f) => f.format === 'pdf').map((f) => insideFolder(folder, f.file)));
    merged = join(folder, MERGED_FILE);
    const m = await mergePdfs(pdfs, merged, kind.title, o.duplex);
    manifest.merged = { format: 'pdf', file: MERGED_FILE, sha256: hash(m.bytes), bytes: m.bytes.byteLength };
  }
  writeManifest(folder, manifest);
  return { manifest, interrupted, merged, notes: source.notes, folder };
}

/** Files an earlier run wrote that this run no longer produces (a row became invalid or renamed). */
function removeStale(folder: string, previous: Map<number, ManifestRow>, current: ManifestRow[]): void {
  const keep = new Set(current.flatMap((r) => r.files.map((f) => f.file.normalize('NFC').toLowerCase())));
  for (const r of previous.values()) {
    for (const f of r.files) {
      if (keep.has(f.file.normalize('NFC').toLowerCase())) continue;
      try {
        const path = insideFolder(folder, f.file);
        if (lstatSync(path).isFile() && hash(readFileSync(path)) === f.sha256) unlinkSync(path);
      } catch {
        // gone already, or not ours to remove
      }
    }
  }
}

/** One line per problem row: 第 3 条（第 4 行）：申请单位名称 (/applicant/name): 必填. */
export function problemLines(rows: ManifestRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.status !== 'invalid' && r.status !== 'failed') continue;
    for (const e of r.errors) out.push(`第 ${r.number} 条（输入第 ${r.row} 行）：${issueLine(e)}`);
  }
  return out;
}

const issueLine = (e: Issue) => (e.path ? `${e.label} (${e.path}): ${e.message}` : `${e.label}: ${e.message}`);

export { MANIFEST_CSV, MANIFEST_JSON };
