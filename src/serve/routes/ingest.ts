/**
 * Reading filled forms and scans back: upload (many at once) → parseForm in a worker → review
 * (page image beside the fields, needsReview flagged) → accept as a case, or reject with a reason.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { getKind } from '../../kinds/index.js';
import { validateRecord } from '../../core/records.js';
import { displayName, HttpError, sendFile, userOf, uuidParam, type Desk } from '../context.js';
import { inspectUpload, MEDIA_TYPES, sniff } from '../uploads.js';
import type { ParseOutcome } from '../worker.js';
import type { IngestRow } from '../store.js';
import { CASE_KIND } from './cases.js';

export async function ingestRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const { store } = desk;
  const folder = join(desk.dataDir, 'ingest');
  mkdirSync(folder, { recursive: true });
  const pathOf = (id: string) => join(folder, id);
  const itemOr404 = async (id: unknown) => {
    const i = await store.getIngest(uuidParam(id, '文件'));
    if (!i) throw new HttpError(404, '找不到该文件');
    return i;
  };

  /** One uploaded file: kept, refused with its reason, or read in a worker. */
  async function take(name: string, bytes: Buffer, user: string): Promise<IngestRow> {
    const id = randomUUID();
    const media = sniff(bytes) ?? 'unknown';
    await writeFile(pathOf(id), bytes);
    await store.createIngest({ id, fileName: name, media }, user);
    // the cheap checks here, so a refused file does not wait behind OCR; the worker checks again
    const refused = bytes.length > desk.limits.maxBytes || !['pdf', 'jpeg', 'png', 'tiff', 'webp'].includes(media) ? await inspectUpload(bytes, desk.limits) : undefined;
    const r: ParseOutcome = refused ? { ok: false, reason: refused } : await desk.engine.parse(pathOf(id), name, desk.limits);
    if (r.ok) await store.updateIngest(id, { status: 'parsed', kind: r.result.kind, result: r.result });
    else await store.updateIngest(id, { status: 'failed', reason: r.reason });
    return (await store.getIngest(id))!;
  }

  app.post('/api/ingest', async (req, reply) => {
    const user = userOf(req).name;
    const taken: Promise<IngestRow>[] = [];
    for await (const part of req.files()) {
      const bytes = await part.toBuffer();
      taken.push(take(displayName(part.filename), bytes, user));
    }
    if (!taken.length) throw new HttpError(400, '请选择要上传的文件');
    const items = await Promise.all(taken);
    await store.audit(user, 'ingest', 'ingest', `${items.length} 个文件`);
    return reply.code(201).send({ items });
  });

  app.get('/api/ingest', async () => (await store.ingests()).map(({ result, ...i }) => ({ ...i, valid: result?.valid ?? null, review: result?.needsReview?.length ?? 0 })));

  app.get('/api/ingest/:id', async (req) => ({ item: await itemOr404((req.params as any).id) }));

  /** The page image to show beside the fields: images turned upright as the reader found them; PDFs as they are. */
  app.get('/api/ingest/:id/image', async (req, reply) => {
    const i = await itemOr404((req.params as any).id);
    const bytes = await readFile(pathOf(i.id));
    if (i.media === 'pdf') return sendFile(reply, bytes, MEDIA_TYPES.pdf, 'scan.pdf', true);
    if (!['jpeg', 'png', 'tiff', 'webp'].includes(i.media)) throw new HttpError(404, '该文件没有可显示的图像');
    const { default: sharp } = await import('sharp');
    const turn = Number(i.result?.pages?.[0]?.rotation) || 0;
    try {
      const png = await sharp(bytes, { limitInputPixels: desk.limits.maxPixels }).rotate().rotate(turn).resize({ width: 1200, withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
      return sendFile(reply, png, 'image/jpeg', 'page.jpg', true);
    } catch {
      throw new HttpError(422, '图像无法显示（已损坏或过大）');
    }
  });

  app.post('/api/ingest/:id/accept', async (req, reply) => {
    const i = await itemOr404((req.params as any).id);
    if (i.status === 'accepted') return { item: i, caseId: i.caseId };
    if (i.status !== 'parsed') throw new HttpError(409, i.status === 'rejected' ? '该文件已退回' : '该文件没有读出表单，不能接收');
    if (i.kind !== CASE_KIND) throw new HttpError(400, `只有${getKind(CASE_KIND).title}可以接收为案件（该文件是${getKind(i.kind!).title}）`);
    const record = (req.body as any)?.record;
    if (!record || typeof record !== 'object' || Array.isArray(record)) throw new HttpError(400, '请求内容应为 { "record": { … } }');
    const v = validateRecord(getKind(CASE_KIND), record);
    if (!v.valid) throw new HttpError(422, '记录有误', v.errors);
    const user = userOf(req).name;
    const { row } = await store.createCase(record, 'complete', user, `ingest:${i.id}`);
    await store.updateIngest(i.id, { status: 'accepted', caseId: row.id, result: { ...i.result, record, corrected: true } });
    await store.audit(user, 'create', `case:${row.id}`, `由上传文件 ${i.fileName} 接收`);
    return reply.code(201).send({ item: await store.getIngest(i.id), caseId: row.id });
  });

  app.post('/api/ingest/:id/reject', async (req) => {
    const i = await itemOr404((req.params as any).id);
    const reason = (req.body as any)?.reason;
    if (typeof reason !== 'string' || !reason.trim() || reason.length > 500) throw new HttpError(400, '请填写退回原因（不超过 500 字）');
    if (i.status === 'accepted') throw new HttpError(409, '该文件已接收为案件');
    await store.updateIngest(i.id, { status: 'rejected', reason: reason.trim() });
    await store.audit(userOf(req).name, 'reject', `ingest:${i.id}`, reason.trim());
    return { item: await store.getIngest(i.id) };
  });
}
