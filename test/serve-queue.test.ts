/**
 * The desk with REDIS_URL (issue 16): single renders, batches and reading uploads are done by a
 * `bangban worker` process through the queue, with the same results as the desk's local mode.
 * Against the real Redis at 127.0.0.1:6379, under a queue prefix of this run's own.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, serve, startDesk, type Client } from './helpers/desk.js';
import { dropPrefix, requireRedis, SHARED_REDIS, startWorkerProcess, stop, uniquePrefix } from './helpers/queue.js';

const root = new URL('..', import.meta.url).pathname;
const fixture = (p: string) => JSON.parse(readFileSync(join(root, 'fixtures', p), 'utf8'));
const app = fixture('application/typical.json');
const notice = fixture('notice/one-material.json');
const bin = join(root, 'bin/bangban.js');
const available = await requireRedis();

const noticeRows = (n: number, bad: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ ...notice, docNumber: `宛环审告〔2026〕${i + 1}号`, contact: i + 1 === bad ? { name: '李智斌', phone: '123' } : notice.contact })).join('\n');

function form(name: string, bytes: Uint8Array | string, field: string): FormData {
  const fd = new FormData();
  fd.append(field, new Blob([bytes]), name);
  return fd;
}

async function runBatch(c: Client, rows: string) {
  const b = (await c.json('/api/batches?kind=notice', { method: 'POST', body: form('告知书.jsonl', rows, 'file') })).body.batch;
  expect((await c.json(`/api/batches/${b.id}/run`, { method: 'POST' })).status).toBe(200);
  let st = b;
  for (let i = 0; i < 600 && !['done', 'failed', 'interrupted'].includes(st.status); i++) {
    await new Promise((r) => setTimeout(r, 200));
    st = (await c.json(`/api/batches/${b.id}`)).body.batch;
  }
  return st;
}

/** What a batch wrote, without the paths of its own folder (each desk keeps its input in a folder of its own). */
function outputs(dataDir: string, id: string) {
  const out = join(dataDir, 'batches', id, 'out');
  const files = readdirSync(out).filter((f) => f.endsWith('.pdf')).sort();
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8').split(join(dataDir, 'batches', id)).join('<folder>'));
  return { files, bytes: files.map((f) => readFileSync(join(out, f))), manifest };
}

describe.skipIf(!available)('the desk with REDIS_URL uses the queue', () => {
  const prefix = uniquePrefix();
  const data = mkdtempSync(join(tmpdir(), 'bangban-desk-queue-'));
  let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
  let queued: Awaited<ReturnType<typeof serve>>;
  let local: Awaited<ReturnType<typeof startDesk>>;
  let q: Client;
  let l: Client;
  // rows, not jobs: a batch groups several rows into one job
  const completed = async () => (await q.json('/api/status')).body.queue.workers.reduce((n: number, w: any) => n + w.rows, 0);
  /** Rows the worker has done, after its next heartbeat (every 5 s) has published the count. */
  const settled = async () => {
    await new Promise((r) => setTimeout(r, 5_500));
    return completed();
  };

  beforeAll(async () => {
    const add = spawnSync(process.execPath, [bin, 'user', 'add', 'staff', '--data', data], { input: 'staff-pass-1\n', encoding: 'utf8' });
    expect(add.status).toBe(0);
    worker = await startWorkerProcess(SHARED_REDIS, prefix);
    queued = await serve(data, { ...process.env, REDIS_URL: SHARED_REDIS, BANGBAN_QUEUE_PREFIX: prefix });
    local = await startDesk();
    q = client(queued.base);
    expect((await q.json('/api/login', { method: 'POST', json: { name: 'staff', password: 'staff-pass-1' } })).status).toBe(200);
    l = await local.login();
  }, 60_000);
  afterAll(async () => {
    if (queued) await stop(queued.proc);
    if (worker) await stop(worker);
    await local?.close();
    rmSync(data, { recursive: true, force: true });
    await dropPrefix(prefix);
  });

  it('says so at start and in /api/status; the local desk says it works here', async () => {
    expect(queued.out).toMatch(/生成与识别：队列 redis:\/\/127\.0\.0\.1:6379（前缀 bbtest-/);
    const s = (await q.json('/api/status')).body;
    expect(s.mode).toBe('queue');
    expect(s.queue.prefix).toBe(prefix);
    expect(s.queue.workers).toHaveLength(1);
    expect((await l.json('/api/status')).body).toMatchObject({ mode: 'local' });
    expect((await l.json('/api/status')).body.queue).toBeUndefined();
  });

  it('a document is rendered by the worker, byte for byte as the local desk renders it; an invalid record is the same 422', async () => {
    const before = await settled();
    const record = { ...app, applicant: { ...app.applicant, name: `南阳市队列测试${Date.now()}有限公司` } };
    const a = await q.fetch('/api/documents/application?format=pdf', { method: 'POST', json: record });
    expect(a.status).toBe(200);
    const b = await l.fetch('/api/documents/application?format=pdf', { method: 'POST', json: record });
    expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).toBe(true);
    expect(await settled()).toBe(before + 1);
    const docx = await q.fetch('/api/documents/notice?format=docx', { method: 'POST', json: notice });
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    const wrong = { ...app, applicant: { ...app.applicant, creditCode: '91411300MA44ABCD5K' } };
    const bad = await q.json('/api/documents/application?format=pdf', { method: 'POST', json: wrong });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual((await l.json('/api/documents/application?format=pdf', { method: 'POST', json: wrong })).body);
    // a blank form is not a worker's job: made by the desk itself
    expect((await q.fetch('/api/documents/authorization?format=pdf&blank=1', { method: 'POST' })).status).toBe(200);
  }, 60_000);

  it('a batch is rendered by the worker: the same files and manifest as the local run', async () => {
    const before = await settled();
    const rows = noticeRows(12, 5);
    const [a, b] = await Promise.all([runBatch(q, rows), runBatch(l, rows)]);
    expect(a.status).toBe('done');
    expect(a.result.summary).toMatchObject({ ok: 11, invalid: 1 });
    expect(a.result.summary).toEqual(b.result.summary);
    const qa = outputs(data, a.id);
    const la = outputs(local.dataDir, b.id);
    expect(qa.files).toHaveLength(12); // 11 notices and the merged print file
    expect(qa.files).toEqual(la.files);
    for (const [i, f] of qa.files.entries()) expect(qa.bytes[i].equals(la.bytes[i]), f).toBe(true);
    expect(qa.manifest).toEqual(la.manifest);
    expect(await settled()).toBe(before + 12);
  }, 120_000);

  it('an uploaded form is read by the worker, with the local result; accepted, it becomes a case', async () => {
    const pdf = new Uint8Array(await (await l.fetch('/api/documents/application?format=pdf', { method: 'POST', json: app })).arrayBuffer());
    const before = await settled();
    const [a, b] = await Promise.all([q, l].map(async (c) => (await c.json('/api/ingest', { method: 'POST', body: form('申请表.pdf', pdf, 'files') })).body.items[0]));
    expect(a.status).toBe('parsed');
    expect(a.result).toEqual(b.result);
    expect(a.result.record).toEqual(app);
    expect(await settled()).toBe(before + 1);
    // a file that is not a form is refused here, before it reaches the queue
    const lie = (await q.json('/api/ingest', { method: 'POST', body: form('scan.pdf', 'not a pdf', 'files') })).body.items[0];
    expect(lie).toMatchObject({ status: 'failed' });
    expect(lie.reason).toMatch(/文件内容不是 PDF 或图像/);
    expect(await settled()).toBe(before + 1);
    const acc = await q.json(`/api/ingest/${a.id}/accept`, { method: 'POST', json: { record: app } });
    expect(acc.status).toBe(201);
    expect((await q.json(`/api/cases/${acc.body.caseId}`)).body.case.record).toEqual(app);
  }, 60_000);
});

describe.skipIf(!available)('REDIS_URL set but no Redis answers', () => {
  it('the desk does not start, and says why in Chinese', async () => {
    const data = mkdtempSync(join(tmpdir(), 'bangban-desk-noredis-'));
    try {
      const r = spawnSync(process.execPath, [bin, 'serve', '--port', '0', '--data', data], { env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' }, encoding: 'utf8', timeout: 30_000 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/REDIS_URL 已设置，但无法连接队列 redis:\/\/127\.0\.0\.1:1/);
      expect(r.stderr).toMatch(/请先启动 Redis/);
      expect(r.stdout).not.toMatch(/已启动/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 40_000);
});
