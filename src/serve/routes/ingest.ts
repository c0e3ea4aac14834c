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
import { displayName, HttpError, intParam, sendFile, userOf, uuidParam, type Desk } from '../context.js';
import { getAt } from '../../core/pointer.js';
import type { Kind } from '../../core/kind.js';
import { inspectUpload, MEDIA_TYPES, sniff } from '../uploads.js';
import type { PageOutcome, ParseOutcome } from '../worker.js';
import { writeFileAtomicSync } from '../../core/atomic.js';
import type { CaseRow, IngestRow } from '../store.js';
import { CASE_KIND } from './cases.js';

/** The applicant a record names (the kind's declared place), if any. */
function applicantOf(kind: Kind, record: unknown): { name?: string; creditCode?: string } | undefined {
  const a = kind.def.applicant ? (getAt(record, kind.def.applicant) as { name?: unknown; creditCode?: unknown } | undefined) : undefined;
  if (!a || typeof a !== 'object') return undefined;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return { name: text(a.name), creditCode: text(a.creditCode)?.toUpperCase() };
}

export async function ingestRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const { store } = desk;
  const folder = join(desk.dataDir, 'ingest');
  mkdirSync(folder, { recursive: true });
  const pathOf = (id: string) => join(folder, id);
  const pageFolder = join(desk.dataDir, 'pages');
  mkdirSync(pageFolder, { recursive: true });
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
    const r: ParseOutcome = refused ? { ok: false, reason: refused } : await desk.engine.parse(pathOf(id), name, desk.limits, join(pageFolder, id));
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

  /** A page of the file as a JPEG: as the reader saw it (kept by the parse), else made once on a render thread; kept under the file's id. */
  async function page(i: IngestRow, n: number): Promise<Buffer> {
    if (i.status === 'failed' || !['pdf', 'jpeg', 'png', 'tiff', 'webp'].includes(i.media)) throw new HttpError(404, '该文件没有可显示的图像');
    const cached = join(pageFolder, `${i.id}-${n}.jpg`);
    try {
      return await readFile(cached);
    } catch {
      const rotation = Number(i.result?.pages?.[n - 1]?.rotation) || 0;
      const r = await desk.engine.quick<PageOutcome>({ op: 'page', file: pathOf(i.id), media: i.media, page: n, rotation, limits: desk.limits });
      if (!r.ok) throw new HttpError(404, r.message);
      const bytes = Buffer.from(r.bytes);
      writeFileAtomicSync(cached, bytes);
      return bytes;
    }
  }

  app.get('/api/ingest/:id/pages/:n', async (req, reply) => {
    const i = await itemOr404((req.params as any).id);
    return sendFile(reply, await page(i, intParam((req.params as any).n, '页')), 'image/jpeg', 'page.jpg', true);
  });

  /** The part of its page a field was read from (its box, with a margin), for the review beside the field. */
  app.get('/api/ingest/:id/crop', async (req, reply) => {
    const i = await itemOr404((req.params as any).id);
    const pointer = String((req.query as any).field ?? '');
    const info = i.result?.fields?.[pointer];
    const box = info?.box;
    const valid = box && ['x', 'y', 'w', 'h'].every((k) => typeof box[k] === 'number' && box[k] >= 0 && box[k] <= 1) && box.w > 0 && box.h > 0;
    if (!valid) throw new HttpError(404, '该项没有原件中的位置');
    const image = await page(i, Number(info.page) || 1);
    const { default: sharp } = await import('sharp');
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const margin = 0.01;
    const left = Math.max(0, Math.floor((box.x - margin) * width));
    const top = Math.max(0, Math.floor((box.y - margin) * height));
    const right = Math.min(width, Math.ceil((box.x + box.w + margin) * width));
    const bottom = Math.min(height, Math.ceil((box.y + box.h + margin) * height));
    if (right - left < 1 || bottom - top < 1) throw new HttpError(404, '该项没有原件中的位置');
    const crop = await sharp(image).extract({ left, top, width: right - left, height: bottom - top }).jpeg({ quality: 85 }).toBuffer();
    return sendFile(reply, crop, 'image/jpeg', 'crop.jpg', true);
  });

  /**
   * Accept a reviewed form: it goes to the case of its applicant. `caseId` names the case, `newCase`
   * asks for a new one; otherwise the case with the same 统一社会信用代码 is taken when there is one,
   * an application with none makes a new case, and anything else is 409 with the cases to pick from.
   */
  const accepting = new Map<string, Promise<unknown>>();
  app.post('/api/ingest/:id/accept', async (req, reply) => {
    const id = uuidParam((req.params as any).id, '文件');
    // one accept of a file at a time (a double click): the second sees the first one's outcome
    const before = accepting.get(id) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => accept(id, req.body as any, userOf(req).name));
    accepting.set(id, mine);
    try {
      const r = await mine;
      return reply.code(r.created ? 201 : 200).send(r.body);
    } finally {
      if (accepting.get(id) === mine) accepting.delete(id);
    }
  });

  async function accept(id: string, body: { record?: unknown; caseId?: unknown; newCase?: unknown } | undefined, user: string) {
    const i = await itemOr404(id);
    if (i.status === 'accepted') return { created: false, body: { item: i, caseId: i.caseId } };
    if (i.status !== 'parsed') throw new HttpError(409, i.status === 'rejected' ? '该文件已退回' : '该文件没有读出表单，不能接收');
    const record = body?.record;
    if (!record || typeof record !== 'object' || Array.isArray(record)) throw new HttpError(400, '请求内容应为 { "record": { … } }');
    const kind = getKind(i.kind!);
    const v = validateRecord(kind, record);
    if (!v.valid) throw new HttpError(422, '记录有误', v.errors);
    const applicant = applicantOf(kind, record);
    const key = `ingest:${i.id}`;
    let target: CaseRow | undefined;
    let created = false;
    if (body?.caseId !== undefined && body.caseId !== null) {
      target = await store.getCase(intParam(body.caseId, '案件'));
      if (!target) throw new HttpError(404, '找不到该案件');
    } else if (body?.newCase !== true) {
      const same = applicant?.creditCode ? await store.casesByCreditCode(applicant.creditCode) : [];
      if (same.length === 1) target = same[0];
      else if (same.length > 1 || kind.name !== CASE_KIND) {
        const candidates = same.length ? same : applicant?.name ? (await store.listCases({ q: applicant.name, size: 20 })).rows : [];
        throw new HttpError(409, same.length ? `统一社会信用代码 ${applicant!.creditCode} 有 ${same.length} 个案件，请选择归入哪一个，或新建案件` : '没有找到同一申请单位（统一社会信用代码）的案件，请选择案件或新建案件', {
          error: same.length ? '同一申请单位有多个案件，请选择' : '没有找到同一申请单位的案件，请选择案件或新建案件',
          applicant: applicant ?? null,
          candidates: candidates.map((c) => ({ id: c.id, applicantName: c.applicantName, creditCode: c.creditCode, applicationDate: c.applicationDate, status: c.status })),
        });
      }
    }
    let documentId: number | null = null;
    if (!target) {
      // a new case: the application itself, or a draft naming the applicant of the letter
      const caseRecord = kind.name === CASE_KIND ? record : { applicant: { ...(applicant?.name ? { name: applicant.name } : {}), ...(applicant?.creditCode ? { creditCode: applicant.creditCode } : {}) } };
      const made = await store.createCase(caseRecord, kind.name === CASE_KIND ? 'complete' : 'draft', user, key);
      target = made.row;
      created = made.created;
      if (made.created) await store.audit(user, 'create', `case:${target.id}`, `由上传文件 ${i.fileName} 接收${kind.name === CASE_KIND ? '' : `（${kind.title}）`}`);
    }
    // an application that made its case is the case; everything else is attached to it
    const isTheCase = kind.name === CASE_KIND && (await store.caseByRequestKey(key))?.id === target.id;
    if (!isTheCase) {
      const docNumber = typeof (record as any).docNumber === 'string' ? (record as any).docNumber : undefined;
      const d = await store.addDocument(target.id, kind.name, record, user, key, { ingestId: i.id, docNumber });
      documentId = d.row.id;
      if (d.created) (created = true), await store.audit(user, 'attach', `case:${target.id}`, `${kind.title}（上传文件 ${i.fileName}，文书 ${d.row.id}）`);
    }
    await store.updateIngest(i.id, { status: 'accepted', caseId: target.id, result: { ...i.result, record, corrected: true } });
    return { created, body: { item: await store.getIngest(i.id), caseId: target.id, documentId } };
  }

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
