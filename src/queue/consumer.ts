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
import { field, type BlobRef, type ParseJob, type RenderJob } from './jobs.js';

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
  /** Jobs and rows finished by this worker (results stored), and failed attempts that will be retried. */
  readonly stats: { readonly completed: number; readonly rows: number; readonly retried: number };
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
  // a thread that dies with no task of its own (out of memory just as its row's time ran out): the
  // pool replaces it; unheard, the pool's 'error' would end the process
  pool.on('error', (e: Error) => log(`工作线程异常退出（已替换）：${e.message}`));
  const blobs = new BlobCache(redis, k);
  const stats = { active: 0, completed: 0, rows: 0, retried: 0, started: Date.now() };
  // a row waits here, not in the pool's own queue, so that its time limit counts from its start
  const threads = new Slots(concurrency);

  const handle = async (job: Job): Promise<void> => {
    stats.active++;
    try {
      await runJob(job);
    } finally {
      stats.active--;
    }
  };
  /** The thread tasks of a job's rows, and what to remove after them. */
  const rowTasks = async (job: Job): Promise<{ tasks: ThreadTask[]; cleanup?: () => void }> => {
    if (job.name === 'render') {
      const d = job.data as RenderJob;
      const [wording, template] = [await blobs.file(d.wording), await blobs.file(d.template)];
      return { tasks: d.records.map((record) => ({ type: 'render', task: { kind: d.kind, record, formats: d.formats, wording, template } })) };
    }
    if (job.name === 'parse') {
      const d = job.data as ParseJob;
      const files = (await redis.hgetallBuffer(k.input(job.id!))) as Record<string, Buffer>;
      if (d.names.some((_, i) => !files[i])) throw new Error('待读取的文件已不在队列中（提交者会重新上传）');
      const dir = mkdtempSync(join(tmpdir(), 'bangban-queue-in-'));
      // each file under its own name (its extension tells a scan from a PDF; messages name it), in a folder of its own
      const tasks = d.names.map((name, i): ThreadTask => {
        mkdirSync(join(dir, String(i)));
        const file = join(dir, String(i), basename(name));
        writeFileSync(file, files[i]);
        return { type: 'parse', task: { file, kind: d.kind } };
      });
      return { tasks, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    }
    // no retry can help: a submitter of another kind of program
    throw new UnrecoverableError(`未知的任务类型 ${job.name}`);
  };

  /**
   * Run a job's rows side by side on the threads and store each row's result (see jobs.ts). A row
   * that throws (crash, heap cap, time limit) fails the attempt after the others are stored: the retry
   * runs only the rows without a result, and a job that fails for good fails only those rows.
   */
  const runJob = async (job: Job): Promise<void> => {
    const jobId = job.id!;
    const { tasks, cleanup } = await rowTasks(job);
    const stored = job.attemptsMade > 0 ? new Set(await redis.hkeys(k.result(jobId))) : new Set<string>();
    const fields: Record<string, string | Buffer> = {};
    let firstError: string | undefined;
    try {
      await Promise.all(
        tasks.map(async (task, i) => {
          if (stored.has(field.meta(i))) return;
          try {
            Object.assign(fields, encode(task, i, await threads.run(() => pool.run(task, { signal: AbortSignal.timeout(timeoutMs) }))));
          } catch (e) {
            const name = (e as Error)?.name;
            fields[field.error(i)] = name === 'AbortError' || name === 'TimeoutError' ? `处理超时（超过 ${timeoutMs / 1000} 秒）` : `处理出错：${(e as Error)?.message ?? e}`;
            firstError ??= fields[field.error(i)] as string;
          }
        }),
      );
    } finally {
      cleanup?.();
    }
    const d = job.data as { batchId: string };
    const result = k.result(jobId);
    if (firstError) {
      await redis.multi().hset(result, fields).expire(result, KEEP_SECONDS).exec();
      if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) stats.retried++;
      throw new Error(firstError);
    }
    fields[field.complete] = String(tasks.length);
    // the results first, then the notice that they are there: a submitter never finds a notice without them
    await redis.multi().hset(result, fields).expire(result, KEEP_SECONDS).rpush(k.done(d.batchId), jobId).expire(k.done(d.batchId), KEEP_SECONDS).exec();
    stats.completed++;
    stats.rows += tasks.length;
  };

  const worker = new Worker(queueName(), handle, {
    connection: redis,
    prefix,
    // as many jobs in hand as threads: a job holds several rows, so a thread waits for the next job's
    // round trip (BullMQ fetches it as it moves the last one to finished) once per several rows, and
    // no worker sits on rows that idle workers could take at the end of a batch
    concurrency,
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
    const info = { id, host: hostname(), pid: process.pid, queue: queueName(), concurrency, maxHeapMb, active: stats.active, completed: stats.completed, rows: stats.rows, retried: stats.retried, rssMb: Math.round(m.rss / 2 ** 20), since: stats.started };
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

/** Row i's fields of a result hash (jobs.ts): a rendered document's files with their SHA-256, or a read file's outcome. */
function encode(task: ThreadTask, i: number, out: Rendered | Outcome[]): Record<string, string | Buffer> {
  const fields: Record<string, string | Buffer> = {};
  if (task.type === 'render') {
    const r = out as Rendered;
    if (r.status === 'ok') {
      fields[field.meta(i)] = JSON.stringify({ status: 'ok', warnings: r.warnings, files: r.rendered.map((f) => ({ format: f.format, sha256: sha256(f.bytes), bytes: f.bytes.byteLength })) });
      for (const f of r.rendered) fields[field.file(i, f.format)] = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    } else fields[field.meta(i)] = JSON.stringify(r);
  } else fields[field.meta(i)] = JSON.stringify(out).split(JSON.stringify(task.task.file).slice(1, -1)).join(JSON.stringify(FILE_TOKEN).slice(1, -1));
  return fields;
}

/** At most `n` tasks at a time. */
class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

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
