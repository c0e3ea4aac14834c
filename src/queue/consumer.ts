/**
 * `bangban worker`: takes render and read jobs from the queue and runs them in a pool of worker
 * threads (the same code and fonts as a local batch), each thread with a heap cap and each job with a
 * time limit. Results (PDF bytes, read records) go back to Redis for the submitter, which checks and
 * writes them. A worker that dies loses nothing: its jobs' locks expire and another worker takes them
 * over (BullMQ's stalled-job check); crashes and timeouts are retried with backoff.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { workerPool } from '../core/workers.js';
import { packageRoot } from '../core/paths.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { sharedFontFiles } from '../pdf/fontCache.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import type { Rendered } from '../batch/worker.js';
import type { Outcome } from '../parse/worker.js';
import { connectChecked, defaultPrefix, DEFAULT_TIMING, JOB_ATTEMPTS, KEEP_SECONDS, keys, queueName, type QueueTarget, type Timing } from './connection.js';
import type { ThreadTask } from './worker.js';
import { FILE_TOKEN } from './ingest.js';
import type { BlobRef, ParseJob, RenderJob } from './jobs.js';

export interface WorkerOptions extends QueueTarget {
  /** Worker threads, and jobs taken at a time (default 1). */
  concurrency?: number;
  /** Heap cap of each thread in MB: a thread past it is replaced and its job retried (default 512). */
  maxHeapMb?: number;
  /** Longest time one job may take before its thread is stopped and the job retried (default 120 s). */
  timeoutMs?: number;
  timing?: Timing;
  /** Another thread module (benchmarks of the queue alone); default dist/queue/worker.js. */
  threadFile?: string;
  /** Called with one line on events worth a log line. */
  log?: (line: string) => void;
}

export interface RunningWorker {
  /** Finish the jobs in hand, take no more, disconnect. */
  close(): Promise<void>;
  readonly id: string;
  /** Jobs finished by this worker (results stored), and failed attempts that will be retried. */
  readonly stats: { readonly completed: number; readonly retried: number };
}

const HEARTBEAT_MS = 5_000;

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const prefix = o.prefix ?? defaultPrefix();
  const k = keys(prefix);
  const concurrency = Math.max(1, o.concurrency ?? 1);
  const maxHeapMb = o.maxHeapMb ?? 512;
  const timeoutMs = o.timeoutMs ?? 120_000;
  const timing = o.timing ?? DEFAULT_TIMING;
  const log = o.log ?? (() => {});
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const redis = await connectChecked(o.url, `bangban-worker-${id}`);
  const fontFiles = sharedFontFiles(Object.values(loadFontConfig(undefined)).map((f) => f.file));
  const pool = workerPool(o.threadFile ?? join(packageRoot, 'dist', 'queue', 'worker.js'), {
    minThreads: concurrency,
    maxThreads: concurrency,
    idleTimeout: Infinity,
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16 },
  }, { fontFiles });
  const blobs = new BlobCache(redis, k);
  const stats = { active: 0, completed: 0, retried: 0, started: Date.now() };

  const handle = async (job: Job): Promise<void> => {
    stats.active++;
    try {
      await runJob(job);
    } finally {
      stats.active--;
    }
  };
  const runJob = async (job: Job): Promise<void> => {
    const jobId = job.id!;
    let cleanup: (() => void) | undefined;
    let task: ThreadTask;
    if (job.name === 'render') {
      const d = job.data as RenderJob;
      task = { type: 'render', task: { kind: d.kind, record: d.record, formats: d.formats, wording: await blobs.file(d.wording), template: await blobs.file(d.template) } };
    } else if (job.name === 'parse') {
      const d = job.data as ParseJob;
      const bytes = await redis.getBuffer(k.input(jobId));
      if (!bytes) throw new Error('待读取的文件已不在队列中（提交者会重新上传）');
      const dir = mkdtempSync(join(tmpdir(), 'bangban-queue-in-'));
      cleanup = () => rmSync(dir, { recursive: true, force: true });
      // the file's own name (its extension tells a scan from a PDF; messages name it)
      const file = join(dir, basename(d.name));
      writeFileSync(file, bytes);
      task = { type: 'parse', task: { file, kind: d.kind } };
    } else {
      // no retry can help: a submitter of another kind of program
      throw new UnrecoverableError(`未知的任务类型 ${job.name}`);
    }
    let out: Rendered | Outcome[];
    try {
      out = await pool.run(task, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) stats.retried++;
      const name = (e as Error)?.name;
      throw new Error(name === 'AbortError' || name === 'TimeoutError' ? `处理超时（超过 ${timeoutMs / 1000} 秒）` : `处理出错：${(e as Error)?.message ?? e}`);
    } finally {
      cleanup?.();
    }
    const fields: Record<string, string | Buffer> = {};
    if (task.type === 'render') {
      const r = out as Rendered;
      if (r.status === 'ok') {
        fields.meta = JSON.stringify({ status: 'ok', warnings: r.warnings, files: r.rendered.map((f) => ({ format: f.format, sha256: sha256(f.bytes), bytes: f.bytes.byteLength })) });
        for (const f of r.rendered) fields[`f:${f.format}`] = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
      } else fields.meta = JSON.stringify(r);
    } else fields.meta = JSON.stringify(out).split(JSON.stringify(task.task.file).slice(1, -1)).join(JSON.stringify(FILE_TOKEN).slice(1, -1));
    const d = job.data as { batchId: string };
    // the result first, then the notice that it is there: a submitter never finds a notice without it
    await redis.multi().hset(k.result(jobId), fields).expire(k.result(jobId), KEEP_SECONDS).rpush(k.done(d.batchId), jobId).expire(k.done(d.batchId), KEEP_SECONDS).exec();
    stats.completed++;
  };

  const worker = new Worker(queueName(), handle, {
    connection: redis,
    prefix,
    // jobs in hand beyond the threads, so that a thread never waits for the next job's round trips
    concurrency: concurrency * 2 + 1,
    lockDuration: timing.lockMs,
    stalledInterval: timing.stalledIntervalMs,
    maxStalledCount: JOB_ATTEMPTS,
    name: id,
  });
  worker.on('error', (e) => log(`队列连接出错（自动重连）：${e.message}`));
  worker.on('failed', (job, e) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      log(`任务 ${job.id} 多次失败，不再重试：${e.message}`);
      // tell the submitter now rather than at its next sweep
      void redis.rpush(k.done((job.data as { batchId: string }).batchId), job.id!).catch(() => {});
    } else log(`任务 ${job?.id} 失败，将重试：${e.message}`);
  });

  const beat = async () => {
    const m = process.memoryUsage();
    const info = { id, host: hostname(), pid: process.pid, queue: queueName(), concurrency, maxHeapMb, active: stats.active, completed: stats.completed, retried: stats.retried, rssMb: Math.round(m.rss / 2 ** 20), since: stats.started };
    await redis.set(k.worker(id), JSON.stringify(info), 'EX', Math.ceil((HEARTBEAT_MS * 3) / 1000)).catch(() => {});
  };
  await beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_MS);
  timer.unref();

  let closing: Promise<void> | undefined;
  return {
    id,
    stats,
    close: () =>
      (closing ??= (async () => {
        clearInterval(timer);
        await worker.close();
        await pool.destroy();
        await redis.del(k.worker(id)).catch(() => {});
        redis.disconnect();
      })()),
  };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The submitter's wording and Word templates, fetched once per worker into a local folder by content hash. */
class BlobCache {
  private dir = join(tmpdir(), 'bangban-queue-blobs');
  constructor(
    private redis: Redis,
    private k: ReturnType<typeof keys>,
  ) {}
  async file(ref: BlobRef | undefined): Promise<string | undefined> {
    if (!ref) return undefined;
    const path = join(this.dir, `${ref.sha256}${extname(ref.name)}`);
    if (existsSync(path)) return path;
    const bytes = await this.redis.getBuffer(this.k.blob(ref.sha256));
    // gone with a Redis restart: the submitter uploads it again when it reconnects; retried meanwhile
    if (!bytes || sha256(bytes) !== ref.sha256) throw new Error(`模板文件 ${ref.name} 不在队列中`);
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(path, bytes);
    return path;
  }
}
