/** Batches from a spreadsheet: upload and check (row problems by number and label), run with live progress, download. */
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import archiver from 'archiver';
import { HttpError, sendFile, userOf, uuidParam, type Desk } from '../context.js';
import { sniff } from '../uploads.js';
import type { PreviewOutcome } from '../worker.js';
import { kindParam } from './documents.js';
import type { BatchRow } from '../store.js';

/** The input's extension for the batch reader, from the file's content. */
function inputExt(bytes: Buffer): string {
  const media = sniff(bytes);
  if (media === 'xlsx') return '.xlsx';
  if (media !== 'text') throw new HttpError(415, '批量数据应为 Excel（.xlsx）、CSV 或 JSON Lines 文件（按内容判断，与文件名无关）');
  const text = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return '.json';
  if (text.startsWith('{')) return '.jsonl';
  return '.csv';
}

const DOWNLOADS: Record<string, { file: string; type: string; name: (b: BatchRow) => string }> = {
  merged: { file: 'merged.pdf', type: 'application/pdf', name: () => '合并打印.pdf' },
  'manifest-csv': { file: 'manifest.csv', type: 'text/csv; charset=utf-8', name: () => '清单.csv' },
  'manifest-json': { file: 'manifest.json', type: 'application/json', name: () => '清单.json' },
};

export async function batchRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const { store, runner } = desk;
  const batchOr404 = async (id: unknown) => {
    const b = await store.getBatch(uuidParam(id, '批量任务'));
    if (!b) throw new HttpError(404, '找不到该批量任务');
    return b;
  };
  const view = (b: BatchRow) => ({ ...b, ...(runner.state(b.id) ?? {}) });

  app.get('/api/batches', async () => (await store.batches()).map(view));

  app.post('/api/batches', async (req, reply) => {
    const kind = kindParam((req.query as any).kind);
    const part = await req.file();
    if (!part) throw new HttpError(400, '请选择要上传的数据文件');
    const bytes = await part.toBuffer();
    if (!bytes.length) throw new HttpError(400, '上传的文件是空的');
    const ext = inputExt(bytes);
    const id = randomUUID();
    const folder = runner.folder(id);
    mkdirSync(folder, { recursive: true });
    const input = join(folder, `input${ext}`);
    await writeFile(input, bytes);
    const check = await desk.engine.slow<PreviewOutcome>({ op: 'preview', kind: kind.name, file: input, maxProblems: 200 });
    if (!check.ok) {
      rmSync(folder, { recursive: true, force: true });
      throw new HttpError(400, check.message ?? '无法读取数据文件');
    }
    if (!check.total) {
      rmSync(folder, { recursive: true, force: true });
      throw new HttpError(400, '数据文件中没有记录');
    }
    const name = String(part.filename ?? '').split(/[\\/]/).pop()!.replace(/[\0-\x1f]/g, '').slice(0, 120) || `数据${ext}`;
    await store.createBatch({ id, kind: kind.name, fileName: name, inputExt: ext, total: check.total, result: { check } }, userOf(req).name);
    await store.audit(userOf(req).name, 'create', `batch:${id}`, `${kind.title} ${check.total} 条`);
    return reply.code(201).send({ batch: view((await store.getBatch(id))!) });
  });

  app.get('/api/batches/:id', async (req) => ({ batch: view(await batchOr404((req.params as any).id)) }));

  app.post('/api/batches/:id/run', async (req) => {
    const b = await batchOr404((req.params as any).id);
    if (b.status === 'done') throw new HttpError(409, '该批量任务已完成');
    if (!runner.isRunning(b.id)) {
      await runner.start(b.id, b.kind, b.inputExt, b.total);
      await store.audit(userOf(req).name, b.status === 'checked' ? 'print' : 'resume', `batch:${b.id}`, `${b.total} 条`);
    }
    return { batch: view((await store.getBatch(b.id))!) };
  });

  app.post('/api/batches/:id/stop', async (req) => {
    const b = await batchOr404((req.params as any).id);
    runner.stop(b.id);
    return { ok: true };
  });

  /** Server-sent events: { status, done, total } until the batch ends. */
  app.get('/api/batches/:id/events', async (req, reply) => {
    const b = await batchOr404((req.params as any).id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Content-Type-Options': 'nosniff' });
    const send = (s: object) => res.write(`data: ${JSON.stringify(s)}\n\n`);
    const live = runner.state(b.id);
    if (!live) {
      send({ status: b.status, done: b.done, total: b.total, error: b.error });
      return res.end();
    }
    send(live);
    const off = runner.listen(b.id, (s) => {
      send(s);
      if (s.status !== 'running') (off(), res.end());
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15000);
    req.raw.on('close', () => (off(), clearInterval(ping)));
  });

  app.get('/api/batches/:id/download/:what', async (req, reply) => {
    const b = await batchOr404((req.params as any).id);
    if (b.status !== 'done') throw new HttpError(409, '批量任务尚未完成');
    const what = String((req.params as any).what);
    const out = join(runner.folder(b.id), 'out');
    await store.audit(userOf(req).name, 'download', `batch:${b.id}`, what);
    if (what === 'zip') {
      const zip = archiver('zip', { zlib: { level: 1 } });
      zip.directory(out, false);
      void zip.finalize();
      return sendFile(reply, zip, 'application/zip', `批量文书-${b.createdAt.slice(0, 10)}.zip`);
    }
    const d = DOWNLOADS[what];
    if (!d || !existsSync(join(out, d.file))) throw new HttpError(404, '没有这个文件');
    return sendFile(reply, createReadStream(join(out, d.file)), d.type, d.name(b));
  });
}
