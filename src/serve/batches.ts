/** Running batches: one thread each (batchThread.ts), progress kept in the store and pushed to listeners (SSE). */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import type { Store } from './store.js';
import type { BatchJob, BatchMessage } from './batchThread.js';
import type { QueueTarget } from '../queue/connection.js';

export interface BatchState {
  status: string;
  done: number;
  total: number;
  error?: string | null;
}
type Listener = (s: BatchState) => void;

export class BatchRunner {
  private running = new Map<string, { worker: Worker; state: BatchState }>();
  private listeners = new Map<string, Set<Listener>>();
  /** Final states being written to the store. */
  private saving = new Set<Promise<void>>();

  constructor(
    private store: Store,
    private dataDir: string,
    /** Batches go to this queue's workers (REDIS_URL) instead of this machine's threads. */
    private queue?: QueueTarget,
  ) {}

  folder(id: string): string {
    return join(this.dataDir, 'batches', id);
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  state(id: string): BatchState | undefined {
    return this.running.get(id)?.state;
  }

  listen(id: string, l: Listener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(l);
    return () => set!.delete(l);
  }

  private emit(id: string, s: BatchState): void {
    for (const l of this.listeners.get(id) ?? []) l(s);
  }

  /** Starts (or resumes: finished rows are skipped by runBatch) a checked batch. */
  async start(id: string, kind: string, inputExt: string, total: number): Promise<void> {
    if (this.running.has(id)) return;
    const job: BatchJob = {
      kind,
      input: join(this.folder(id), `input${inputExt}`),
      output: join(this.folder(id), 'out'),
      // leave one core to the desk
      jobs: Math.max(1, availableParallelism() - 1),
      queue: this.queue,
    };
    const worker = new Worker(join(packageRoot, 'dist', 'serve', 'batchThread.js'), { workerData: job });
    const state: BatchState = { status: 'running', done: 0, total };
    this.running.set(id, { worker, state });
    await this.store.updateBatch(id, { status: 'running', done: 0, error: null });
    let saved = 0;
    const finish = (status: string, f: { result?: unknown; error?: string }) => {
      this.running.delete(id);
      state.status = status;
      state.error = f.error ?? null;
      const saved = this.store.updateBatch(id, { status: status as any, done: state.done, result: f.result, error: f.error ?? null }).then(() => this.emit(id, state));
      this.saving.add(saved);
      void saved.finally(() => this.saving.delete(saved));
    };
    worker.on('message', (m: BatchMessage) => {
      if (m.type === 'start') state.total = m.total;
      else if (m.type === 'progress') {
        state.done = m.done;
        if (Date.now() - saved > 1000) {
          saved = Date.now();
          void this.store.updateBatch(id, { done: m.done });
        }
      } else if (m.type === 'done') {
        const r = m.result;
        state.done = Object.values(r.summary).reduce((a, b) => a + b, 0);
        finish(r.interrupted ? 'interrupted' : 'done', { result: { summary: r.summary, problems: r.problems.slice(0, 200), problemCount: r.problemCount, notes: r.notes, merged: !!r.merged, total: r.total }, error: r.interrupted ? '批量生成已停止，可点击“继续”接着生成' : undefined });
        return;
      } else if (m.type === 'error') {
        finish('failed', { error: m.message });
        return;
      }
      this.emit(id, state);
    });
    worker.on('error', (e) => finish('failed', { error: `批量生成失败：${e.message}` }));
    worker.on('exit', (code) => {
      if (this.running.has(id)) finish('failed', { error: `批量生成线程意外退出（${code}）` });
    });
  }

  stop(id: string): void {
    this.running.get(id)?.worker.postMessage('abort');
  }

  /**
   * Stops every running batch the way runBatch stops (rows in flight finish, the manifest keeps what
   * is done), so after a restart "继续" skips the finished rows; a batch that does not stop in time is
   * cut off and re-rendered in full when resumed.
   */
  async close(graceMs = 15_000): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async (r) => {
        const exited = new Promise((resolve) => r.worker.once('exit', resolve));
        r.worker.postMessage('abort');
        const timer = setTimeout(() => void r.worker.terminate(), graceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
    await Promise.all(this.saving);
  }
}
