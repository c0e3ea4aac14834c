/**
 * The store's schema, one list of steps for both engines. `{id}` becomes each engine's
 * auto-numbered key; everything else is plain SQL both understand. Dates are ISO text, records JSON
 * text, so both engines hold the same values.
 */
import type { Db } from './db.js';

const steps: string[][] = [
  [
    `CREATE TABLE users (id {id}, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL)`,
    `CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, created_at TEXT NOT NULL, expires_at TEXT NOT NULL)`,
    `CREATE TABLE cases (id {id}, status TEXT NOT NULL, applicant_name TEXT NOT NULL, credit_code TEXT NOT NULL, application_date TEXT NOT NULL, record TEXT NOT NULL, request_key TEXT UNIQUE, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    `CREATE INDEX cases_updated ON cases (updated_at)`,
    `CREATE TABLE documents (id {id}, case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, kind TEXT NOT NULL, doc_number TEXT, year INTEGER, seq INTEGER, record TEXT NOT NULL, request_key TEXT UNIQUE, created_by TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (kind, year, seq))`,
    `CREATE TABLE notice_seq (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)`,
    `CREATE TABLE materials (id {id}, name TEXT NOT NULL, copies INTEGER, requirement TEXT, how_to_obtain TEXT NOT NULL, created_at TEXT NOT NULL)`,
    `CREATE TABLE audit (id {id}, at TEXT NOT NULL, user_name TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)`,
    `CREATE TABLE batches (id TEXT PRIMARY KEY, kind TEXT NOT NULL, file_name TEXT NOT NULL, input_ext TEXT NOT NULL, status TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL, result TEXT, error TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    `CREATE TABLE ingests (id TEXT PRIMARY KEY, file_name TEXT NOT NULL, media TEXT NOT NULL, status TEXT NOT NULL, kind TEXT, result TEXT, reason TEXT, case_id INTEGER, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
  ],
  // documents read from uploaded files and attached to a case (not issued here); cases found by credit code
  [`ALTER TABLE documents ADD COLUMN ingest_id TEXT`, `CREATE INDEX cases_credit_code ON cases (credit_code)`],
];

const idColumn = { sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT', postgres: 'SERIAL PRIMARY KEY' };

/** Brings the database up to the latest step; each step in its own transaction. */
export async function migrate(db: Db): Promise<number> {
  await db.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  await db.tx(async (t) => {
    if (!(await t.get('SELECT version FROM schema_version'))) await t.run('INSERT INTO schema_version (version) VALUES (0)');
  });
  for (;;) {
    const done = await db.tx(async (t) => {
      // PostgreSQL: two servers starting at once take turns here
      const row = await t.get<{ version: number }>(t.dialect === 'postgres' ? 'SELECT version FROM schema_version FOR UPDATE' : 'SELECT version FROM schema_version');
      const v = Number(row!.version);
      if (v >= steps.length) return true;
      for (const sql of steps[v]) await t.run(sql.replaceAll('{id}', idColumn[t.dialect]));
      await t.run('UPDATE schema_version SET version = ?', [v + 1]);
      return false;
    });
    if (done) return steps.length;
  }
}
