import { resolve, sep } from 'node:path';
import type { Kind } from '../core/kind.js';
import { UserError } from '../core/errors.js';
import { dottedToPointer, getAt, parsePointer } from '../core/pointer.js';
import type { JsonSchema } from '../core/schema.js';
import { columnPlan, normalizeHeader } from './columns.js';

/** Without --name and without a pattern from the kind: the record number. */
const FALLBACK_PATTERN = '{序号}';
const NUMBER_TOKENS = ['序号', 'number', 'n'];

/** Longest base name in UTF-8 bytes: leaves room for “-123” and an extension under the 255-byte limit. */
export const MAX_NAME_BYTES = 200;

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Cut a string to at most `max` UTF-8 bytes, never inside a character. */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/**
 * A file name (without extension) safe on Windows, macOS and Linux: no path separators, reserved
 * characters or control characters, no leading dots or spaces, no trailing dots or spaces, not a
 * Windows device name, at most MAX_NAME_BYTES bytes. Empty when nothing usable is left.
 */
export function safeFileName(raw: string, maxBytes = MAX_NAME_BYTES): string {
  let s = raw.normalize('NFC').replace(FORBIDDEN, '_').replace(/\s+/g, ' ');
  s = s.replace(/^[.\s]+/, '');
  s = truncateBytes(s, maxBytes).replace(/[.\s]+$/, '');
  if (/^_*$/.test(s)) return '';
  const stem = s.split('.')[0].trim();
  if (RESERVED.test(stem)) s = truncateBytes('_' + s, maxBytes);
  return s;
}

/** Hands out names unique within a batch, comparing as case-insensitive file systems do. */
export class UniqueNames {
  private taken = new Set<string>();
  constructor(reserved: string[] = []) {
    for (const r of reserved) this.taken.add(this.key(r));
  }
  private key(s: string): string {
    return s.normalize('NFC').toLowerCase();
  }
  take(base: string): string {
    if (!this.taken.has(this.key(base))) {
      this.taken.add(this.key(base));
      return base;
    }
    for (let i = 2; ; i++) {
      const suffix = `-${i}`;
      const candidate = truncateBytes(base, MAX_NAME_BYTES - Buffer.byteLength(suffix)).replace(/[.\s]+$/, '') + suffix;
      if (!this.taken.has(this.key(candidate))) {
        this.taken.add(this.key(candidate));
        return candidate;
      }
    }
  }
}

type Part = { text: string } | { pointer: string } | { number: true };

/**
 * A name pattern: `{dotted.path}`, `{中文列名}` or `{序号}` between literal text. By default the
 * kind's own pattern (its declaration's `fileName`).
 */
export function compileNamePattern(kind: Kind, pattern?: string): { pattern: string; name: (record: unknown, number: number) => string } {
  const p = pattern ?? kind.def.fileName ?? FALLBACK_PATTERN;
  const parts: Part[] = [];
  let last = 0;
  for (const m of p.matchAll(/\{([^{}]*)\}/g)) {
    if (m.index! > last) parts.push({ text: p.slice(last, m.index) });
    const t = resolveToken(kind, m[1]);
    if (!t) throw new UserError(`文件名模式 ${p} 里的 {${m[1]}} 不是${kind.title}的字段（可用字段路径如 applicant.name、中文列名或 {序号}）`);
    parts.push(t);
    last = m.index! + m[0].length;
  }
  if (last < p.length) parts.push({ text: p.slice(last) });
  return {
    pattern: p,
    name(record, number) {
      let filled = false;
      const text = parts
        .map((part) => {
          if ('text' in part) return part.text;
          if ('number' in part) return ((filled = true), String(number));
          const v = getAt(record, part.pointer);
          if (v === undefined || v === null || typeof v === 'object') return '';
          filled ||= String(v).trim() !== '';
          return String(v).trim();
        })
        .join('')
        .replace(/^[-_\s]+|[-_\s]+$/g, '');
      const safe = filled ? safeFileName(text) : '';
      return safe || String(number);
    },
  };
}

/** Whether the schema declares the field itself: {constructor} or {__proto__} are no fields. */
function declared(kind: Kind, pointer: string): boolean {
  let cur: JsonSchema | undefined = kind.schema.schema;
  for (const key of parsePointer(pointer)) {
    if (!cur?.properties || !Object.hasOwn(cur.properties, key)) return false;
    cur = cur.properties[key];
  }
  return true;
}

function resolveToken(kind: Kind, token: string): Part | undefined {
  const t = normalizeHeader(token);
  if (NUMBER_TOKENS.includes(t)) return { number: true };
  const pointer = dottedToPointer(token.trim());
  const s = declared(kind, pointer) ? kind.schema.at(pointer) : undefined;
  if (s && s.type !== 'object' && s.type !== 'array') return { pointer };
  const col = columnPlan(kind).main.find((c) => c.aliases.includes(t) && c.schema.type !== 'array');
  return col ? { pointer: col.pointer } : undefined;
}

/** The absolute path of a file inside the output folder; refuses anything that would leave it. */
export function insideFolder(folder: string, file: string): string {
  const root = resolve(folder);
  const full = resolve(root, file);
  if (!full.startsWith(root + sep) || full.slice(root.length + 1).includes(sep)) throw new Error(`文件名 ${file} 会写到输出文件夹之外`);
  return full;
}
