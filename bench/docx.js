// Median and p95 milliseconds per application-form DOCX in a warm process, and bytes per file.
// Wall-clock time and this process's CPU time are both shown: on a busy machine the wall clock
// counts time spent waiting for a core. Run after `npm run build`: node bench/docx.js [runs]
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getKind, renderDocument } from '../dist/index.js';
import { quantile, fmt } from './lib.js';

const kind = getKind('application');
const records = readdirSync('fixtures/application').map((f) => JSON.parse(readFileSync(`fixtures/application/${f}`, 'utf8')));
const runs = Number(process.argv[2] ?? 300);
const render = (i) => renderDocument(kind, records[i % records.length], 'docx');

for (let i = 0; i < 30; i++) await render(i);
const wall = [];
const cpu = [];
const bytes = [];
for (let i = 0; i < runs; i++) {
  const c = process.cpuUsage();
  const t = performance.now();
  const docx = await render(i);
  wall.push(performance.now() - t);
  const d = process.cpuUsage(c);
  cpu.push((d.user + d.system) / 1000);
  bytes.push(docx.length);
}
for (const a of [wall, cpu, bytes]) a.sort((x, y) => x - y);
console.log(`application DOCX, ${runs} runs over ${records.length} fixtures (warm process; validation included; load average ${fmt(loadavg()[0])})`);
console.log(`  wall clock: median ${fmt(quantile(wall, 0.5), 2)} ms   p95 ${fmt(quantile(wall, 0.95), 2)} ms   (target: median ≤ 15 ms)`);
console.log(`  CPU time:   median ${fmt(quantile(cpu, 0.5), 2)} ms   p95 ${fmt(quantile(cpu, 0.95), 2)} ms`);
console.log(`  bytes per form: median ${fmt(quantile(bytes, 0.5) / 1024)} KB   max ${fmt(bytes[bytes.length - 1] / 1024)} KB`);
