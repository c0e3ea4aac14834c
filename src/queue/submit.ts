/**
 * The submitting side of a queued batch. Jobs are keyed by batch and row (an idempotent jobId), so
 * adding a row twice — a resumed submitter, a Redis that came back — never makes two jobs. Results
 * are collected as workers announce them (a list per batch, BLPOP), and a sweep looks at every row in
 * flight every few seconds, so nothing depends on a notice arriving: a result whose notice was lost
 * is found, a job that failed for good is reported once, and a job that Redis lost (restarted
 * without persistence) is sent again. One submitter holds a batch at a time (a lease in Redis).
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { UserError } from '../core/errors.js';
import { connectChecked, defaultPrefix, JOB_ATTEMPTS, JOB_BACKOFF, KEEP_SECONDS, keys, processLabel, queueName, type Keys, type QueueTarget } from './connection.js';
import { DamagedResult, field, rowCount, rowFields, type Codec, type ResultFields } from './jobs.js';

export interface SubmitterOptions extends QueueTarget {
  batchId: string;
  /** Jobs in flight at most (default 256). */
  window?: number;
  /** How often a row in flight is looked at without a notice (default 10 s; at once after a reconnect). */
  sweepMs?: number;
  /** Files workers fetch by content hash (templates): uploaded now and again after a Redis restart. */
  blobs?: { sha256: string; bytes: Buffer }[];
}

/** One job to send: its id (idempotent), its kind ('render', 'parse'), its data and, for parse jobs, its files' upload. */
export interface JobSpec {
  id: string;
  name: string;
  data: { batchId: string };
  upload?: () => Promise<unknown>;
}

interface Entry {
  jobId: string;
  name: string;
  data: unknown;
  rows: number;
  upload?: () => Promise<unknown>;
  codec: Codec<unknown>;
  resolve: (r: unknown[]) => void;
  checkedAt: number;
  collecting: boolean;
  resent: number;
}

const LEASE_MS = 20_000;
/** Finished jobs BullMQ keeps (their results live apart, in our result keys, until collected). */
const COMPLETED_KEPT = 1_000;
/** A job lost or damaged this many times is reported as failed rather than sent again. */
const MAX_RESENDS = 5;

export class Submitter {
  private inflight = new Map<string, Entry>();
  private slots: (() => void)[] = [];
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private listening: Promise<void>;
  readonly window: number;
  /** Jobs sent again (lost by Redis, damaged, or finished with their result gone). */
  resent = 0;

  private constructor(
    private redis: Redis,
    private listener: Redis,
    private queue: Queue,
    private k: Keys,
    private o: SubmitterOptions,
    private token: string,
  ) {
    this.window = o.window ?? 256;
    const sweepMs = o.sweepMs ?? 10_000;
    this.timers.push(setInterval(() => void this.sweep(sweepMs), Math.max(100, sweepMs / 4)));
    this.timers.push(setInterval(() => void this.renewLease(), 1_000));
    // after a reconnect, notices may have been lost and Redis may be a new, empty one: put back
    // what workers need, and look at every row in flight now
    redis.on('ready', () => void this.uploadBlobs().then(() => this.sweep(0)));
    this.listening = this.listen();
  }

  static async open(o: SubmitterOptions): Promise<Submitter> {
    const prefix = o.prefix ?? defaultPrefix();
    const k = keys(prefix);
    const redis = await connectChecked(o.url, `bangban-submit-${processLabel()}`);
    const token = `${processLabel()} ${randomUUID()}`;
    if ((await redis.set(k.lease(o.batchId), token, 'PX', LEASE_MS, 'NX')) !== 'OK') {
      const owner = (await redis.get(k.lease(o.batchId)))?.split(' ')[0] ?? '?';
      redis.disconnect();
      throw new UserError(`这一批正由另一个提交进程（${owner}）处理，未重复提交；若那个进程已被强行结束，约 ${LEASE_MS / 1000} 秒后可重新提交`);
    }
    const listener = redis.duplicate();
    listener.on('error', () => {});
    const queue = new Queue(queueName(), { connection: redis, prefix });
    queue.on('error', () => {});
    const s = new Submitter(redis, listener, queue, k, o, token);
    await s.uploadBlobs();
    return s;
  }

  /**
   * Send one job and wait for the outcome of each of its rows, in order (never rejects for the job's
   * sake: a row that failed for good becomes codec.failure, and only that row).
   */
  async submit<R>(job: JobSpec, codec: Codec<R>): Promise<R[]> {
    while (this.inflight.size >= this.window) await new Promise<void>((r) => this.slots.push(r));
    return new Promise<R[]>((resolve) => {
      const e: Entry = { jobId: job.id, name: job.name, data: job.data, rows: rowCount(job.name, job.data), upload: job.upload, codec, resolve: resolve as (r: unknown[]) => void, checkedAt: Date.now(), collecting: false, resent: 0 };
      this.inflight.set(job.id, e);
      this.send(e).catch(() => {}); // a send lost to a dropped connection is redone by the sweep
    });
  }

  /** Upload a job's input files (field `<row>` each) to a key workers read; kept until the job is collected. */
  uploadInput(jobId: string, files: Buffer[]): Promise<unknown> {
    const key = this.k.input(jobId);
    return this.redis.multi().del(key).hset(key, Object.fromEntries(files.map((b, i) => [String(i), b]))).expire(key, KEEP_SECONDS).exec();
  }

  private async send(e: Entry): Promise<void> {
    // finished while no submitter was there (a resumed batch): collect it, do not render it again
    if (await this.redis.exists(this.k.result(e.jobId))) return this.collect(e.jobId);
    await e.upload?.();
    await this.queue.add(e.name, e.data, {
      jobId: e.jobId,
      attempts: JOB_ATTEMPTS,
      backoff: JOB_BACKOFF,
      // what a job's result needs is in our result key: BullMQ trims finished jobs on its own
      removeOnComplete: { age: KEEP_SECONDS, count: COMPLETED_KEPT },
      removeOnFail: { age: KEEP_SECONDS },
    });
  }

  private async listen(): Promise<void> {
    while (!this.closed) {
      try {
        const r = await this.listener.blpop(this.k.done(this.o.batchId), 1);
        if (r) void this.collect(r[1]);
      } catch {
        if (!this.closed) await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /**
   * Take a finished job's results (or its final failure: the rows that finished keep their results,
   * the others are failed rows with their own reason); nothing when it is not finished.
   */
  private async collect(jobId: string): Promise<void> {
    const e = this.inflight.get(jobId);
    if (!e || e.collecting) return;
    e.collecting = true;
    try {
      const fields = (await this.redis.hgetallBuffer(this.k.result(jobId))) as ResultFields;
      const complete = !!fields[field.complete];
      let failure: ((i: number) => unknown) | undefined;
      if (!complete) {
        if ((await this.redis.zscore(this.k.set(queueName(), 'failed'), jobId)) === null) return;
        const reason = (await this.redis.hget(this.k.job(queueName(), jobId), 'failedReason')) ?? '';
        failure = (i) => e.codec.failure(`${JOB_ATTEMPTS} 次尝试均未成功：${fields[field.error(i)]?.toString('utf8') ?? reason}`);
      }
      let outcomes: unknown[];
      try {
        outcomes = Array.from({ length: e.rows }, (_, i) => {
          const meta = fields[field.meta(i)];
          return meta ? e.codec.decode(JSON.parse(meta.toString('utf8')), rowFields(fields, i)) : failure ? failure(i) : damaged(`第 ${i + 1} 项结果缺失`);
        });
      } catch (err) {
        if (!(err instanceof DamagedResult)) throw err;
        await this.resend(e, err.message);
        return;
      }
      this.finish(e, outcomes);
      await this.redis.del(this.k.result(jobId), this.k.input(jobId));
      // a failed job goes, so that the next run of the batch tries its rows afresh
      if (!complete) await this.queue.remove(jobId).catch(() => {});
    } finally {
      e.collecting = false;
    }
  }

  private finish(e: Entry, outcomes: unknown[]): void {
    this.inflight.delete(e.jobId);
    e.resolve(outcomes);
    this.slots.shift()?.();
  }

  private async resend(e: Entry, why: string): Promise<void> {
    this.resent++;
    if (process.env.BANGBAN_DEBUG) process.stderr.write(`resend ${e.jobId}: ${why}\n`);
    if (++e.resent > MAX_RESENDS) {
      const reason = `任务在队列中丢失或结果损坏 ${MAX_RESENDS} 次：${why}`;
      this.finish(e, Array.from({ length: e.rows }, () => e.codec.failure(reason)));
      return;
    }
    await this.redis.del(this.k.result(e.jobId));
    await this.queue.remove(e.jobId).catch(() => {});
    e.checkedAt = Date.now();
    await this.send(e);
  }

  private sweeping = false;
  /** Look at rows in flight that have had no news for `everyMs`. */
  private async sweep(everyMs: number): Promise<void> {
    // a sweep already running: a sweep of everything (a reconnect) runs after it
    while (this.sweeping && everyMs === 0 && !this.closed) await new Promise((r) => setTimeout(r, 50));
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      const due = [...this.inflight.values()].filter((e) => !e.collecting && now - e.checkedAt >= everyMs);
      if (!due.length) return;
      const q = queueName();
      const m = this.redis.multi();
      for (const e of due) {
        e.checkedAt = now;
        m.exists(this.k.result(e.jobId)).exists(this.k.job(q, e.jobId)).zscore(this.k.set(q, 'failed'), e.jobId).zscore(this.k.set(q, 'completed'), e.jobId);
      }
      const r = (await m.exec()) ?? [];
      for (let i = 0; i < due.length; i++) {
        const [result, job, failed, completed] = r.slice(i * 4, i * 4 + 4).map(([, v]) => v);
        const e = due[i];
        if (result || failed !== null) void this.collect(e.jobId);
        // Redis lost the job (restarted empty), or it finished but its result is gone (collected
        // by an earlier submitter that stopped before writing it): send it again
        else if (!job || completed !== null) await this.resend(e, job ? '结果已不在' : '任务已不在');
      }
    } catch {
      // the connection is down: next time
    } finally {
      this.sweeping = false;
    }
  }

  private async uploadBlobs(): Promise<void> {
    for (const b of this.o.blobs ?? []) await this.redis.set(this.k.blob(b.sha256), b.bytes, 'EX', KEEP_SECONDS).catch(() => {});
  }

  /**
   * Keep the lease; take it again if Redis came back empty, which also tells that every job in flight
   * may be gone (looked at now rather than at the next sweep).
   */
  private async renewLease(): Promise<void> {
    const key = this.k.lease(this.o.batchId);
    const r = await this.redis
      .eval(
        "local v = redis.call('GET', KEYS[1]) if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) elseif not v then return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end return 0",
        1,
        key,
        this.token,
        LEASE_MS,
      )
      .catch(() => undefined);
    if (r === 'OK') await this.sweep(0);
  }

  /** Stop: rows still in flight stay in the queue for the next submitter of this batch. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.listener.disconnect();
    await this.listening;
    await this.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, this.k.lease(this.o.batchId), this.token).catch(() => {});
    await this.queue.close().catch(() => {});
    this.redis.disconnect();
  }
}

const damaged = (why: string): never => {
  throw new DamagedResult(why);
};
