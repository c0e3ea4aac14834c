import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Issue } from '../core/errors.js';
import { formatIssue } from '../core/errors.js';

export const MANIFEST_JSON = 'manifest.json';
export const MANIFEST_CSV = 'manifest.csv';

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
    return join(this.folder, name + '.partial');
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
  }

  /** Give up: remove the partial files, keep the previous manifest. */
  abandon(): void {
    for (const fd of [this.json, this.csv]) closeSync(fd);
    rmSync(this.partial(MANIFEST_JSON), { force: true });
    rmSync(this.partial(MANIFEST_CSV), { force: true });
  }
}

/** The rows of a manifest written by ManifestWriter, streamed in order; nothing when there is none. */
export async function* manifestRows(folder: string): AsyncGenerator<ManifestRow> {
  const file = join(folder, MANIFEST_JSON);
  if (!existsSync(file)) return;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      if (!line.startsWith('{"number":') && !line.startsWith(',{"number":')) continue;
      try {
        yield JSON.parse(line.replace(/^,/, '')) as ManifestRow;
      } catch {
        // a damaged line: that row is simply rendered again
      }
    }
  } finally {
    rl.close();
    stream.destroy();
  }
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
