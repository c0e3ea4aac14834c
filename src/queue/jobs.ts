/** What travels through the queue: job data (from the submitter) and what results are made of. */
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

export interface RenderJob extends BatchJob, Pick<RenderTask, 'kind' | 'record' | 'formats'> {
  wording?: BlobRef;
  template?: BlobRef;
}

/** The file itself waits in Redis under the job's id (keys.input). */
export interface ParseJob extends BatchJob {
  kind?: string;
  /** The file's name (not its path): the worker reads a copy of that name. */
  name: string;
}

/** A result hash: `meta` (JSON) and, for rendered documents, `f:<format>` (the bytes). */
export type ResultFields = Record<string, Buffer>;

/** Turns a result into the caller's value, or a job that failed for good into a failed row. */
export interface Codec<R> {
  decode(meta: unknown, fields: ResultFields): R;
  failure(reason: string): R;
}

/** A result that arrived damaged: the job is sent again. */
export class DamagedResult extends Error {}
