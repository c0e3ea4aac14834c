/**
 * Where the queue lives: a Redis URL, a key prefix (default `bangban`, env BANGBAN_QUEUE_PREFIX) and
 * the BullMQ queue of this program's version. The queue's name carries the fingerprint of the
 * compiled program and templates, so a worker of another version never takes a job whose PDF it
 * would render differently: byte-identical output is a property of the version, not of luck.
 */
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { UserError } from '../core/errors.js';
import { programFingerprint } from '../batch/run.js';

export interface QueueTarget {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  prefix?: string;
}

export const defaultPrefix = (): string => process.env.BANGBAN_QUEUE_PREFIX || 'bangban';

/** How long a worker's lock on a job lasts without renewal, and how often stalled jobs are looked for. */
export interface Timing {
  lockMs: number;
  stalledIntervalMs: number;
}
export const DEFAULT_TIMING: Timing = { lockMs: 10_000, stalledIntervalMs: 5_000 };

/** Retries for crashes and timeouts (a row's bad data is a result, not an error, and is not retried). */
export const JOB_ATTEMPTS = 3;
export const JOB_BACKOFF = { type: 'exponential', delay: 1_000 } as const;

let fingerprint: string | undefined;
export function queueName(): string {
  fingerprint ??= programFingerprint().slice(0, 12);
  return `q-${fingerprint}`;
}

/** Keys of our own beside BullMQ's. */
export function keys(prefix: string) {
  const k = `${prefix}:x`;
  return {
    result: (jobId: string) => `${k}:res:${jobId}`,
    done: (batchId: string) => `${k}:done:${batchId}`,
    lease: (batchId: string) => `${k}:lease:${batchId}`,
    blob: (sha: string) => `${k}:blob:${sha}`,
    input: (jobId: string) => `${k}:in:${jobId}`,
    worker: (id: string) => `${k}:worker:${id}`,
    workers: `${k}:worker:*`,
    /** BullMQ's own keys of a queue (see its docs: <prefix>:<queue>:<id>, …:failed, …:completed). */
    job: (queue: string, jobId: string) => `${prefix}:${queue}:${jobId}`,
    set: (queue: string, name: 'failed' | 'completed') => `${prefix}:${queue}:${name}`,
  };
}
export type Keys = ReturnType<typeof keys>;

/** Results and uploads are kept this long at most when nobody collects them. */
export const KEEP_SECONDS = 24 * 3600;

/**
 * A Redis connection that outlives Redis restarts: commands wait (offline queue) while it reconnects,
 * every 0.2–2 s, forever; BullMQ needs maxRetriesPerRequest null for its blocking calls.
 */
export function connect(url: string, name?: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new UserError(`--queue 应为 Redis 地址，如 redis://127.0.0.1:6379，不认识“${url}”`);
  const r = new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(200 * times, 2_000),
    connectionName: name,
  });
  // reconnection is automatic; an unhandled 'error' event would end the process
  r.on('error', () => {});
  return r;
}

/** Connect, or say in one line why not (the first connection must succeed; later losses are waited out). */
export async function connectChecked(url: string, name?: string, timeoutMs = 5_000): Promise<Redis> {
  const r = connect(url, name);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([r.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${timeoutMs / 1000} 秒内无应答`)), timeoutMs)))]);
    return r;
  } catch (e) {
    r.disconnect();
    throw new UserError(`无法连接队列 ${redact(url)}：${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without its password, for messages. */
export const redact = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** Names this process in `bangban queue status`. */
export const processLabel = (): string => `${hostname()}:${process.pid}`;
