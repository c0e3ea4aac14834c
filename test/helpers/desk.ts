/** A desk server on a free port for API tests (SQLite in a temporary folder, or PostgreSQL in a fresh schema). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDesk, type ServeOptions } from '../../src/serve/app.js';

export const PG_URL = process.env.BANGBAN_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether a PostgreSQL server answers (tests against it skip otherwise, unless BANGBAN_REQUIRE_TOOLS=1). */
export async function postgresUp(): Promise<boolean> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    if (process.env.BANGBAN_REQUIRE_TOOLS === '1') throw new Error(`PostgreSQL 不可用：${PG_URL}`);
    return false;
  }
}

/** A fresh schema on the test server; its URL selects it, drop() removes it. */
export async function pgSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`CREATE SCHEMA ${name}`);
  await c.end();
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${name}`)}`;
  return {
    url,
    drop: async () => {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`DROP SCHEMA ${name} CASCADE`);
      await d.end();
    },
  };
}

export interface Client {
  base: string;
  cookie: string;
  fetch(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  json(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: any }>;
}

export function client(base: string): Client {
  const c: Client = {
    base,
    cookie: '',
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (c.cookie) headers.set('cookie', c.cookie);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const r = await fetch(base + path, { ...init, headers, body });
      const set = r.headers.get('set-cookie');
      if (set) c.cookie = set.split(';')[0];
      return r;
    },
    async json(path, init) {
      const r = await c.fetch(path, init);
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : undefined };
    },
  };
  return c;
}

export async function startDesk(o: Partial<ServeOptions> & { users?: [string, 'staff' | 'admin', string][] } = {}) {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'bangban-desk-'));
  const desk = await createDesk({ dataDir, renderThreads: 1, ...o });
  for (const [name, role, pw] of o.users ?? [['admin', 'admin', 'admin-pass-1'], ['staff', 'staff', 'staff-pass-1']]) await desk.store.addUser(name, role, pw);
  await desk.app.listen({ port: 0, host: '127.0.0.1' });
  const a = desk.app.server.address() as { port: number };
  const base = `http://127.0.0.1:${a.port}`;
  return {
    desk,
    base,
    dataDir,
    async login(name = 'staff', password = 'staff-pass-1') {
      const c = client(base);
      const r = await c.json('/api/login', { method: 'POST', json: { name, password } });
      if (r.status !== 200) throw new Error(`login ${r.status}`);
      return c;
    },
    async close() {
      await desk.close();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const bin = new URL('../../bin/bangban.js', import.meta.url).pathname;

/** The desk as its own process (`bangban serve --port 0`), e.g. to be killed in the middle of a batch. */
export function serve(data: string, env: NodeJS.ProcessEnv = process.env): Promise<{ proc: ChildProcess; base: string; out: string }> {
  const proc = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (b) => {
      out += b;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ proc, base: `http://127.0.0.1:${m[1]}`, out });
    });
    let err = '';
    proc.stderr!.on('data', (b) => (err += b));
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
}
