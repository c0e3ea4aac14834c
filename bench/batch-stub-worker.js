// A stand-in for dist/batch/worker.js that writes a small file instead of rendering: used by
// `node bench/batch.js --pipeline N` to measure what the batch pipeline itself (reading, naming,
// hashing, manifest, worker hand-off) costs in time and memory at large N.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default function stub(task) {
  const bytes = Buffer.from(JSON.stringify(task.record));
  const file = `${task.base}.pdf`;
  writeFileSync(join(task.folder, file), bytes);
  return { status: 'ok', files: [{ format: 'pdf', file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }], warnings: [] };
}
