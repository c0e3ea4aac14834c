// Median and p95 milliseconds per application-form PDF in a warm process, and bytes per file.
// Run after `npm run build`: node bench/application.js [runs]
import { readFileSync, readdirSync } from 'node:fs';
import { getKind, renderPdf } from '../dist/index.js';
import { timeRuns, quantile, fmt } from './lib.js';

const kind = getKind('application');
const records = readdirSync('fixtures/application').map((f) => JSON.parse(readFileSync(`fixtures/application/${f}`, 'utf8')));
const runs = Number(process.argv[2] ?? 60);
let bytes = [];
const ms = await timeRuns(async (i) => {
  const pdf = await renderPdf(kind, records[i % records.length]);
  bytes.push(pdf.length);
}, { runs });
bytes = bytes.slice(-runs).sort((a, b) => a - b);
console.log(`application PDF, ${runs} runs over ${records.length} fixtures (warm process, one thread)`);
console.log(`  median ${fmt(quantile(ms, 0.5))} ms   p95 ${fmt(quantile(ms, 0.95))} ms   (target: median ≤ 60 ms)`);
console.log(`  bytes per form: median ${fmt(quantile(bytes, 0.5) / 1024)} KB   max ${fmt(bytes[bytes.length - 1] / 1024)} KB   (target ≤ 60 KB)`);
