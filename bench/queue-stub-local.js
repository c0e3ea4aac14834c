// Stand-in for dist/batch/worker.js in bench/queue.js: the same small fixed "PDF" as
// bench/queue-stub-thread.js, written by the batch's own writer, so that local and queued stand-in
// batches differ only by the queue.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { writeRendered } = await import(join(root, 'dist/batch/worker.js'));
const { default: stub } = await import('./queue-stub-thread.js');

export default function render(task) {
  return writeRendered(task, stub());
}
