import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runBatch, type BatchResult } from '../src/batch/run.js';
import { fixturesDir } from '../src/core/paths.js';
import { queueExecutor, renderCodec } from '../src/queue/batch.js';
import { Submitter } from '../src/queue/submit.js';
import { QueueRenderer } from '../src/queue/render.js';
import { renderRecord } from '../src/batch/worker.js';
import { startWorker } from '../src/queue/consumer.js';
import { queueStatus } from '../src/queue/status.js';
import type { RenderJob } from '../src/queue/jobs.js';
import { cli, noStack } from './helpers/cli.js';
import { dropPrefix, expectSameOutput, noticeInput, requireRedis, SHARED_REDIS as url, startWorkerProcess, stop, uniquePrefix } from './helpers/queue.js';

const up = await requireRedis();
const tmp = () => mkdtempSync(join(tmpdir(), 'bangban-queue-'));
const notice = JSON.parse(readFileSync(join(fixturesDir, 'notice/one-material.json'), 'utf8'));

describe.skipIf(!up)('queue mode (Redis at 127.0.0.1:6379)', () => {
  const prefix = uniquePrefix();
  // 200 rows rather than 1,000 to keep the suite short on 2 shared cores; bench/queue.js runs 1,000
  const N = 200;
  let input: string;
  let local: BatchResult;
  beforeAll(async () => {
    input = noticeInput(N, 7);
    local = await runBatch({ kind: 'notice', input, output: tmp(), jobs: 2 });
  }, 300_000);
  afterAll(() => dropPrefix(prefix));

  it(`${N} rows through 2 worker processes equal the local run byte for byte, the bad row reported once`, async () => {
    expect(local.summary).toEqual({ ok: N - 1, unchanged: 0, invalid: 1, failed: 0 });
    const workers = await Promise.all([startWorkerProcess(url, prefix), startWorkerProcess(url, prefix)]);
    try {
      let updates = 0;
      const r = await runBatch({ kind: 'notice', input, output: tmp(), executor: queueExecutor({ url, prefix }), progress: { start: (t) => expect(t).toBe(N), update: () => updates++, stop() {} } });
      expect(r.summary).toEqual(local.summary);
      expect(updates).toBe(N);
      expectSameOutput(local.folder, r.folder);
      // both workers took part, none retried anything
      const s = await queueStatus({ url, prefix });
      expect(s.workers).toHaveLength(2);
      expect(s.queues).toHaveLength(1);
      expect(s.queues[0]).toMatchObject({ waiting: 0, active: 0, failed: 0 });
      expect(s.queues[0].completed).toBeGreaterThanOrEqual(N - 1); // kept by BullMQ, results collected
      process.env.BANGBAN_QUEUE_PREFIX = prefix;
      const status = await cli('queue', 'status', '--queue', url).finally(() => delete process.env.BANGBAN_QUEUE_PREFIX);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/等待 0，进行中 0，延后重试 0，失败 0/);
      expect(status.stdout).toMatch(/在线工作进程 2 个/);
      // a second run finds every output current and sends nothing
      const again = await runBatch({ kind: 'notice', input, output: r.folder, executor: queueExecutor({ url, prefix }) });
      expect(again.summary).toEqual({ ok: 0, unchanged: N - 1, invalid: 1, failed: 0 });
    } finally {
      // SIGTERM: each finishes what it holds and exits cleanly
      for (const w of workers) expect(await stop(w)).toBe(0);
    }
  }, 600_000);

  it('a resumed submitter collects what finished while it was away, without rendering again; a second submitter is refused', async () => {
    const batchId = `resume-${randomUUID().slice(0, 8)}`;
    const codec = renderCodec('告知书');
    const job = (i: number): RenderJob => ({ batchId, kind: 'notice', record: { ...notice, applicant: { ...notice.applicant, name: `续传公司${i}` } }, formats: ['pdf'] });
    const first = await Submitter.open({ url, prefix, batchId });
    for (let i = 0; i < 5; i++) void first.submit(`${batchId}-${i}`, 'render', job(i), codec);
    await new Promise((r) => setTimeout(r, 300));
    await expect(Submitter.open({ url, prefix, batchId })).rejects.toThrow(/另一个提交进程/);
    await first.close(); // stops before any result came back
    const w = await startWorker({ url, prefix });
    try {
      for (let t = 0; t < 600 && w.stats.completed < 5; t++) await new Promise((r) => setTimeout(r, 100));
      expect(w.stats.completed).toBe(5);
      const second = await Submitter.open({ url, prefix, batchId, sweepMs: 200 });
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => second.submit(`${batchId}-${i}`, 'render', job(i), codec)));
      await second.close();
      expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      expect(w.stats.completed).toBe(5);
    } finally {
      await w.close();
    }
  }, 120_000);

  it('a job that keeps failing (crash, heap over the cap, time limit) is retried, then reported once as a failed row', async () => {
    // a stand-in thread module: fails with an error, or fills its heap past the cap
    const dir = tmp();
    const stub = join(dir, 'stub.mjs');
    writeFileSync(
      stub,
      `export default async function (t) {
         const mode = t.task.record.mode;
         if (mode === 'throw') throw new Error('boom');
         if (mode === 'slow') await new Promise((r) => setTimeout(r, 60000));
         if (mode === 'oom') { const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); }
         return { status: 'ok', rendered: [{ format: 'pdf', bytes: new TextEncoder().encode('%PDF-stub ' + mode) }], warnings: [] };
       }`,
    );
    const w = await startWorker({ url, prefix, threadFile: stub, maxHeapMb: 32, timeoutMs: 1000, concurrency: 2 });
    const batchId = `fail-${randomUUID().slice(0, 8)}`;
    const sub = await Submitter.open({ url, prefix, batchId, sweepMs: 200 });
    try {
      const codec = renderCodec('告知书');
      const send = (mode: string) => sub.submit(`${batchId}-${mode}`, 'render', { batchId, kind: 'notice', record: { mode }, formats: ['pdf'] } satisfies RenderJob, codec);
      const [ok, thrown, oom, slow] = await Promise.all([send('ok'), send('throw'), send('oom'), send('slow')]);
      expect(ok.status).toBe('ok');
      expect(thrown).toMatchObject({ status: 'failed', errors: [{ message: expect.stringMatching(/3 次尝试均未成功：处理出错：boom/) }] });
      expect(oom).toMatchObject({ status: 'failed', errors: [{ message: expect.stringMatching(/3 次尝试均未成功/) }] });
      expect(slow).toMatchObject({ status: 'failed', errors: [{ message: expect.stringMatching(/3 次尝试均未成功：处理超时（超过 1 秒）/) }] });
      expect(w.stats.retried).toBe(6);
    } finally {
      await sub.close();
      await w.close();
    }
  }, 120_000);

  it('renders single documents for a service (the web desk) the same as in this process', async () => {
    const w = await startWorker({ url, prefix });
    const renderer = await QueueRenderer.open({ url, prefix });
    try {
      const queued = await renderer.render('notice', notice, ['pdf']);
      const here = await renderRecord({ kind: 'notice', record: notice, formats: ['pdf'] });
      expect(queued.status).toBe('ok');
      expect(here.status).toBe('ok');
      if (queued.status === 'ok' && here.status === 'ok') expect(Buffer.from(queued.rendered[0].bytes).equals(Buffer.from(here.rendered[0].bytes))).toBe(true);
      expect((await renderer.render('notice', {}, ['pdf'])).status).toBe('invalid');
    } finally {
      await renderer.close();
      await w.close();
    }
  }, 120_000);

  it('refuses what it cannot do in one line: a bad address, no Redis, --fonts', async () => {
    const fonts = join(tmp(), 'fonts.json');
    writeFileSync(fonts, '{}');
    for (const [message, ...args] of [
      [/应为 Redis 地址/, 'worker', '--queue', 'http://x'],
      [/无法连接队列/, 'batch', 'notice', input, '-o', tmp(), '--queue', 'redis://127.0.0.1:1'],
      [/队列模式暂不支持 --fonts/, 'batch', 'notice', input, '-o', tmp(), '--queue', url, '--fonts', fonts],
      [/请用 --queue/, 'queue', 'status'],
    ] as [RegExp, ...string[]][]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^错误：/);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    }
  }, 60_000);
});
