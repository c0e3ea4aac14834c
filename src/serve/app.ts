/**
 * The staff desk's HTTP server (fastify): the JSON API under /api, the pages from web/. Sessions in
 * HttpOnly SameSite=Strict cookies; a state-changing request from another origin is refused (403).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { packageRoot } from '../core/paths.js';
import { openDb } from './db.js';
import { Store } from './store.js';
import { BatchRunner } from './batches.js';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './uploads.js';
import { HttpError, type Desk } from './context.js';
import { openEngine, type Engine } from './engine.js';
import { authRoutes, SESSION_COOKIE } from './routes/auth.js';
import { documentRoutes, renderer } from './routes/documents.js';
import { caseRoutes } from './routes/cases.js';
import { batchRoutes } from './routes/batches.js';
import { ingestRoutes } from './routes/ingest.js';
import { adminRoutes } from './routes/admin.js';

export interface ServeOptions {
  dataDir: string;
  databaseUrl?: string;
  limits?: Partial<UploadLimits>;
  noticePrefix?: string;
  /** Render threads (default: one per core; one in queue mode). */
  renderThreads?: number;
  /** REDIS_URL: renders, batches and reading go to the queue's workers (src/queue). */
  redisUrl?: string;
  logger?: boolean;
}

export interface DeskServer {
  app: FastifyInstance;
  store: Store;
  engine: Engine;
  close(): Promise<void>;
}

const JSON_LIMIT = 1024 * 1024;
const STATIC_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };
const CSP = "default-src 'self'; img-src 'self' blob: data:; frame-src 'self' blob:; object-src 'self' blob:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/** The pages: every file of web/ read once at start and served by its exact name; no request path reaches the disk. */
function pages(): Map<string, { type: string; body: Buffer; etag: string }> {
  const dir = join(packageRoot, 'web');
  const files = new Map<string, { type: string; body: Buffer; etag: string }>();
  for (const name of readdirSync(dir)) {
    const type = STATIC_TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    files.set(`/${name}`, { type, body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` });
  }
  files.set('/', files.get('/index.html')!);
  return files;
}

/** Chinese messages for fastify's own refusals. */
function frameworkError(e: any): HttpError | undefined {
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, '请求内容不是有效的 JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, `请求内容过大（上限 ${JSON_LIMIT / 1024} KB）`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, '不支持的请求内容类型，请用 application/json 或 multipart/form-data');
    case 'FST_REQ_FILE_TOO_LARGE':
      return new HttpError(413, '上传文件过大');
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new HttpError(413, '一次上传的文件过多');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new HttpError(400, '请用 multipart/form-data 上传文件');
  }
  return undefined;
}

export async function createDesk(o: ServeOptions): Promise<DeskServer> {
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // the queue first: a Redis that does not answer stops the start before anything is opened
  const engine = await openEngine({ renderThreads: o.renderThreads, redisUrl: o.redisUrl });
  let store: Store;
  try {
    store = await Store.open(await openDb({ dataDir, databaseUrl: o.databaseUrl }));
  } catch (e) {
    await engine.close();
    throw e;
  }
  await store.interruptRunning();
  await store.failQueuedIngests();
  const runner = new BatchRunner(store, dataDir, engine.queue);
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...o.limits };
  const desk = {
    store,
    runner,
    dataDir,
    limits,
    noticePrefix: o.noticePrefix ?? '宛环审告',
    engine,
  } as Desk;
  desk.file = renderer(desk);

  const app = Fastify({ logger: o.logger ?? false, bodyLimit: JSON_LIMIT, trustProxy: false });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: limits.maxBytes, files: 50, fields: 20, parts: 70 } });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Content-Security-Policy', CSP);
    if (req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // CSRF: a state-changing request a browser sends from another origin carries that Origin (or
  // Sec-Fetch-Site: cross-site); refuse it before anything else runs.
  app.addHook('onRequest', async (req) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const own = `http://${req.headers.host}`;
    if ((origin && origin !== own && origin !== `https://${req.headers.host}`) || site === 'cross-site' || site === 'same-site') {
      throw new HttpError(403, '拒绝来自其他网站的请求（跨站请求）');
    }
  });

  app.addHook('preHandler', async (req) => {
    if (!req.url.startsWith('/api/') || req.routeOptions.url === '/api/login') return;
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await store.sessionUser(token) : undefined;
    if (!user) throw new HttpError(401, '请先登录');
    req.user = user;
  });

  app.setErrorHandler((e: any, req, reply) => {
    const h = e instanceof HttpError ? e : frameworkError(e);
    if (h) return reply.code(h.status).send(h.body ?? { error: h.message });
    if (e.statusCode && e.statusCode < 500) return reply.code(e.statusCode).send({ error: `请求有误（${e.message}）` });
    req.log.error(e);
    return reply.code(500).send({ error: '服务器内部错误，请稍后重试或联系管理员' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: '找不到该地址' }));

  const files = pages();
  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0];
    const f = files.get(path);
    if (!f) throw new HttpError(404, '找不到该页面');
    if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
    reply.header('ETag', f.etag).header('Cache-Control', 'no-cache').type(f.type);
    return reply.send(f.body);
  });

  for (const routes of [authRoutes, documentRoutes, caseRoutes, batchRoutes, ingestRoutes, adminRoutes]) await app.register(async (a) => routes(a, desk));

  return {
    app,
    store,
    engine,
    async close() {
      await runner.close();
      await app.close();
      await engine.close();
      await store.close();
    },
  };
}
