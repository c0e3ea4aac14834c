/** `bangban queue status`: jobs by state in each queue of the prefix, and the workers alive. */
import { Queue } from 'bullmq';
import { connectChecked, defaultPrefix, keys, type QueueTarget } from './connection.js';

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  queue: string;
  concurrency: number;
  maxHeapMb: number;
  active: number;
  /** Jobs finished, and the rows they carried (a batch groups rows into jobs). */
  completed: number;
  rows: number;
  retried: number;
  rssMb: number;
  since: number;
}

export interface QueueStatus {
  /** Jobs (a batch's job carries several rows). */
  queues: { name: string; waiting: number; active: number; delayed: number; failed: number; completed: number }[];
  workers: WorkerInfo[];
}

async function scanAll(redis: import('ioredis').Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    out.push(...found);
  } while (cursor !== '0');
  return out;
}

export async function queueStatus(t: QueueTarget): Promise<QueueStatus> {
  const prefix = t.prefix ?? defaultPrefix();
  const k = keys(prefix);
  const redis = await connectChecked(t.url, 'bangban-status');
  try {
    // every version's queue: its name carries the program's fingerprint (see connection.ts)
    const names = [...new Set((await scanAll(redis, `${prefix}:q-*:meta`)).map((key) => key.slice(prefix.length + 1, -':meta'.length)))].sort();
    const queues: QueueStatus['queues'] = [];
    for (const name of names) {
      const q = new Queue(name, { connection: redis, prefix });
      const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      queues.push({ name, waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 });
      await q.close();
    }
    const workerKeys = await scanAll(redis, k.workers);
    const workers = (workerKeys.length ? await redis.mget(...workerKeys) : []).flatMap((v) => (v ? [JSON.parse(v) as WorkerInfo] : [])).sort((a, b) => (a.id < b.id ? -1 : 1));
    return { queues, workers };
  } finally {
    redis.disconnect();
  }
}

/** Remove every key under a prefix (a test run's or a benchmark's queue, or an office's after a move). */
export async function removePrefix(t: QueueTarget & { prefix: string }): Promise<number> {
  const redis = await connectChecked(t.url, 'bangban-clean');
  try {
    const found = await scanAll(redis, `${t.prefix}:*`);
    for (let i = 0; i < found.length; i += 1000) await redis.del(...found.slice(i, i + 1000));
    return found.length;
  } finally {
    redis.disconnect();
  }
}
