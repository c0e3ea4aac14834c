import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Issue } from '../core/errors.js';
import { formatIssue } from '../core/errors.js';

export const MANIFEST_JSON = 'manifest.json';
export const MANIFEST_CSV = 'manifest.csv';
/** Rows a killed run finished (its .partial manifest, kept by the next run until it completes). */
export const MANIFEST_INTERRUPTED = 'manifest.json.interrupted';
const PARTIAL = '.partial';

/** ok: rendered now; unchanged: identical output already there; invalid: the record broke a rule; failed: rendering failed. */
export type RowStatus = 'ok' | 'unchanged' | 'invalid' | 'failed';

export interface OutputFile {
  format: string;
  /** File name inside the output folder. */
  file: string;
  sha256: string;
  bytes: number;
}

export interface ManifestRow {
  number: number;
  /** Row or line in the input file. */
  row: number;
  /** The row's 序号, where the input has that column. */
  serial?: string;
  status: RowStatus;
  files: OutputFile[];
  errors: Issue[];
  warnings: Issue[];
  /** Hash of the record and every option that shapes the output: a match means the output is current. */
  inputHash?: string;
}

export interface ManifestHead {
  tool: string;
  kind: string;
  input: string;
  formats: string[];
  namePattern: string;
  optionsHash: string;
}

export interface ManifestTail {
  complete: boolean;
  summary: Record<RowStatus, number>;
  merged?: OutputFile;
}

export type Manifest = ManifestHead & ManifestTail & { rows: ManifestRow[] };

const issueText = (issues: Issue[]) => issues.map(formatIssue).join('；');
const CSV_HEADER = ['number', 'row', 'status', 'files', 'sha256', 'errors', 'warnings'];

/**
 * Writes manifest.json and manifest.csv as rows finish, in input order (rows finishing early wait in
 * a small buffer), so a batch of any size needs no more memory than the rows in flight. Both go to
 * `.partial` files that replace the previous manifest only at the end: an interrupted or killed run
 * leaves the previous manifest as it was.
 *
 * manifest.json holds one row per line, so that the next run can read it back as a stream.
 */
export class ManifestWriter {
  private json: number;
  private csv: number;
  private next = 1;
  private waiting = new Map<number, ManifestRow>();
  private first = true;
  readonly summary: Record<RowStatus, number> = { ok: 0, unchanged: 0, invalid: 0, failed: 0 };

  constructor(
    private folder: string,
    head: ManifestHead,
  ) {
    this.json = openSync(this.partial(MANIFEST_JSON), 'w');
    this.csv = openSync(this.partial(MANIFEST_CSV), 'w');
    writeSync(this.json, JSON.stringify(head).slice(0, -1) + ',"rows":[\n');
    writeSync(this.csv, '\uFEFF' + stringify([CSV_HEADER]));
  }

  private partial(name: string): string {
    return join(this.folder, name + PARTIAL);
  }

  /** Add a finished row (any order); rows are written once every earlier number has arrived. */
  add(row: ManifestRow): void {
    this.waiting.set(row.number, row);
    for (let r = this.waiting.get(this.next); r; r = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.write(r);
      this.next++;
    }
  }

  /** Write a row whose number may skip ahead (rows carried over from a previous run). */
  carry(row: ManifestRow): void {
    if (row.number < this.next) return;
    this.next = row.number;
    this.add(row);
  }

  /** The first number not yet written. */
  get written(): number {
    return this.next - 1;
  }

  private write(r: ManifestRow): void {
    this.summary[r.status]++;
    writeSync(this.json, (this.first ? '' : ',') + JSON.stringify(r) + '\n');
    this.first = false;
    writeSync(
      this.csv,
      stringify([[r.number, r.row, r.status, r.files.map((f) => f.file).join(';'), r.files.map((f) => f.sha256).join(';'), issueText(r.errors), issueText(r.warnings)]]),
    );
  }

  /** Finish both files and put them in place. */
  close(tail: ManifestTail): void {
    // rows stuck behind a gap (cannot happen once every dispatched row finished) are written anyway
    for (const n of [...this.waiting.keys()].sort((a, b) => a - b)) this.write(this.waiting.get(n)!);
    this.waiting.clear();
    writeSync(this.json, '],' + JSON.stringify(tail).slice(1) + '\n');
    for (const fd of [this.json, this.csv]) {
      fsyncSync(fd);
      closeSync(fd);
    }
    renameSync(this.partial(MANIFEST_JSON), join(this.folder, MANIFEST_JSON));
    renameSync(this.partial(MANIFEST_CSV), join(this.folder, MANIFEST_CSV));
    rmSync(join(this.folder, MANIFEST_INTERRUPTED), { force: true });
  }

  /** Give up: remove the partial files, keep the previous manifest. */
  abandon(): void {
    for (const fd of [this.json, this.csv]) closeSync(fd);
    rmSync(this.partial(MANIFEST_JSON), { force: true });
    rmSync(this.partial(MANIFEST_CSV), { force: true });
  }
}

/** The rows of one manifest file (final, partial or interrupted), streamed in order. */
async function* rowsOf(file: string): AsyncGenerator<ManifestRow> {
  if (!existsSync(file)) return;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      if (!line.startsWith('{"number":') && !line.startsWith(',{"number":')) continue;
      try {
        yield JSON.parse(line.replace(/^,/, '')) as ManifestRow;
      } catch {
        // a damaged line (the last one of a killed run): that row is simply rendered again
      }
    }
  } finally {
    rl.close();
    stream.destroy();
  }
}

/** Two streams of rows in increasing number merged into one; `first`'s row wins a tie. */
async function* byNumber(first: AsyncGenerator<ManifestRow>, second: AsyncGenerator<ManifestRow>): AsyncGenerator<ManifestRow> {
  let a = await first.next();
  let b = await second.next();
  try {
    while (!a.done || !b.done) {
      if (b.done || (!a.done && a.value.number <= b.value.number)) {
        if (!b.done && !a.done && a.value.number === b.value.number) b = await second.next();
        yield a.value as ManifestRow;
        a = await first.next();
      } else {
        yield b.value;
        b = await second.next();
      }
    }
  } finally {
    await first.return(undefined);
    await second.return(undefined);
  }
}

/**
 * The rows the folder's earlier runs finished, streamed in order: a killed run's rows (see
 * recoverInterrupted) over the last complete manifest's. Nothing when there is neither.
 */
export function manifestRows(folder: string): AsyncGenerator<ManifestRow> {
  return byNumber(rowsOf(join(folder, MANIFEST_INTERRUPTED)), rowsOf(join(folder, MANIFEST_JSON)));
}

/** The first line of a manifest file: what batch wrote it. */
function headOf(file: string): ManifestHead | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const line = buf.subarray(0, n).toString('utf8').split('\n')[0];
    return JSON.parse(line.replace(/,"rows":\[$/, '}')) as ManifestHead;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The batch whose files are in the folder (newest manifest first), if any. */
export function previousHead(folder: string): ManifestHead | undefined {
  for (const f of [MANIFEST_JSON + PARTIAL, MANIFEST_INTERRUPTED, MANIFEST_JSON]) {
    const head = headOf(join(folder, f));
    if (head) return head;
  }
  return undefined;
}

/**
 * A run killed before it wrote its manifest left manifest.json.partial: its rows (with any an
 * earlier killed run left) become manifest.json.interrupted, which the next runs read until one
 * completes. Call with the folder locked, before a ManifestWriter opens its partial files.
 */
export async function recoverInterrupted(folder: string): Promise<void> {
  const partial = join(folder, MANIFEST_JSON + PARTIAL);
  if (!existsSync(partial)) return;
  const target = join(folder, MANIFEST_INTERRUPTED);
  const tmp = target + PARTIAL;
  const head = headOf(partial);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(head ?? {}).slice(0, -1) + (head ? ',' : '') + '"rows":[\n');
    let first = true;
    for await (const r of byNumber(rowsOf(partial), rowsOf(target))) {
      writeSync(fd, (first ? '' : ',') + JSON.stringify(r) + '\n');
      first = false;
    }
    writeSync(fd, ']}\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  rmSync(partial, { force: true });
  rmSync(join(folder, MANIFEST_CSV + PARTIAL), { force: true });
}

/** Remove every manifest of the folder (--clean). */
export function removeManifests(folder: string): void {
  for (const f of [MANIFEST_JSON, MANIFEST_CSV, MANIFEST_INTERRUPTED, MANIFEST_JSON + PARTIAL, MANIFEST_CSV + PARTIAL]) rmSync(join(folder, f), { force: true });
}

/** Reads a previous manifest alongside the input: rows are asked for in increasing number. */
export class PreviousRows {
  private it: AsyncIterator<ManifestRow>;
  private current: ManifestRow | undefined;
  private done = false;
  constructor(folder: string | undefined) {
    this.it = folder ? manifestRows(folder) : (async function* () {})();
  }
  /** The previous row with this number, if any. */
  async get(number: number): Promise<ManifestRow | undefined> {
    while (!this.done && (!this.current || this.current.number < number)) {
      const n = await this.it.next();
      if (n.done) this.done = true;
      else this.current = n.value;
    }
    return this.current?.number === number ? this.current : undefined;
  }
  /** Every remaining row after `number`. */
  async *after(number: number): AsyncGenerator<ManifestRow> {
    if (this.current && this.current.number > number) yield this.current;
    while (!this.done) {
      const n = await this.it.next();
      if (n.done) this.done = true;
      else if (n.value.number > number) yield n.value;
    }
  }
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** The whole manifest (for tests and small batches). */
export function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(folder, MANIFEST_JSON), 'utf8')) as Manifest;
}
