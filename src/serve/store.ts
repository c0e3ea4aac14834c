/**
 * The desk's records: staff, sessions, cases and the letters issued for them, the notice number
 * sequence, the materials list, the audit log, batches and ingested files. Same calls on SQLite and
 * PostgreSQL (db.ts); the schema is in migrations.ts.
 */
import type { Db } from './db.js';
import { migrate } from './migrations.js';
import { hashPassword, newToken, tokenHash, verifyPassword } from './auth.js';

export type Role = 'staff' | 'admin';
export interface User {
  id: number;
  name: string;
  role: Role;
}

export type CaseStatus = 'draft' | 'complete' | 'notified';
export const CASE_STATUS: Record<CaseStatus, string> = { draft: '草稿', complete: '已填写', notified: '已告知补正' };

export interface CaseRow {
  id: number;
  status: CaseStatus;
  applicantName: string;
  creditCode: string;
  applicationDate: string;
  record: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentRow {
  id: number;
  caseId: number;
  kind: string;
  docNumber: string | null;
  record: Record<string, unknown>;
  /** The uploaded file it was read from and attached by (not issued here). */
  ingestId: string | null;
  createdBy: string;
  createdAt: string;
}

export interface Material {
  id: number;
  name: string;
  copies: number | null;
  requirement: string | null;
  howToObtain: string;
}

export interface CaseQuery {
  q?: string;
  status?: string;
  from?: string;
  to?: string;
  page?: number;
  size?: number;
}

export interface BatchRow {
  id: string;
  kind: string;
  fileName: string;
  inputExt: string;
  status: 'checked' | 'running' | 'done' | 'failed' | 'interrupted';
  total: number;
  done: number;
  result: any;
  error: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface IngestRow {
  id: string;
  fileName: string;
  media: string;
  status: 'queued' | 'parsed' | 'failed' | 'accepted' | 'rejected';
  kind: string | null;
  result: any;
  reason: string | null;
  caseId: number | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const SESSION_HOURS = 12;
const now = () => new Date().toISOString();
const json = (s: string | null) => (s == null ? null : JSON.parse(s));

/** A unique request key was used before: the earlier result stands (double submit). */
const isUniqueViolation = (e: unknown) => /UNIQUE|unique|duplicate key/.test(String((e as Error)?.message));

function caseRow(r: any): CaseRow {
  return { id: Number(r.id), status: r.status, applicantName: r.applicant_name, creditCode: r.credit_code, applicationDate: r.application_date, record: JSON.parse(r.record), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
}
function docRow(r: any): DocumentRow {
  return { id: Number(r.id), caseId: Number(r.case_id), kind: r.kind, docNumber: r.doc_number, record: JSON.parse(r.record), ingestId: r.ingest_id ?? null, createdBy: r.created_by, createdAt: r.created_at };
}
function batchRow(r: any): BatchRow {
  return { id: r.id, kind: r.kind, fileName: r.file_name, inputExt: r.input_ext, status: r.status, total: Number(r.total), done: Number(r.done), result: json(r.result), error: r.error, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
}
function ingestRow(r: any): IngestRow {
  return { id: r.id, fileName: r.file_name, media: r.media, status: r.status, kind: r.kind, result: json(r.result), reason: r.reason, caseId: r.case_id == null ? null : Number(r.case_id), createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** The searchable columns of a case, from its application record. */
function caseColumns(record: any) {
  return { name: String(record?.applicant?.name ?? ''), code: String(record?.applicant?.creditCode ?? ''), date: String(record?.applicationDate ?? '') };
}

export class Store {
  private constructor(readonly db: Db) {}

  static async open(db: Db): Promise<Store> {
    await migrate(db);
    return new Store(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ---- staff and sessions
  async addUser(name: string, role: Role, password: string): Promise<User> {
    const hash = await hashPassword(password);
    const r = await this.db.get('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id', [name, role, hash, now()]);
    return { id: Number(r!.id), name, role };
  }
  async setPassword(name: string, password: string): Promise<boolean> {
    return (await this.db.run('UPDATE users SET password_hash = ? WHERE name = ?', [await hashPassword(password), name])) > 0;
  }
  async users(): Promise<(User & { createdAt: string })[]> {
    return (await this.db.all('SELECT id, name, role, created_at FROM users ORDER BY id')).map((r) => ({ id: Number(r.id), name: r.name, role: r.role, createdAt: r.created_at }));
  }
  async userExists(name: string): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS x FROM users WHERE name = ?', [name]));
  }
  /** The user when name and password match. */
  async login(name: string, password: string): Promise<{ user: User; token: string } | undefined> {
    const r = await this.db.get('SELECT id, name, role, password_hash FROM users WHERE name = ?', [name]);
    // a missing user costs the same time as a wrong password
    const ok = await verifyPassword(password, r?.password_hash ?? 'scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA==$AAAA');
    if (!r || !ok) return undefined;
    await this.db.run('DELETE FROM sessions WHERE expires_at < ?', [now()]);
    const token = newToken();
    const expires = new Date(Date.now() + SESSION_HOURS * 3600_000).toISOString();
    await this.db.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [tokenHash(token), r.id, now(), expires]);
    return { user: { id: Number(r.id), name: r.name, role: r.role }, token };
  }
  async sessionUser(token: string): Promise<User | undefined> {
    const r = await this.db.get('SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?', [tokenHash(token), now()]);
    return r ? { id: Number(r.id), name: r.name, role: r.role } : undefined;
  }
  async logout(token: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash(token)]);
  }

  // ---- audit
  async audit(user: string, action: string, target: string, detail = ''): Promise<void> {
    await this.db.runLazy('INSERT INTO audit (at, user_name, action, target, detail) VALUES (?, ?, ?, ?, ?)', [now(), user, action, target, detail]);
  }
  async auditLog(page = 1, size = 50): Promise<{ rows: any[]; total: number }> {
    const total = Number((await this.db.get('SELECT COUNT(*) AS n FROM audit'))!.n);
    const rows = await this.db.all('SELECT id, at, user_name AS "user", action, target, detail FROM audit ORDER BY id DESC LIMIT ? OFFSET ?', [size, (page - 1) * size]);
    return { rows: rows.map((r) => ({ ...r, id: Number(r.id) })), total };
  }

  // ---- cases
  /** A new case; the same request key twice gives the first case back (a double submit). */
  async createCase(record: unknown, status: CaseStatus, user: string, requestKey?: string): Promise<{ row: CaseRow; created: boolean }> {
    const c = caseColumns(record);
    const t = now();
    try {
      const r = await this.db.get('INSERT INTO cases (status, applicant_name, credit_code, application_date, record, request_key, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *', [status, c.name, c.code, c.date, JSON.stringify(record), requestKey ?? null, user, t, t]);
      return { row: caseRow(r), created: true };
    } catch (e) {
      if (!requestKey || !isUniqueViolation(e)) throw e;
      const r = await this.db.get('SELECT * FROM cases WHERE request_key = ?', [requestKey]);
      if (!r) throw e;
      return { row: caseRow(r), created: false };
    }
  }
  async updateCase(id: number, record: unknown, status: CaseStatus): Promise<CaseRow | undefined> {
    const c = caseColumns(record);
    const r = await this.db.get('UPDATE cases SET record = ?, status = ?, applicant_name = ?, credit_code = ?, application_date = ?, updated_at = ? WHERE id = ? RETURNING *', [JSON.stringify(record), status, c.name, c.code, c.date, now(), id]);
    return r ? caseRow(r) : undefined;
  }
  /** The cases of an applicant, latest first. */
  async casesByCreditCode(code: string, limit = 20): Promise<CaseRow[]> {
    return (await this.db.all('SELECT * FROM cases WHERE credit_code = ? ORDER BY updated_at DESC, id DESC LIMIT ?', [code, limit])).map(caseRow);
  }
  async caseByRequestKey(key: string): Promise<CaseRow | undefined> {
    const r = await this.db.get('SELECT * FROM cases WHERE request_key = ?', [key]);
    return r ? caseRow(r) : undefined;
  }
  async getCase(id: number): Promise<CaseRow | undefined> {
    const r = await this.db.get('SELECT * FROM cases WHERE id = ?', [id]);
    return r ? caseRow(r) : undefined;
  }
  async deleteCase(id: number): Promise<boolean> {
    return this.db.tx(async (t) => {
      await t.run('DELETE FROM documents WHERE case_id = ?', [id]);
      return (await t.run('DELETE FROM cases WHERE id = ?', [id])) > 0;
    });
  }
  async listCases(q: CaseQuery): Promise<{ rows: (CaseRow & { trusteeId?: string })[]; total: number; page: number; size: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.q?.trim()) {
      // LIKE with the user's text as data; % and _ in it match themselves
      const like = `%${q.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      where.push(`(applicant_name LIKE ? ESCAPE '\\' OR credit_code LIKE ? ESCAPE '\\')`);
      params.push(like, like);
    }
    if (q.status) (where.push('status = ?'), params.push(q.status));
    if (q.from) (where.push('application_date >= ?'), params.push(q.from));
    if (q.to) (where.push('application_date <= ?'), params.push(q.to));
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const size = Math.min(100, Math.max(1, q.size ?? 20));
    const page = Math.max(1, q.page ?? 1);
    const total = Number((await this.db.get(`SELECT COUNT(*) AS n FROM cases ${w}`, params))!.n);
    const rows = (await this.db.all(`SELECT * FROM cases ${w} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`, [...params, size, (page - 1) * size])).map(caseRow);
    // the 受托人 of the case's latest authorization letter, for the list's ID column
    const ids = rows.map((r) => r.id);
    const letters = ids.length ? await this.db.all(`SELECT case_id, record FROM documents WHERE kind = 'authorization' AND case_id IN (${ids.map(() => '?').join(',')}) ORDER BY id`, ids) : [];
    const trustee = new Map<number, string>();
    for (const l of letters) trustee.set(Number(l.case_id), JSON.parse(l.record)?.trustee?.idNumber);
    return { rows: rows.map((r) => ({ ...r, trusteeId: trustee.get(r.id) })), total, page, size };
  }

  // ---- letters
  async documents(caseId: number): Promise<DocumentRow[]> {
    return (await this.db.all('SELECT * FROM documents WHERE case_id = ? ORDER BY id', [caseId])).map(docRow);
  }
  async getDocument(id: number): Promise<DocumentRow | undefined> {
    const r = await this.db.get('SELECT * FROM documents WHERE id = ?', [id]);
    return r ? docRow(r) : undefined;
  }
  /** A letter issued for a case, or (`from`) a document read from an uploaded file and attached to it. */
  async addDocument(caseId: number, kind: string, record: unknown, user: string, requestKey?: string, from?: { ingestId: string; docNumber?: string }): Promise<{ row: DocumentRow; created: boolean }> {
    try {
      const r = await this.db.get('INSERT INTO documents (case_id, kind, doc_number, record, request_key, ingest_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *', [caseId, kind, from?.docNumber ?? null, JSON.stringify(record), requestKey ?? null, from?.ingestId ?? null, user, now()]);
      return { row: docRow(r), created: true };
    } catch (e) {
      const again = requestKey && isUniqueViolation(e) ? await this.db.get('SELECT * FROM documents WHERE request_key = ?', [requestKey]) : undefined;
      if (!again) throw e;
      return { row: docRow(again), created: false };
    }
  }
  /**
   * Takes the next number of `year` and stores the document made with it, in one transaction: the
   * upsert locks the year's row (PostgreSQL) or the whole database (SQLite, BEGIN IMMEDIATE) until
   * the commit, so two staff issuing at once get consecutive numbers, and a failure takes none.
   * The same request key twice gives the first document back.
   */
  async issueNumbered(caseId: number, kind: string, year: number, make: (seq: number) => { docNumber: string; record: unknown }, user: string, requestKey?: string): Promise<{ row: DocumentRow; created: boolean }> {
    if (requestKey) {
      const prev = await this.db.get('SELECT * FROM documents WHERE request_key = ?', [requestKey]);
      if (prev) return { row: docRow(prev), created: false };
    }
    try {
      return await this.db.tx(async (t) => {
        const s = await t.get('INSERT INTO notice_seq (year, last) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last = notice_seq.last + 1 RETURNING last', [year]);
        const seq = Number(s!.last);
        const { docNumber, record } = make(seq);
        const r = await t.get('INSERT INTO documents (case_id, kind, doc_number, year, seq, record, request_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *', [caseId, kind, docNumber, year, seq, JSON.stringify(record), requestKey ?? null, user, now()]);
        await t.run('UPDATE cases SET status = ?, updated_at = ? WHERE id = ?', ['notified', now(), caseId]);
        return { row: docRow(r), created: true };
      });
    } catch (e) {
      const again = requestKey && isUniqueViolation(e) ? await this.db.get('SELECT * FROM documents WHERE request_key = ?', [requestKey]) : undefined;
      if (!again) throw e;
      return { row: docRow(again), created: false };
    }
  }

  // ---- materials staff pick from
  async materials(): Promise<Material[]> {
    return (await this.db.all('SELECT id, name, copies, requirement, how_to_obtain FROM materials ORDER BY id')).map((r) => ({ id: Number(r.id), name: r.name, copies: r.copies == null ? null : Number(r.copies), requirement: r.requirement, howToObtain: r.how_to_obtain }));
  }
  async addMaterial(m: Omit<Material, 'id'>): Promise<Material> {
    const r = await this.db.get('INSERT INTO materials (name, copies, requirement, how_to_obtain, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id', [m.name, m.copies, m.requirement, m.howToObtain, now()]);
    return { id: Number(r!.id), ...m };
  }
  async deleteMaterial(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM materials WHERE id = ?', [id])) > 0;
  }

  /** Sets the given columns (undefined ones left as they are) of a row keyed by text id. */
  private async update(table: 'batches' | 'ingests', id: string, cols: Record<string, unknown>): Promise<void> {
    const set = Object.entries(cols).filter(([, v]) => v !== undefined);
    await this.db.run(`UPDATE ${table} SET ${set.map(([k]) => `${k} = ?`).join(', ')}${set.length ? ', ' : ''}updated_at = ? WHERE id = ?`, [...set.map(([, v]) => v), now(), id]);
  }

  // ---- batches
  async createBatch(b: Pick<BatchRow, 'id' | 'kind' | 'fileName' | 'inputExt' | 'total' | 'result'>, user: string): Promise<void> {
    const t = now();
    await this.db.run('INSERT INTO batches (id, kind, file_name, input_ext, status, total, done, result, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)', [b.id, b.kind, b.fileName, b.inputExt, 'checked', b.total, JSON.stringify(b.result), user, t, t]);
  }
  async updateBatch(id: string, f: Partial<Pick<BatchRow, 'status' | 'done' | 'result' | 'error'>>): Promise<void> {
    await this.update('batches', id, { status: f.status, done: f.done, result: f.result === undefined ? undefined : JSON.stringify(f.result), error: f.error });
  }
  async getBatch(id: string): Promise<BatchRow | undefined> {
    const r = await this.db.get('SELECT * FROM batches WHERE id = ?', [id]);
    return r ? batchRow(r) : undefined;
  }
  async batches(limit = 50): Promise<BatchRow[]> {
    return (await this.db.all('SELECT * FROM batches ORDER BY created_at DESC LIMIT ?', [limit])).map(batchRow);
  }
  /** Batches a stopped server left running: they are reported as interrupted (and can be resumed). */
  async interruptRunning(): Promise<number> {
    return this.db.run(`UPDATE batches SET status = 'interrupted', error = ?, updated_at = ? WHERE status = 'running'`, ['服务在批量生成过程中停止，点击“继续”可接着生成', now()]);
  }

  // ---- ingested files
  async createIngest(i: Pick<IngestRow, 'id' | 'fileName' | 'media'>, user: string): Promise<void> {
    const t = now();
    await this.db.run('INSERT INTO ingests (id, file_name, media, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [i.id, i.fileName, i.media, 'queued', user, t, t]);
  }
  async updateIngest(id: string, f: Partial<Pick<IngestRow, 'status' | 'kind' | 'result' | 'reason' | 'caseId'>>): Promise<void> {
    await this.update('ingests', id, { status: f.status, kind: f.kind, result: f.result === undefined ? undefined : JSON.stringify(f.result), reason: f.reason, case_id: f.caseId });
  }
  async getIngest(id: string): Promise<IngestRow | undefined> {
    const r = await this.db.get('SELECT * FROM ingests WHERE id = ?', [id]);
    return r ? ingestRow(r) : undefined;
  }
  async ingests(limit = 100): Promise<IngestRow[]> {
    return (await this.db.all('SELECT * FROM ingests ORDER BY created_at DESC, id LIMIT ?', [limit])).map(ingestRow);
  }
  /** Files a stopped server was still reading: kept, with the reason. */
  async failQueuedIngests(): Promise<number> {
    return this.db.run(`UPDATE ingests SET status = 'failed', reason = ?, updated_at = ? WHERE status = 'queued'`, ['服务在识别过程中停止，请重新上传', now()]);
  }
}
