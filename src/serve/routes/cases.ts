/** Cases (an application and what was issued for it), their letters and the numbered notice. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getKind } from '../../kinds/index.js';
import { validateRecord } from '../../core/records.js';
import { FORMAT_TYPES, HttpError, intParam, maskId, requireAdmin, sendFile, userOf, type Desk } from '../context.js';
import { CASE_STATUS, type CaseStatus } from '../store.js';
import { fileName, formatParam, kindParam } from './documents.js';

/** A case is an application (附件2); letters are issued from it. */
export const CASE_KIND = 'application';
/** The letter whose 文号 comes from the per-year sequence. */
export const NUMBERED_KIND = 'notice';

/** A client's key for one submission of a form: the same key twice is one submission (double submit). */
export function requestKey(req: FastifyRequest): string | undefined {
  const k = req.headers['idempotency-key'];
  if (k === undefined) return undefined;
  if (typeof k !== 'string' || !/^[\w-]{8,80}$/.test(k)) throw new HttpError(400, 'Idempotency-Key 应为 8–80 个字母、数字、- 或 _');
  return `${userOf(req).id}:${k}`;
}

function recordBody(req: FastifyRequest): Record<string, unknown> {
  const b = req.body as { record?: unknown } | undefined;
  const r = b?.record;
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new HttpError(400, '请求内容应为 { "record": { … } }');
  return r as Record<string, unknown>;
}

const statusOf = (record: unknown): CaseStatus => (validateRecord(getKind(CASE_KIND), record).valid ? 'complete' : 'draft');

export async function caseRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const { store } = desk;
  const caseOr404 = async (id: unknown) => {
    const c = await store.getCase(intParam(id, '案件'));
    if (!c) throw new HttpError(404, '找不到该案件');
    return c;
  };

  app.get('/api/cases', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const date = (d?: string) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : undefined);
    if (q.status && !(q.status in CASE_STATUS)) throw new HttpError(400, `状态应为 ${Object.keys(CASE_STATUS).join('、')}`);
    const r = await store.listCases({ q: q.q?.slice(0, 100), status: q.status, from: date(q.from), to: date(q.to), page: Number(q.page) || 1, size: Number(q.size) || 20 });
    return {
      ...r,
      statuses: CASE_STATUS,
      rows: r.rows.map(({ record, ...c }) => ({ ...c, handler: (record as any)?.handler?.name ?? '', serviceItem: (record as any)?.serviceItem ?? '', trusteeId: maskId(c.trusteeId) })),
    };
  });

  app.post('/api/cases', async (req, reply) => {
    const record = recordBody(req);
    const user = userOf(req).name;
    const { row, created } = await store.createCase(record, statusOf(record), user, requestKey(req));
    if (created) await store.audit(user, 'create', `case:${row.id}`, row.applicantName);
    return reply.code(created ? 201 : 200).send({ case: row, validation: validateRecord(getKind(CASE_KIND), record) });
  });

  app.get('/api/cases/:id', async (req) => {
    const c = await caseOr404((req.params as any).id);
    return { case: c, documents: await store.documents(c.id), validation: validateRecord(getKind(CASE_KIND), c.record), statuses: CASE_STATUS };
  });

  app.put('/api/cases/:id', async (req) => {
    const c = await caseOr404((req.params as any).id);
    const record = recordBody(req);
    const status = c.status === 'notified' ? 'notified' : statusOf(record);
    const row = await store.updateCase(c.id, record, status);
    await store.audit(userOf(req).name, 'update', `case:${c.id}`, row!.applicantName);
    return { case: row, validation: validateRecord(getKind(CASE_KIND), record) };
  });

  app.delete('/api/cases/:id', async (req) => {
    requireAdmin(req);
    const c = await caseOr404((req.params as any).id);
    await store.deleteCase(c.id);
    await store.audit(userOf(req).name, 'delete', `case:${c.id}`, c.applicantName);
    return { ok: true };
  });

  app.get('/api/cases/:id/file', async (req, reply) => {
    const c = await caseOr404((req.params as any).id);
    const format = formatParam((req.query as any).format);
    const kind = getKind(CASE_KIND);
    const bytes = await desk.file(kind, c.record, format);
    await store.audit(userOf(req).name, 'print', `case:${c.id}`, `${kind.title} ${format}`);
    return sendFile(reply, Buffer.from(bytes), FORMAT_TYPES[format], fileName(kind, format, c.applicantName), (req.query as any).inline === '1');
  });

  /** A letter's fields taken from the case's application (the kind's declared prefill). */
  app.get('/api/cases/:id/prefill/:kind', async (req) => {
    const c = await caseOr404((req.params as any).id);
    const kind = kindParam((req.params as any).kind);
    const from = kind.def.prefill?.[CASE_KIND];
    if (kind.name === NUMBERED_KIND) return { record: noticeBase(c.record) };
    if (!from) throw new HttpError(400, `${kind.title}不能由申请表预填`);
    return { record: from(c.record) };
  });

  app.post('/api/cases/:id/documents/:kind', async (req, reply) => {
    const c = await caseOr404((req.params as any).id);
    const kind = kindParam((req.params as any).kind);
    if (kind.name === CASE_KIND) throw new HttpError(400, '申请表就是案件本身，请直接保存案件');
    const user = userOf(req).name;
    const key = requestKey(req);
    let record = recordBody(req);
    let result;
    if (kind.name === NUMBERED_KIND) {
      const year = yearOf(record);
      const number = (n: number | string) => `${desk.noticePrefix}〔${year}〕${n}号`;
      // checked (and rendered once, which also finds characters the font lacks) before a number is taken, so a refusal leaves no gap
      // the applicant and the service item are the case's unless the request names them
      record = { ...noticeBase(c.record), ...record, docNumber: number(1) };
      await desk.file(kind, record, 'pdf');
      const base = record;
      result = await store.issueNumbered(c.id, kind.name, year, (seq) => ({ docNumber: number(seq), record: { ...base, docNumber: number(seq) } }), user, key);
    } else {
      await desk.file(kind, record, 'pdf');
      result = await store.addDocument(c.id, kind.name, record, user, key);
    }
    if (result.created) await store.audit(user, 'create', `document:${result.row.id}`, `${kind.title}${result.row.docNumber ? ` ${result.row.docNumber}` : ''}（案件 ${c.id}）`);
    return reply.code(result.created ? 201 : 200).send({ document: result.row });
  });

  app.get('/api/letters/:id/file', async (req, reply) => {
    const d = await store.getDocument(intParam((req.params as any).id, '文书'));
    if (!d) throw new HttpError(404, '找不到该文书');
    const format = formatParam((req.query as any).format);
    const kind = getKind(d.kind);
    const bytes = await desk.file(kind, d.record, format);
    await store.audit(userOf(req).name, 'print', `document:${d.id}`, `${kind.title} ${format}`);
    return sendFile(reply, Buffer.from(bytes), FORMAT_TYPES[format], fileName(kind, format, d.docNumber ?? String(d.id)), (req.query as any).inline === '1');
  });
}

/** The year of the notice's 成文日期 (its sequence), this year when not given yet. */
function yearOf(record: Record<string, unknown>): number {
  const m = /^(\d{4})-/.exec(String(record.issueDate ?? ''));
  return m ? Number(m[1]) : new Date().getFullYear();
}

/** What a notice takes from the application: the applicant and the service item. */
function noticeBase(app: any): Record<string, unknown> {
  const applicant: Record<string, unknown> = { name: app?.applicant?.name };
  if (app?.applicant?.creditCode) applicant.creditCode = app.applicant.creditCode;
  return JSON.parse(JSON.stringify({ applicant, serviceItem: app?.serviceItem, receivedDate: app?.applicationDate }));
}
