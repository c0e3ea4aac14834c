// Median and p95 milliseconds per one-page 补正材料一次性告知书 in a warm process, and bytes per file.
// Run after `npm run build`: node bench/notice.js [runs]
//
// Two cases: the one-material fixture (its receipt joins page 1 by tightening the line pitch, which
// takes up to three layouts), and a shorter notice that fits the 22-line grid at once (one layout).
import { readFileSync } from 'node:fs';
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

console.log(`补正材料一次性告知书 PDF, ${runs} runs each (warm process, one thread)`);
for (const [label, record] of [['one-material fixture', fixture], ['short notice', short]]) {
  let bytes = [];
  const ms = await timeRuns(async () => {
    const pdf = await renderPdf(kind, record);
    bytes.push(pdf.length);
  }, { runs });
  bytes = bytes.slice(-runs).sort((a, b) => a - b);
  console.log(`  ${label.padEnd(22)} median ${fmt(quantile(ms, 0.5))} ms   p95 ${fmt(quantile(ms, 0.95))} ms   ${fmt(quantile(bytes, 0.5) / 1024)} KB   (target: median ≤ 60 ms)`);
}
