/** `bangban batch --queue`: rows go to the queue instead of this machine's threads; see docs/scale-out.md. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { getKind } from '../kinds/index.js';
import { writeRendered, type Rendered } from '../batch/worker.js';
import type { ExecutorFactory, RenderExecutor } from '../batch/run.js';
import type { RenderTask } from '../batch/worker.js';
import type { OutputFile } from '../batch/manifest.js';
import { Submitter } from './submit.js';
import { DamagedResult, type BlobRef, type Codec, type RenderJob } from './jobs.js';
import { RowGroups } from './group.js';
import type { QueueTarget } from './connection.js';

export interface QueueRunOptions extends QueueTarget {
  /** Rows in flight at most (default 256; ingest: 64 files). */
  window?: number;
  sweepMs?: number;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Rendered documents from a result hash, each checked against the SHA-256 and size the worker sent. */
export function renderCodec(label: string): Codec<Rendered> {
  return {
    decode(meta, fields) {
      const m = meta as Rendered | { status: 'ok'; files: Omit<OutputFile, 'file'>[]; warnings: Rendered['warnings'] };
      if (m.status !== 'ok') return m;
      if (!('files' in m)) throw new DamagedResult('结果不完整');
      const rendered = m.files.map((f) => {
        const bytes = fields[`f:${f.format}`];
        if (!bytes || bytes.byteLength !== f.bytes || sha256(bytes) !== f.sha256) throw new DamagedResult(`${f.format} 校验不符`);
        return { format: f.format, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
      });
      return { status: 'ok', rendered, warnings: m.warnings };
    },
    failure: (message) => ({ status: 'failed', errors: [{ path: '', label, message }], warnings: [] }),
  };
}

/**
 * The batch's executor: rows grouped into jobs (group.ts), each job keyed by batch and its rows'
 * numbers and input hashes, so the same rows make the same job.
 */
export function queueExecutor(q: QueueRunOptions): ExecutorFactory {
  return async (b): Promise<RenderExecutor> => {
    if (b.fonts) throw new UserError('队列模式暂不支持 --fonts：工作机用程序自带的字体生成（见 docs/scale-out.md）');
    // the same output folder on the same machine with the same options is the same batch
    const batchId = sha256(`${hostname()}\n${b.folder}\n${b.optionsHash}`).slice(0, 16);
    const blob = (path?: string) => (path ? { ref: { sha256: '', name: basename(path) } as BlobRef, bytes: readFileSync(path) } : undefined);
    const files = { wording: blob(b.wording), template: blob(b.template) };
    for (const f of Object.values(files)) if (f) f.ref.sha256 = sha256(f.bytes);
    const sub = await Submitter.open({ ...q, batchId, blobs: Object.values(files).flatMap((f) => (f ? [{ sha256: f.ref.sha256, bytes: f.bytes }] : [])) });
    // a batch is of one kind, in one set of formats, with one set of templates
    let codec: Codec<Rendered> | undefined;
    const groups = new RowGroups<{ task: RenderTask; inputHash: string }, Rendered>((rows) => {
      const { kind, formats } = rows[0].item.task;
      codec ??= renderCodec(getKind(kind).title);
      const data: RenderJob = { batchId, kind, formats, records: rows.map((r) => r.item.task.record), wording: files.wording?.ref, template: files.template?.ref };
      const id = `${batchId}-${rows[0].number}-${sha256(rows.map((r) => `${r.number}:${r.item.inputHash}`).join('\n')).slice(0, 12)}`;
      return sub.submit({ id, name: 'render', data }, codec);
    });
    return {
      capacity: q.window ?? 256,
      async run(task, row) {
        return writeRendered(task, await groups.add(row.number, { task, inputHash: row.inputHash }));
      },
      close: () => sub.close(),
    };
  };
}
