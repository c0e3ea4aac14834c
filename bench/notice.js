// Median and p95 milliseconds per one-page 补正材料一次性告知书 in a warm process, and bytes per file.
// Run after `npm run build`: node bench/notice.js [runs]
//
// Two cases: the one-material fixture (its receipt joins page 1 by tightening the line pitch, which
// takes a second layout), and a shorter notice that fits the 22-line grid at once (one layout).
// CPU time is printed beside wall time: on a busy machine it is the fairer figure.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { getKind, renderPdf } from '../dist/index.js';
import { timeRuns, quantile, fmt } from './lib.js';

const kind = getKind('notice');
const fixture = JSON.parse(readFileSync('fixtures/notice/one-material.json', 'utf8'));
const short = {
  ...fixture,
  applicant: { name: fixture.applicant.name },
  materials: [{ name: '营业执照副本复印件', copies: 1, howToObtain: '单位自行复印' }],
};
const runs = Number(process.argv[2] ?? 60);

console.log(`补正材料一次性告知书 PDF, ${runs} runs each (warm process, one thread; load average ${fmt(loadavg()[0])} on ${cpus().length} CPUs)`);
for (const [label, record] of [['one-material fixture', fixture], ['short notice', short]]) {
  let bytes = [];
  const cpu = [];
  const ms = await timeRuns(async () => {
    const before = process.cpuUsage();
    const pdf = await renderPdf(kind, record);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
    bytes.push(pdf.length);
  }, { runs });
  bytes = bytes.slice(-runs).sort((a, b) => a - b);
  const cpuMs = cpu.slice(-runs).sort((a, b) => a - b);
  console.log(`  ${label.padEnd(22)} median ${fmt(quantile(ms, 0.5))} ms (CPU ${fmt(quantile(cpuMs, 0.5))} ms)   p95 ${fmt(quantile(ms, 0.95))} ms   ${fmt(quantile(bytes, 0.5) / 1024)} KB   (target: median ≤ 60 ms)`);
}
