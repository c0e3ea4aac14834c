/**
 * Single documents rendered by the queue's workers, for a long-running service (the web desk when
 * REDIS_URL is set): one connection and one submitter for the life of the process.
 */
import { randomUUID } from 'node:crypto';
import { getKind } from '../kinds/index.js';
import type { Rendered } from '../batch/worker.js';
import { Submitter } from './submit.js';
import { renderCodec } from './batch.js';
import type { RenderJob } from './jobs.js';
import type { QueueTarget } from './connection.js';

export class QueueRenderer {
  private next = 0;
  private constructor(
    private sub: Submitter,
    private batchId: string,
  ) {}

  static async open(t: QueueTarget): Promise<QueueRenderer> {
    const batchId = `svc-${randomUUID().slice(0, 12)}`;
    return new QueueRenderer(await Submitter.open({ ...t, batchId }), batchId);
  }

  /** Validate and render one record in the given formats (as renderRecord does locally). */
  render(kind: string, record: unknown, formats: string[]): Promise<Rendered> {
    // one document a job: a person waits for it
    const data: RenderJob = { batchId: this.batchId, kind, formats, records: [record] };
    return this.sub.submit({ id: `${this.batchId}-${++this.next}`, name: 'render', data }, renderCodec(getKind(kind).title)).then(([r]) => r);
  }

  close(): Promise<void> {
    return this.sub.close();
  }
}
