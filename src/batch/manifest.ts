import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomicSync } from '../core/atomic.js';
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
  /** PDF page count (for merging and checks). */
  pages?: number;
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

export interface Manifest {
  tool: string;
  kind: string;
  input: string;
  formats: string[];
  namePattern: string;
  optionsHash: string;
  complete: boolean;
  summary: Record<RowStatus, number>;
  merged?: OutputFile;
  rows: ManifestRow[];
}

/** The previous run's rows by number, when its manifest is readable. */
export function readPreviousManifest(folder: string): Map<number, ManifestRow> {
  try {
    const m = JSON.parse(readFileSync(join(folder, MANIFEST_JSON), 'utf8')) as Manifest;
    return new Map((m.rows ?? []).map((r) => [r.number, r]));
  } catch {
    return new Map();
  }
}

const issueText = (issues: Issue[]) => issues.map(formatIssue).join('；');

/** Both manifests, each written whole or not at all. The CSV has a BOM so Excel reads it as UTF-8. */
export function writeManifest(folder: string, m: Manifest): void {
  writeFileAtomicSync(join(folder, MANIFEST_JSON), JSON.stringify(m, null, 1) + '\n');
  const rows = m.rows.map((r) => [
    r.number,
    r.row,
    r.status,
    r.files.map((f) => f.file).join(';'),
    r.files.map((f) => f.sha256).join(';'),
    issueText(r.errors),
    issueText(r.warnings),
  ]);
  const csv = stringify([['number', 'row', 'status', 'files', 'sha256', 'errors', 'warnings'], ...rows]);
  writeFileAtomicSync(join(folder, MANIFEST_CSV), '\uFEFF' + csv);
}
