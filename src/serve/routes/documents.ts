/** Kinds, their schemas, live validation and rendering a record into a file. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { allKinds, getKind } from '../../kinds/index.js';
import { validateRecord } from '../../core/records.js';
import { formats } from '../../render.js';
import { FORMAT_TYPES, HttpError, sendFile, userOf, type Desk } from '../context.js';
import type { Kind } from '../../core/kind.js';

export function kindParam(name: unknown): Kind {
  const k = allKinds().find((x) => x.name === name);
  if (!k) throw new HttpError(404, `不认识的文书类型“${String(name).slice(0, 40)}”，可用：${allKinds().map((x) => x.name).join('、')}`);
  return k;
}

export function formatParam(f: unknown): string {
  const name = String(f ?? 'pdf').toLowerCase();
  if (!formats[name]) throw new HttpError(400, `不支持的输出格式“${name.slice(0, 20)}”，可用：${Object.keys(formats).join('、')}`);
  return name;
}

/** Rendered files by content: the output is the same byte for byte for the same record, so a print preview and its download render once. */
class RenderCache {
  private map = new Map<string, Uint8Array>();
  private bytes = 0;
  constructor(private max = 64 * 1024 * 1024) {}
  key(kind: string, format: string, fillable: boolean, record: unknown): string {
    return createHash('sha256').update(`${kind}\0${format}\0${fillable}\0${JSON.stringify(record)}`).digest('hex');
  }
  get(k: string): Uint8Array | undefined {
    const v = this.map.get(k);
    if (v) (this.map.delete(k), this.map.set(k, v));
    return v;
  }
  set(k: string, v: Uint8Array): void {
    this.map.set(k, v);
    this.bytes += v.byteLength;
    for (const [old, b] of this.map) {
      if (this.bytes <= this.max) break;
      this.map.delete(old);
      this.bytes -= b.byteLength;
    }
  }
}

/**
 * Renders in a worker thread. Invalid → 422 with [{path, label, message}], the CLI's messages.
 * `record` null: the blank form.
 */
export function renderer(desk: Desk) {
  const cache = new RenderCache();
  return async (kind: Kind, record: unknown | null, format: string, fillable = false): Promise<Uint8Array> => {
    if (record === null && !kind.def.blankForm) throw new HttpError(400, `${kind.title}没有空白表`);
    const key = cache.key(kind.name, format, fillable, record);
    const hit = cache.get(key);
    if (hit) return hit;
    const r = await desk.engine.render({ op: 'render', kind: kind.name, record, format, fillable });
    if (!r.ok) throw r.errors ? new HttpError(422, r.message, r.errors) : new HttpError(400, r.message);
    // the thread's result is this thread's own copy already
    const bytes = r.bytes;
    cache.set(key, bytes);
    return bytes;
  };
}

export function fileName(kind: Kind, format: string, what = ''): string {
  return `${kind.title}${what ? `-${what}` : ''}.${format}`;
}

export async function documentRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const render = desk.file;

  app.get('/api/kinds', async () => allKinds().map((k) => ({ name: k.name, title: k.title, blankForm: k.def.blankForm, applicant: k.def.applicant ?? null })));

  app.get('/api/kinds/:kind/schema', async (req) => kindParam((req.params as any).kind).schema.schema);

  app.post('/api/validate/:kind', async (req) => validateRecord(kindParam((req.params as any).kind), req.body ?? {}));

  app.post('/api/documents/:kind', async (req, reply) => {
    const kind = kindParam((req.params as any).kind);
    const q = req.query as { format?: string; blank?: string; fillable?: string };
    const format = formatParam(q.format);
    const blank = q.blank === '1' || q.blank === 'true';
    const fillable = q.fillable === '1' || q.fillable === 'true';
    if (!blank && (req.body === undefined || req.body === null || typeof req.body !== 'object' || Array.isArray(req.body))) throw new HttpError(400, '请求内容应为一条 JSON 记录（对象）');
    const bytes = await render(kind, blank ? null : req.body, format, fillable);
    await desk.store.audit(userOf(req).name, 'print', kind.name, `${format}${blank ? ' 空白表' : ''}`);
    return sendFile(reply, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), FORMAT_TYPES[format], fileName(kind, format, blank ? '空白' : ''), (req.query as any).inline === '1');
  });
}

