/**
 * One small SQL interface over SQLite (better-sqlite3, embedded) and PostgreSQL (pg, when
 * DATABASE_URL is set). SQL is written once with `?` placeholders; the PostgreSQL side numbers them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, any>;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /**
   * A write that need not wait for the disk (an audit row). SQLite commits it without its own
   * fsync (3–4 ms of the request thread each on this machine's disk, blocking every request): in
   * WAL mode it is on disk with the next write that waits, or the next checkpoint; a crash of the
   * process loses nothing, a power cut at most the last such rows. PostgreSQL: as run().
   */
  runLazy(sql: string, params?: unknown[]): Promise<number>;
  /**
   * Runs `fn` in one transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE;
   * PostgreSQL: row locks taken by the statements themselves), committing when it resolves.
   */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` → `$1, $2 …` (no `?` appears inside our SQL's string literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function openPostgres(url: string): Promise<Db> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('SELECT 1');
  type Q = { query: (s: string, p?: unknown[]) => Promise<{ rows: Row[]; rowCount: number | null }> };
  const on = (c: Q, txFn?: Db['tx']): Db => ({
    dialect: 'postgres',
    all: async (s, p) => (await c.query(numbered(s), p)).rows as any[],
    get: async (s, p) => (await c.query(numbered(s), p)).rows[0] as any,
    run: async (s, p) => (await c.query(numbered(s), p)).rowCount ?? 0,
    runLazy: async (s, p) => (await c.query(numbered(s), p)).rowCount ?? 0,
    tx: txFn ?? (async (fn) => fn(on(c))),
    close: async () => pool.end(),
  });
  return on(pool, async (fn) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const r = await fn(on(client));
      await client.query('COMMIT');
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  });
}

export async function openSqlite(folder: string): Promise<Db> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(folder, { recursive: true });
  const conn = new Database(join(folder, 'bangban.sqlite'));
  conn.pragma('journal_mode = WAL');
  // every commit waits for the disk (notice numbers must survive a power cut), but see runLazy
  conn.pragma('synchronous = FULL');
  conn.pragma('busy_timeout = 10000');
  conn.pragma('foreign_keys = ON');
  const stmts = new Map<string, any>();
  const prep = (s: string) => {
    let st = stmts.get(s);
    if (!st) stmts.set(s, (st = conn.prepare(s)));
    return st;
  };
  const args = (p: unknown[] = []) => p.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  // One connection is shared by every request: while a transaction is open (it may await between
  // statements), statements from elsewhere wait for it instead of slipping into it. The check of
  // `held` and the statement after it run without a pause, so nothing starts in between.
  let held = false;
  let lock: Promise<void> = Promise.resolve();
  const direct = {
    all: (s: string, p?: unknown[]) => (prep(s).reader ? prep(s).all(...args(p)) : (prep(s).run(...args(p)), [])),
    get: (s: string, p?: unknown[]) => (prep(s).reader ? prep(s).get(...args(p)) : (prep(s).run(...args(p)), undefined)),
    run: (s: string, p?: unknown[]) => prep(s).run(...args(p)).changes as number,
    runLazy(s: string, p?: unknown[]) {
      conn.pragma('synchronous = NORMAL');
      try {
        return direct.run(s, p);
      } finally {
        conn.pragma('synchronous = FULL');
      }
    },
  };
  const inner: Db = { dialect: 'sqlite', all: async (s, p) => direct.all(s, p), get: async (s, p) => direct.get(s, p), run: async (s, p) => direct.run(s, p), runLazy: async (s, p) => direct.run(s, p), tx: (fn) => fn(inner), close: async () => undefined };
  const db: Db = {
    dialect: 'sqlite',
    async all(s, p) {
      while (held) await lock;
      return direct.all(s, p);
    },
    async get(s, p) {
      while (held) await lock;
      return direct.get(s, p);
    },
    async run(s, p) {
      while (held) await lock;
      return direct.run(s, p);
    },
    async runLazy(s, p) {
      while (held) await lock;
      return direct.runLazy(s, p);
    },
    async tx(fn) {
      while (held) await lock;
      held = true;
      let release!: () => void;
      lock = new Promise<void>((r) => (release = r));
      try {
        conn.exec('BEGIN IMMEDIATE');
        try {
          const r = await fn(inner);
          conn.exec('COMMIT');
          return r;
        } catch (e) {
          if (conn.inTransaction) conn.exec('ROLLBACK');
          throw e;
        }
      } finally {
        held = false;
        release();
      }
    },
    close: async () => void conn.close(),
  };
  return db;
}

/** The store's database: PostgreSQL when a URL is given, else SQLite in the data folder. */
export function openDb(o: { dataDir: string; databaseUrl?: string }): Promise<Db> {
  return o.databaseUrl ? openPostgres(o.databaseUrl) : openSqlite(o.dataDir);
}
