// A queue worker for bench/queue.js: `bangban worker` through the library, optionally with a stand-in
// thread module (bench/queue-stub-thread.js) so that the queue's own cost per job can be measured.
//   node bench/queue-worker.js <redis-url> <prefix> [thread-module]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [url, prefix, threadFile] = process.argv.slice(2);
const { startWorker } = await import(join(root, 'dist/queue/consumer.js'));
const w = await startWorker({ url, prefix, concurrency: 1, threadFile: threadFile || undefined });
process.stdout.write('ready\n');
// SIGUSR2: the jobs and rows done so far, one JSON line
process.on('SIGUSR2', () => process.stdout.write(JSON.stringify(w.stats) + '\n'));
process.once('SIGTERM', () => void w.close().then(() => process.exit(0)));
