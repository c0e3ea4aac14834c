import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from './errors.js';

const reasons: Record<string, string> = {
  EACCES: '没有写入权限',
  EPERM: '没有写入权限',
  EROFS: '磁盘只读',
  ENOSPC: '磁盘空间不足',
  EISDIR: '这是一个文件夹',
  ENOTDIR: '路径中有一段不是文件夹',
  ENOENT: '无法在此处创建文件',
};

/**
 * Write a whole file or nothing (temporary file, then rename), creating the folder if needed.
 * `flush: false` skips forcing the file to disk before the rename: still never half-written when the
 * program stops, but a power cut may lose it. For a batch's documents, whose size and SHA-256 the
 * manifest records, so that the next run renders a lost or damaged one again.
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string, opts: { flush?: boolean } = {}): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), { fsync: opts.flush ?? true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // A place the user cannot write to is their mistake to fix, not a crash.
    throw new UserError(`无法写入 ${path}：${reasons[code] || code || (e as Error).message}`);
  }
}
