/** `bangban ingest --queue`: each file goes to the queue (its bytes too: workers share no disk with us). */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { Outcome } from '../parse/worker.js';
import type { ParseExecutor } from '../parse/ingest.js';
import { Submitter } from './submit.js';
import type { Codec, ParseJob } from './jobs.js';
import type { QueueRunOptions } from './batch.js';

/** Stands for the file's path in a worker's outcome: the worker reads a copy, the submitter puts the real path back. */
export const FILE_TOKEN = '\u0000file\u0000';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function parseCodec(file: string): Codec<Outcome[]> {
  return {
    decode: (meta) => JSON.parse(JSON.stringify(meta).split(JSON.stringify(FILE_TOKEN).slice(1, -1)).join(JSON.stringify(file).slice(1, -1))) as Outcome[],
    failure: (error) => [{ ok: false, file, code: 'unreadable', error }],
  };
}

export function queueParseExecutor(q: QueueRunOptions): (files: string[], kind?: string) => Promise<ParseExecutor> {
  return async (files, kind) => {
    const batchId = sha256(`${hostname()}\n${kind ?? ''}\n${files.join('\n')}`).slice(0, 16);
    // scans can be large: fewer in Redis at a time than rows of a batch
    const sub = await Submitter.open({ window: 64, ...q, batchId });
    return {
      run({ file }, i) {
        const st = statSync(file);
        const jobId = `${batchId}-${i}-${sha256(`${st.size} ${st.mtimeMs}`).slice(0, 8)}`;
        // one file a job: reading a scan takes seconds, so files spread over workers one by one
        const data: ParseJob = { batchId, kind, names: [basename(file)] };
        return sub.submit({ id: jobId, name: 'parse', data, upload: () => sub.uploadInput(jobId, [readFileSync(file)]) }, parseCodec(file)).then(([o]) => o);
      },
      close: () => sub.close(),
    };
  };
}
