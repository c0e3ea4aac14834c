/** The materials list staff pick from, the audit log and the staff list. */
import type { FastifyInstance } from 'fastify';
import { HttpError, intParam, requireAdmin, userOf, type Desk } from '../context.js';
import { queueName } from '../../queue/connection.js';
import { queueStatus } from '../../queue/status.js';

function text(v: unknown, label: string, max: number, required: boolean): string | null {
  if (v === undefined || v === null || v === '') {
    if (required) throw new HttpError(422, `${label}：必填`, [{ path: '', label, message: '必填' }]);
    return null;
  }
  if (typeof v !== 'string' || v.length > max) throw new HttpError(422, `${label}：应为不超过 ${max} 个字的文字`, [{ path: '', label, message: `应为不超过 ${max} 个字的文字` }]);
  return v.trim();
}

export async function adminRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const { store, engine } = desk;
  /** Where renders and reading happen; in queue mode the queue's jobs and its workers (`bangban queue status`). */
  app.get('/api/status', async () => {
    const base = { mode: engine.mode, describe: engine.describe };
    if (!engine.queue) return base;
    try {
      return { ...base, queue: { prefix: engine.queue.prefix, name: queueName(), ...(await queueStatus(engine.queue)) } };
    } catch (e) {
      return { ...base, queue: { prefix: engine.queue.prefix, name: queueName(), error: (e as Error).message } };
    }
  });
  app.get('/api/materials', async () => store.materials());
  app.post('/api/materials', async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const copies = b.copies === undefined || b.copies === null || b.copies === '' ? null : Number(b.copies);
    if (copies !== null && !(Number.isInteger(copies) && copies > 0 && copies < 1000)) throw new HttpError(422, '份数应为正整数');
    const m = await store.addMaterial({ name: text(b.name, '材料名称', 200, true)!, copies, requirement: text(b.requirement, '要求', 200, false), howToObtain: text(b.howToObtain, '补齐途径或方法', 200, true)! });
    await store.audit(userOf(req).name, 'create', `material:${m.id}`, m.name);
    return reply.code(201).send(m);
  });
  app.delete('/api/materials/:id', async (req) => {
    const id = intParam((req.params as any).id, '材料');
    if (!(await store.deleteMaterial(id))) throw new HttpError(404, '找不到该材料');
    await store.audit(userOf(req).name, 'delete', `material:${id}`);
    return { ok: true };
  });
  app.get('/api/audit', async (req) => {
    requireAdmin(req);
    const q = req.query as { page?: string };
    return store.auditLog(Math.max(1, Number(q.page) || 1));
  });
  app.get('/api/users', async (req) => {
    requireAdmin(req);
    return store.users();
  });
}
