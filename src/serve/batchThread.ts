/**
 * One batch, run by the library's runBatch in its own thread (which starts the render workers), so
 * reading a 10,000-row spreadsheet and writing the manifest never hold up the desk's requests.
 * Posts progress to the desk; an 'abort' message stops feeding rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBatch } from '../batch/run.js';
import { UserError } from '../core/errors.js';
import { queueExecutor } from '../queue/batch.js';
import type { QueueTarget } from '../queue/connection.js';

export interface BatchJob {
  kind: string;
  input: string;
  output: string;
  jobs: number;
  /** Rows go to the queue's workers (the desk runs with REDIS_URL). */
  queue?: QueueTarget;
}
export type BatchMessage =
  | { type: 'start'; total: number }
  | { type: 'progress'; done: number }
  | { type: 'done'; result: Awaited<ReturnType<typeof runBatch>> }
  | { type: 'error'; message: string };

const job = workerData as BatchJob;
const post = (m: BatchMessage) => parentPort!.postMessage(m);
const abort = new AbortController();
parentPort!.on('message', (m) => {
  if (m === 'abort') abort.abort();
});

let last = 0;
runBatch({
  kind: job.kind,
  input: job.input,
  output: job.output,
  format: 'pdf',
  merge: true,
  jobs: job.jobs,
  executor: job.queue ? queueExecutor(job.queue) : undefined,
  signal: abort.signal,
  progress: {
    start: (total) => post({ type: 'start', total }),
    update: (done) => {
      // at most ~10 messages a second
      const t = Date.now();
      if (t - last >= 100) (last = t), post({ type: 'progress', done });
    },
    stop: () => undefined,
  },
}).then(
  (result) => post({ type: 'done', result }),
  (e: Error) => post({ type: 'error', message: e instanceof UserError ? e.message : `批量生成失败：${e.message}` }),
).finally(() => parentPort!.close());
