// The fillable application form: bytes (blank and prefilled), the form font's one-time build, and
// milliseconds per form in a warm process (median, p95); then `bangban render --fillable` as a
// command (a fresh process each time: Node start, fonts, the form font's build), median of runs.
// Run after `npm run build`: node bench/fillable.js [runs]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getKind, renderDocument } from '../dist/index.js';
import { formFont } from '../dist/fillable/formFont.js';
import { timeRuns, quantile, fmt } from './lib.js';

const runs = Number(process.argv[2] ?? 10);
const kind = getKind('application');
const typical = JSON.parse(readFileSync('fixtures/application/typical.json', 'utf8'));

let t = performance.now();
formFont();
const build = performance.now() - t;
const blank = await renderDocument(kind, null, 'pdf', { fillable: true });
const filled = await renderDocument(kind, typical, 'pdf', { fillable: true });
const warm = await timeRuns((i) => renderDocument(kind, i % 2 ? typical : null, 'pdf', { fillable: true }), { runs, warmup: 2 });

const dir = mkdtempSync(join(tmpdir(), 'fillable-bench-'));
const cold = [];
for (let i = 0; i < Math.min(runs, 7); i++) {
  t = performance.now();
  execFileSync(process.execPath, ['bin/bangban.js', 'render', 'application', '-o', join(dir, 'form.pdf'), '--fillable'], { stdio: 'ignore' });
  cold.push(performance.now() - t);
}
cold.sort((a, b) => a - b);

console.log('fillable application form (one thread; the machine may be shared)');
console.log(`  bytes: blank ${fmt(blank.length / 1024)} KB   prefilled (typical) ${fmt(filled.length / 1024)} KB`);
console.log(`  form font built once per process: ${fmt(build, 0)} ms`);
console.log(`  warm, ${runs} runs: median ${fmt(quantile(warm, 0.5), 0)} ms   p95 ${fmt(quantile(warm, 0.95), 0)} ms`);
console.log(`  \`bangban render application -o form.pdf --fillable\`, ${cold.length} runs: median ${fmt(quantile(cold, 0.5), 0)} ms`);
