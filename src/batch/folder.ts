/**
 * What an output folder already holds. A batch keeps what is there: files of another batch (other
 * input or kind) are neither overwritten nor removed unless the user says so (--clean, --force); a
 * run killed before its manifest leaves its finished rows for the next run (manifest.ts).
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, unlinkSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { insideFolder } from './naming.js';
import { manifestRows, previousHead, recoverInterrupted, removeManifests } from './manifest.js';

const fileKey = (f: string) => f.normalize('NFC').toLowerCase();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** same: an earlier run of this batch (resume it); none: no batch there; other: another batch, kept as it is (--force). */
export type Earlier = 'same' | 'none' | 'other';

/**
 * Look at the folder (locked) before a run: recover a killed run's rows, then refuse a folder that
 * holds another batch unless --clean (remove that batch's files first) or --force (keep them and
 * write this batch beside them).
 */
export async function earlierBatch(folder: string, shown: string, batch: { kind: string; input: string }, o: { force?: boolean; clean?: boolean }): Promise<Earlier> {
  await recoverInterrupted(folder);
  const head = previousHead(folder);
  if (o.clean) {
    if (head) await removeRecorded(folder, new Set());
    removeManifests(folder);
    return 'none';
  }
  if (!head) return 'none';
  if (head.kind === batch.kind && head.input === batch.input) return 'same';
  if (o.force) return 'other';
  let files = 0;
  for await (const r of manifestRows(folder)) files += r.files.length;
  throw new UserError(
    `输出文件夹 ${shown} 里已有另一批文书（${head.kind}，来自 ${head.input}，${files} 个文件），本次没有写入任何文件，以免覆盖或删除它们：` +
      `请换一个输出文件夹；或加 --clean 先删除那一批生成的文件（只删清单记录且未改动的）再生成；或加 --force 保留它们、照常写入本批（同名文件会被覆盖）`,
  );
}

/**
 * Files the folder's manifests record (unchanged since) that are not in `keep`: a row renamed or
 * become invalid, or the whole earlier batch for --clean. Anything else in the folder is left alone.
 */
export async function removeRecorded(folder: string, keep: Set<string>): Promise<void> {
  for await (const r of manifestRows(folder)) {
    for (const f of r.files) {
      if (keep.has(fileKey(f.file))) continue;
      try {
        const path = insideFolder(folder, f.file);
        if (lstatSync(path).isFile() && sha256(readFileSync(path)) === f.sha256) unlinkSync(path);
      } catch {
        // gone already, or not ours to remove
      }
    }
  }
}

export { fileKey };
