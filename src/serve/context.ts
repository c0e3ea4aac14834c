import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store, User } from './store.js';
import type { BatchRunner } from './batches.js';
import type { UploadLimits } from './uploads.js';
import type { Engine } from './engine.js';
import type { Kind } from '../core/kind.js';

/** What every route module gets. */
export interface Desk {
  store: Store;
  runner: BatchRunner;
  dataDir: string;
  limits: UploadLimits;
  /** 文号 prefix of notices: 宛环审告〔2026〕N号. */
  noticePrefix: string;
  /** Where renders and reading happen: this machine's threads, or the queue (REDIS_URL). */
  engine: Engine;
  /** A record (null: the blank form) as a file, rendered in a worker; invalid → HttpError 422. */
  file(kind: Kind, record: unknown | null, format: string, fillable?: boolean): Promise<Uint8Array>;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: User;
  }
}

/** A refusal with a Chinese message, sent as { error } with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export function userOf(req: FastifyRequest): User {
  if (!req.user) throw new HttpError(401, '请先登录');
  return req.user;
}

export function requireAdmin(req: FastifyRequest): void {
  if (userOf(req).role !== 'admin') throw new HttpError(403, '只有管理员可以进行此操作');
}

export function intParam(v: unknown, what: string): number {
  const s = String(v ?? '');
  if (!/^\d{1,9}$/.test(s)) throw new HttpError(404, `找不到该${what}`);
  return Number(s);
}

/** Ids the desk gives files (UUIDs): nothing else from a request names a stored file. */
export function uuidParam(v: unknown, what: string): string {
  const s = String(v ?? '');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) throw new HttpError(404, `找不到该${what}`);
  return s;
}

/** 110101********1234: the first six and last four characters of an ID number. */
export function maskId(id: string | undefined): string | undefined {
  if (!id) return id;
  return id.length > 10 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : '*'.repeat(id.length);
}

/** Sends a file for download under a (Chinese) name made by the desk. */
export function sendFile(reply: FastifyReply, bytes: Uint8Array | NodeJS.ReadableStream, type: string, name: string, inline = false) {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  reply.header('Content-Type', type);
  reply.header('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  return reply.send(bytes);
}

export const FORMAT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The shown name of an uploaded file: its last path part, no control characters, not too long. */
export function displayName(name: string | undefined): string {
  const base = String(name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\0-\x1f\x7f]/g, '').replace(/^\.+/, '').slice(0, 120);
  return clean || '未命名文件';
}
