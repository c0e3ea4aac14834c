/**
 * The task a queue worker's threads run (piscina, like the local batch): render one record or read
 * one form, with the same code as the local path (src/batch/worker.ts, src/parse/worker.ts), but
 * nothing is written here: the bytes go back through the queue to the submitter.
 */
import { renderRecord, type RenderTask } from '../batch/worker.js';
import { parseOutcome } from '../parse/worker.js';

export type ThreadTask = { type: 'render'; task: Omit<RenderTask, 'folder' | 'base'> } | { type: 'parse'; task: { file: string; kind?: string } };

export default function run(t: ThreadTask) {
  return t.type === 'render' ? renderRecord(t.task) : parseOutcome(t.task);
}
