/**
 * What travels through the queue: job data (from the submitter) and what results are made of. A job
 * carries one or several rows (a batch groups rows, see group.ts): one BullMQ job, one lock, one
 * result hash and one notice for all of them, while each row keeps its own outcome.
 */
import type { RenderTask } from '../batch/worker.js';

/** A file the submitter uploads once (wording or Word template), named by its SHA-256. */
export interface BlobRef {
  sha256: string;
  name: string;
}

interface BatchJob {
  /** The submitter's batch: its notices go to this batch's list. */
  batchId: string;
}

/** Records of one kind, rendered in the same formats with the same templates. */
export interface RenderJob extends BatchJob, Pick<RenderTask, 'kind' | 'formats'> {
  records: unknown[];
  wording?: BlobRef;
  template?: BlobRef;
}

/** The files themselves wait in Redis under the job's id (keys.input), field `<row>` each. */
export interface ParseJob extends BatchJob {
  kind?: string;
  /** Each file's name (not its path): the worker reads a copy of that name. */
  names: string[];
}

/** How many rows a job carries. */
export const rowCount = (name: string, data: unknown): number => (name === 'parse' ? (data as ParseJob).names.length : (data as RenderJob).records.length);

/**
 * A result hash. Per row i: `m:<i>` (JSON: status, problems, each file's SHA-256), `f:<i>:<format>`
 * (a file's bytes), or `e:<i>` (why the row's last attempt failed); `n` (the number of rows) once
 * every row has its result, written with the last of them.
 */
export type ResultFields = Record<string, Buffer>;
export const field = {
  meta: (i: number) => `m:${i}`,
  file: (i: number, format: string) => `f:${i}:${format}`,
  error: (i: number) => `e:${i}`,
  complete: 'n',
};

/** One row's part of a result hash, as a codec reads it: `meta` and `f:<format>`. */
export function rowFields(fields: ResultFields, i: number): ResultFields {
  const out: ResultFields = {};
  const files = `f:${i}:`;
  for (const [key, value] of Object.entries(fields)) if (key.startsWith(files)) out[`f:${key.slice(files.length)}`] = value;
  return out;
}

/** Turns a row's result into the caller's value, or a row that failed for good into a failed row. */
export interface Codec<R> {
  decode(meta: unknown, fields: ResultFields): R;
  failure(reason: string): R;
}

/** A result that arrived damaged: the job is sent again. */
export class DamagedResult extends Error {}
