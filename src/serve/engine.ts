/**
 * Where the desk's work is done. Locally (the default): renders on a pool of this machine's threads,
 * scans on a thread of their own. With REDIS_URL: single renders, batches and reading scans go to
 * the queue of src/queue, served by `bangban worker --queue …` processes on any machines; only what
 * the workers do not do (blank and fillable forms, checking uploads and batch inputs) stays here.
 */
import { availableParallelism } from 'node:os';
import { builtWorker, workerPool } from '../core/workers.js';
import { UserError } from '../core/errors.js';
import { defaultPrefix, queueName, redact, type QueueTarget } from '../queue/connection.js';
import { QueueRenderer } from '../queue/render.js';
import { queueParseExecutor } from '../queue/ingest.js';
import type { Issue } from '../core/errors.js';
import type { ParseOutcome, RenderOutcome, Task } from './worker.js';
import type { UploadLimits } from './uploads.js';

export type RenderTask = Extract<Task, { op: 'render' }>;

export interface Engine {
  mode: 'local' | 'queue';
  /** The queue, for batches (their thread opens its own submitter). */
  queue?: QueueTarget;
  /** One line for the startup message and /api/status. */
  describe: string;
  render(t: RenderTask): Promise<RenderOutcome>;
  /**
   * Read one uploaded form or scan (kept at `file`, shown as `name`); locally, a scan's pages as
   * the reader saw them are kept as `${pages}-N.jpg` when the reader gives them.
   */
  parse(file: string, name: string, limits: UploadLimits, pages?: string): Promise<ParseOutcome>;
  /** Slow local jobs (checking uploads and batch inputs, page images), on their own thread. */
  slow<T>(t: Task): Promise<T>;
  /** Quick local jobs (page images), on the render threads. */
  quick<T>(t: Task): Promise<T>;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** Render threads here (default: one per core; in queue mode one, for blank and fillable forms). */
  renderThreads?: number;
  redisUrl?: string;
}

export async function openEngine(o: EngineOptions): Promise<Engine> {
  const file = builtWorker('serve');
  if (!file) throw new Error('找不到 dist/serve/worker.js：请先运行 npm run build');
  const threads = o.renderThreads ?? (o.redisUrl ? 1 : availableParallelism());
  const renderPool = workerPool(file, { minThreads: o.redisUrl ? 0 : threads, maxThreads: threads, idleTimeout: 60_000 });
  // reading scans (OCR) and checking batch inputs: one thread, queued, so renders never wait behind them
  const slowPool = workerPool(file, { minThreads: 0, maxThreads: 1, idleTimeout: 60_000 });
  const local = {
    render: (t: RenderTask) => renderPool.run(t) as Promise<RenderOutcome>,
    slow: <T>(t: Task) => slowPool.run(t) as Promise<T>,
    quick: <T>(t: Task) => renderPool.run(t) as Promise<T>,
    close: () => Promise.all([renderPool.destroy(), slowPool.destroy()]).then(() => undefined),
  };
  if (!o.redisUrl) {
    return {
      mode: 'local',
      describe: `本机（${threads} 个生成线程，识别 1 个线程）`,
      ...local,
      parse: (file, name, limits, pages) => local.slow<ParseOutcome>({ op: 'parse', file, name, limits, pages }),
    };
  }
  const queue: QueueTarget = { url: o.redisUrl, prefix: defaultPrefix() };
  let renderer: QueueRenderer;
  try {
    renderer = await QueueRenderer.open(queue);
  } catch (e) {
    await local.close();
    throw new UserError(`REDIS_URL 已设置，但${(e as Error).message}。请先启动 Redis（或检查地址），或去掉 REDIS_URL 以本机模式运行`);
  }
  const parseFiles = queueParseExecutor(queue);
  return {
    mode: 'queue',
    queue,
    describe: `队列 ${redact(o.redisUrl)}（前缀 ${queue.prefix}，队列 ${queueName()}），由 bangban worker 进程生成与识别`,
    slow: local.slow,
    quick: local.quick,
    async render(t) {
      // the queue's workers render records as the batch does; blank and fillable forms are made here
      if (t.record === null || t.fillable) return local.render(t);
      const r = await renderer.render(t.kind, t.record, [t.format]);
      if (r.status === 'ok') return { ok: true, bytes: r.rendered[0].bytes };
      if (r.status === 'invalid') return { ok: false, errors: r.errors, message: '记录有误' };
      return { ok: false, message: r.errors.map((e: Issue) => e.message).join('；') || '生成失败' };
    },
    async parse(file, name, limits) {
      // the limits are checked here (the worker reads whatever it is sent)
      const refused = await local.slow<string | undefined>({ op: 'inspect', file, limits });
      if (refused) return { ok: false, reason: refused };
      const exec = await parseFiles([file]);
      try {
        const [first, ...more] = await exec.run({ file }, 0);
        if (!first) return { ok: false, reason: '文件中没有读出表单' };
        if (more.length) return { ok: false, reason: `文件中有 ${more.length + 1} 份表单，请每份单独上传` };
        if (!first.ok) return { ok: false, reason: first.error };
        const { pageRange: _, ...result } = first.result;
        return { ok: true, result: { ...result, file: name } };
      } finally {
        await exec.close();
      }
    },
    async close() {
      await renderer.close();
      await local.close();
    },
  };
}
