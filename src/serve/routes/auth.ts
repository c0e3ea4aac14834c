import type { FastifyInstance } from 'fastify';
import { HttpError, userOf, type Desk } from '../context.js';

export const SESSION_COOKIE = 'bangban_session';

export async function authRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  app.post('/api/login', async (req, reply) => {
    const b = (req.body ?? {}) as { name?: unknown; password?: unknown };
    if (typeof b.name !== 'string' || typeof b.password !== 'string' || !b.name || !b.password) throw new HttpError(400, '请输入用户名和密码');
    const r = await desk.store.login(b.name.trim(), b.password);
    if (!r) {
      await desk.store.audit(b.name.slice(0, 40), 'login-failed', 'session');
      throw new HttpError(401, '用户名或密码错误');
    }
    await desk.store.audit(r.user.name, 'login', 'session');
    reply.setCookie(SESSION_COOKIE, r.token, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: 12 * 3600 });
    return { user: r.user };
  });

  app.post('/api/logout', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await desk.store.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', async (req) => ({ user: userOf(req) }));
}
