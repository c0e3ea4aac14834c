/**
 * The queue under faults: workers killed with SIGKILL mid-batch (several times, at different
 * moments), and Redis itself stopped mid-batch (a private redis-server this test starts, kills and
 * starts again empty, as one without persistence comes back). Every row must end exactly once, with
 * the same bytes as a local run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch, type BatchResult } from '../src/batch/run.js';
import { readManifest } from '../src/batch/manifest.js';
import type { Progress } from '../src/batch/progress.js';
import { queueExecutor } from '../src/queue/batch.js';
import { dropPrefix, expectSameOutput, hasRedisServer, noticeInput, PrivateRedis, requireRedis, SHARED_REDIS, startWorkerProcess, stop, uniquePrefix } from './helpers/queue.js';

const up = (await requireRedis()) && hasRedisServer();
const tmp = () => mkdtempSync(join(tmpdir(), 'bangban-queue-'));
const N = 120;

/** Calls `at[i]` once the batch has finished `i` rows. */
function onRows(at: Record<number, () => void | Promise<void>>): Progress {
  return { start() {}, stop() {}, update: (done) => void at[done]?.() };
}

/** Every row once, in order, all rendered. */
function expectEveryRowOnce(folder: string): void {
  const rows = readManifest(folder).rows;
  expect(rows.map((r) => r.number)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  expect(rows.every((r) => r.status === 'ok')).toBe(true);
}

describe.skipIf(!up)('queue under faults', () => {
  let input: string;
  let local: BatchResult;
  beforeAll(async () => {
    input = noticeInput(N);
    local = await runBatch({ kind: 'notice', input, output: tmp(), jobs: 2 });
  }, 300_000);

  it('SIGKILL a worker three times mid-batch: every row ends exactly once, byte for byte', async () => {
    const prefix = uniquePrefix();
    const workers = await Promise.all([startWorkerProcess(SHARED_REDIS, prefix), startWorkerProcess(SHARED_REDIS, prefix)]);
    const kills: Promise<unknown>[] = [];
    // kill one worker (alternately) and start a replacement, at three moments
    const killOne = (i: number) => () => {
      const victim = workers[i % 2];
      kills.push(stop(victim, 'SIGKILL').then(async () => (workers[i % 2] = await startWorkerProcess(SHARED_REDIS, prefix))));
    };
    try {
      const r = await runBatch({ kind: 'notice', input, output: tmp(), executor: queueExecutor({ url: SHARED_REDIS, prefix, sweepMs: 500 }), progress: onRows({ 10: killOne(0), 45: killOne(1), 80: killOne(2) }) });
      await Promise.all(kills);
      expect(kills).toHaveLength(3);
      expect(r.summary).toEqual(local.summary);
      expectEveryRowOnce(r.folder);
      expectSameOutput(local.folder, r.folder);
    } finally {
      await Promise.all(kills);
      for (const w of workers) await stop(w);
      await dropPrefix(prefix);
    }
  }, 600_000);

  it('Redis stopped for 3 seconds mid-batch and back empty: the batch completes, byte for byte', async () => {
    const redis = new PrivateRedis();
    await redis.start();
    const prefix = uniquePrefix();
    const workers = await Promise.all([startWorkerProcess(redis.url, prefix), startWorkerProcess(redis.url, prefix)]);
    let outage: Promise<void> | undefined;
    try {
      const r = await runBatch({
        kind: 'notice',
        input,
        output: tmp(),
        executor: queueExecutor({ url: redis.url, prefix, sweepMs: 500 }),
        progress: onRows({
          30: () => {
            outage = redis.stop().then(async () => {
              await new Promise((res) => setTimeout(res, 3_000));
              await redis.start();
            });
          },
        }),
      });
      await outage;
      expect(outage).toBeDefined();
      expect(r.summary).toEqual(local.summary);
      expectEveryRowOnce(r.folder);
      expectSameOutput(local.folder, r.folder);
    } finally {
      await outage;
      for (const w of workers) await stop(w);
      await redis.stop();
    }
  }, 600_000);
});
