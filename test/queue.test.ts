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
import { ROWS_PER_JOB } from '../src/queue/group.js';
import { readManifest } from '../src/batch/manifest.js';
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

  it(`${N} rows through 2 worker processes equal the local run byte for byte, in jobs of several rows, the bad row reported once and alone`, async () => {
    expect(local.summary).toEqual({ ok: N - 1, unchanged: 0, invalid: 1, failed: 0 });
    const workers = await Promise.all([startWorkerProcess(url, prefix), startWorkerProcess(url, prefix)]);
    try {
      let updates = 0;
      const r = await runBatch({ kind: 'notice', input, output: tmp(), executor: queueExecutor({ url, prefix }), progress: { start: (t) => expect(t).toBe(N), update: () => updates++, stop() {} } });
      expect(r.summary).toEqual(local.summary);
      expect(updates).toBe(N);
      expectSameOutput(local.folder, r.folder);
      // row 7 (no applicant) is invalid for its data, in the job of rows 1–8: only it
      const rows = readManifest(r.folder).rows;
      expect(rows.filter((x) => x.status !== 'ok').map((x) => [x.number, x.status])).toEqual([[7, 'invalid']]);
      expect(rows[6].errors.map((e) => e.path)).toContain('/applicant');
      // both workers took part, none retried anything; rows went ROWS_PER_JOB to a job
      // (workers report every 5 s: wait for their next report)
      let s = await queueStatus({ url, prefix });
      for (let t = 0; t < 70 && s.workers.reduce((n, w) => n + w.rows, 0) < N; t++) {
        await new Promise((res) => setTimeout(res, 100));
        s = await queueStatus({ url, prefix });
      }
      expect(s.workers).toHaveLength(2);
      expect(s.workers.every((w) => w.completed > 0 && w.retried === 0)).toBe(true);
      expect(s.workers.reduce((n, w) => n + w.rows, 0)).toBe(N);
      expect(s.workers.reduce((n, w) => n + w.completed, 0)).toBe(N / ROWS_PER_JOB);
      expect(s.queues).toHaveLength(1);
      expect(s.queues[0]).toMatchObject({ waiting: 0, active: 0, failed: 0, completed: N / ROWS_PER_JOB }); // kept by BullMQ, results collected
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
    const job = (i: number) => ({ id: `${batchId}-${i}`, name: 'render', data: { batchId, kind: 'notice', records: [0, 1].map((j) => ({ ...notice, applicant: { ...notice.applicant, name: `续传公司${i}-${j}` } })), formats: ['pdf'] } satisfies RenderJob });
    const first = await Submitter.open({ url, prefix, batchId });
    for (let i = 0; i < 5; i++) void first.submit(job(i), codec);
    await new Promise((r) => setTimeout(r, 300));
    await expect(Submitter.open({ url, prefix, batchId })).rejects.toThrow(/另一个提交进程/);
    await first.close(); // stops before any result came back
    const w = await startWorker({ url, prefix });
    try {
      for (let t = 0; t < 600 && w.stats.completed < 5; t++) await new Promise((r) => setTimeout(r, 100));
      expect(w.stats.completed).toBe(5);
      const second = await Submitter.open({ url, prefix, batchId, sweepMs: 200 });
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => second.submit(job(i), codec)));
      await second.close();
      expect(results.flat().map((r) => r.status)).toEqual(Array(10).fill('ok'));
      expect(w.stats).toMatchObject({ completed: 5, rows: 10 });
    } finally {
      await w.close();
    }
  }, 120_000);

  it('rows that keep failing (crash, heap over the cap, time limit) are retried, then reported once as failed rows, the rest of their job as it came', async () => {
    // a stand-in thread module: fails with an error, or fills its heap past the cap; it notes each call
    const dir = tmp();
    const stub = join(dir, 'stub.mjs');
    const calls = join(dir, 'calls.txt');
    writeFileSync(calls, '');
    writeFileSync(
      stub,
      `import { appendFileSync } from 'node:fs';
       export default async function (t) {
         const mode = t.task.record.mode;
         appendFileSync(${JSON.stringify(calls)}, mode + '\\n');
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
      // one job of five rows; the good ones are rendered once, whatever the others do
      const modes = ['ok', 'throw', 'oom', 'slow', 'ok2'];
      const data: RenderJob = { batchId, kind: 'notice', records: modes.map((mode) => ({ mode })), formats: ['pdf'] };
      const [ok, thrown, oom, slow, ok2] = await sub.submit({ id: `${batchId}-group`, name: 'render', data }, codec);
      for (const [r, mode] of [[ok, 'ok'], [ok2, 'ok2']] as const) {
        expect(r.status).toBe('ok');
        if (r.status === 'ok') expect(new TextDecoder().decode(r.rendered[0].bytes)).toBe(`%PDF-stub ${mode}`);
      }
      expect(thrown).toMatchObject({ status: 'failed', errors: [{ message: expect.stringMatching(/3 次尝试均未成功：处理出错：boom/) }] });
      expect(oom).toMatchObject({ status: 'failed', errors: [{ message: expect.stringMatching(/3 次尝试均未成功/) }] });
      expect(slow).toMatchObject({ status: 'failed', errors: [{ message: expect.stringMatching(/3 次尝试均未成功：处理超时（超过 1 秒）/) }] });
      expect(w.stats.retried).toBe(2); // attempts of the job, 3 in all
      const called = readFileSync(calls, 'utf8').trim().split('\n').sort();
      expect(called).toEqual(['ok', 'ok2', 'oom', 'oom', 'oom', 'slow', 'slow', 'slow', 'throw', 'throw', 'throw']);
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
