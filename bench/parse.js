#!/usr/bin/env node
/**
 * Parse speed. Run after `npm run build`:  node bench/parse.js [forms=500]
 * 1. Median milliseconds to parse one text-layer application form in a warm process (target ≤ 60 ms).
 * 2. Forms per second for ingest over N forms in worker threads (target ≥ 30/s on 2 cores).
 */
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKind, renderPdf, parseForm, ingestFiles } from '../dist/index.js';

const N = Number(process.argv[2] ?? 500);
const kind = getKind('application');
const names = ['typical', 'long-values', 'home-delivery', 'landline-no-guidance'];
const pdfs = [];
for (const n of names) pdfs.push(await renderPdf(kind, JSON.parse(readFileSync(new URL(`../fixtures/application/${n}.json`, import.meta.url), 'utf8'))));

// 1. one form, warm process
for (let i = 0; i < 20; i++) await parseForm(pdfs[i % pdfs.length]);
const times = [];
for (let i = 0; i < 60; i++) {
  const t0 = performance.now();
  const r = await parseForm(pdfs[0]);
  times.push(performance.now() - t0);
  if (!r.valid) throw new Error('bench form did not parse');
}
times.sort((a, b) => a - b);
const median = times[times.length >> 1];
console.log(`parse one form (warm): median ${median.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(1)} ms (target ≤ 60 ms)`);

// 2. ingest N forms
const dir = mkdtempSync(join(tmpdir(), 'bangban-bench-'));
const files = [];
for (let i = 0; i < N; i++) {
  const f = join(dir, `form-${String(i).padStart(4, '0')}.pdf`);
  writeFileSync(f, pdfs[i % pdfs.length]);
  files.push(f);
}
const jobs = availableParallelism();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const r = await ingestFiles(files, { jobs });
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000 / N;
rmSync(dir, { recursive: true, force: true });
if (r.summary.valid !== N) throw new Error(`ingest: ${JSON.stringify(r.summary)}`);
console.log(`ingest ${N} forms with ${jobs} worker threads: ${secs.toFixed(1)} s, ${(N / secs).toFixed(1)} forms/s (target ≥ 30/s), including worker start-up`);
// The machine may be shared: CPU time per form says what the cores would do if they were ours.
console.log(`  CPU ${cpuMs.toFixed(1)} ms per form (all threads) → ${((1000 / cpuMs) * jobs).toFixed(0)} forms/s on ${jobs} idle cores; load average ${loadavg()[0].toFixed(1)}`);
