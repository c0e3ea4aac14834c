// OCR accuracy and speed on scans, per class (issues 7, 13).
//   npm run build && node scripts/make-scans.mjs --out out/scans && node bench/ocr-accuracy.js [out/scans] [--verbose]
//   node scripts/make-foreign-scans.mjs --out out/foreign-scans && node bench/ocr-accuracy.js out/foreign-scans
// Each folder is a class (condition, or producer-condition): field exact match after NFKC (every
// scalar field of the true record, plus any field the OCR invents), checkbox accuracy (each of the
// five options ticked or not), fields sent to review, review recall (the share of wrong fields that
// were flagged or left empty), and seconds per page. One process, models loaded once, pages read one
// after another.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseScan, loadEngine } from '../dist/ocr/index.js';
import { getKind } from '../dist/index.js';
import { quantile, fmt } from './lib.js';

const args = process.argv.slice(2);
const root = args.find((a) => !a.startsWith('--') && existsSync(a)) ?? 'out/scans';
const verbose = args.includes('--verbose');
// The 代办内容 options, from the application schema.
const OPTIONS = getKind('application').options('/services');

/** Scalar leaves as pointer → value (lists compared separately). */
function leaves(o, base = '', out = new Map()) {
  for (const [k, v] of Object.entries(o ?? {})) {
    const p = `${base}/${k}`;
    if (Array.isArray(v)) continue;
    if (v && typeof v === 'object') leaves(v, p, out);
    else out.set(p, v);
  }
  return out;
}

/** Compared after NFKC: a full-width １０８８ typed by the applicant is the same field as 1088. */
const norm = (v) => (typeof v === 'string' ? v.normalize('NFKC') : v);

const t0 = performance.now();
await loadEngine();
console.log(`models loaded in ${fmt(performance.now() - t0, 0)} ms`);
const rows = [];
/** Raw counts per class, summed by condition below. */
const totals = [];
for (const cond of readdirSync(root).sort()) {
  const dir = join(root, cond);
  const files = readdirSync(dir).filter((f) => /\.(jpe?g|png|tiff?|pdf)$/i.test(f)).sort();
  if (!files.length) continue;
  let refusedOk = 0, refusals = 0;
  let fields = 0, fieldOk = 0, fieldOkLoose = 0, boxes = 0, boxOk = 0, review = 0, reviewWrong = 0, wrong = 0, valid = 0;
  const ms = [],
    cpu = [];
  let pageCount = 0;
  for (const f of files) {
    const truth = JSON.parse(readFileSync(join(dir, f.replace(/\.[^.]+$/, '.truth.json')), 'utf8'));
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await parseScan(readFileSync(join(dir, f)), { file: f });
    // a file of several pages (a two-page form) counts per page
    const n = Math.max(1, r.pages?.length ?? 1);
    pageCount += n;
    ms.push((performance.now() - t) / n);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000 / n);
    if (r.valid) valid++;
    if (r.error && verbose) console.log(`  ${cond}/${f}: ${r.error}`);
    // A page that is not the form must be refused (no record, an error), never read as one.
    if (truth.refused) {
      refusals++;
      if (r.error && !r.kind) refusedOk++;
      else if (verbose) console.log(`  ${cond}/${f}: read as ${r.kind} (${Object.keys(r.fields).length} fields), not refused`);
      continue;
    }
    const want = leaves(truth);
    const got = leaves(r.record);
    for (const p of new Set([...want.keys(), ...got.keys()])) {
      fields++;
      const w = norm(want.get(p)), g = norm(got.get(p));
      const ok = w === g;
      const loose = ok || (typeof w === 'string' && typeof g === 'string' && w.replace(/\s/g, '') === g.replace(/\s/g, ''));
      if (ok) fieldOk++;
      if (loose) fieldOkLoose++;
      const flagged = r.needsReview.includes(p) || !got.has(p);
      if (!ok) wrong++;
      if (!ok && flagged) reviewWrong++;
      if (r.needsReview.includes(p)) review++;
      if (!ok && verbose) console.log(`  ${cond}/${f} ${p}: want ${JSON.stringify(want.get(p))} got ${JSON.stringify(got.get(p))}${flagged ? ' (review)' : ''}`);
    }
    const ticked = new Set(r.record.services ?? []);
    for (const o of OPTIONS) {
      boxes++;
      const ok = ticked.has(o) === (truth.services ?? []).includes(o);
      if (ok) boxOk++;
      else if (verbose) console.log(`  ${cond}/${f} box ${o}: want ${(truth.services ?? []).includes(o)}`);
    }
    if (verbose) console.log(`  ${cond}/${f}: ${fmt(ms[ms.length - 1], 0)} ms, rotation ${r.pages[0]?.rotation}, skew ${r.pages[0]?.skew}, dpi ${r.pages[0]?.dpi}`);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  if (refusals) {
    rows.push({ cond, pages: files.length, fields: `refused ${refusedOk}/${refusals}`, valid: `${valid}/${files.length}`, 's/page median': fmt(quantile(ms, 0.5) / 1000, 2) });
    continue;
  }
  totals.push({ cond, fields, fieldOk, boxes, boxOk, wrong, reviewWrong, cpu: quantile(cpu, 0.5) });
  rows.push({ cond, pages: pageCount, fields: `${fmt((100 * fieldOk) / fields)}%`, '…ignoring spaces': `${fmt((100 * fieldOkLoose) / fields)}%`, boxes: `${fmt((100 * boxOk) / boxes)}%`, valid: `${valid}/${files.length}`, review: review, 'wrong→review': `${reviewWrong}/${wrong}`, 'review recall': wrong ? `${fmt((100 * reviewWrong) / wrong)}%` : '–', 's/page median': fmt(quantile(ms, 0.5) / 1000, 2), 's/page max': fmt(ms[ms.length - 1] / 1000, 2), 'cpu s/page': fmt(quantile(cpu, 0.5) / 1000, 2) });
}
console.log(`OCR accuracy on ${root} — fields: exact match of every scalar field; boxes: each option's state`);
console.table(rows);
// The same, summed by condition over every producer (the class name without its producer:
// chromium-inline-200-noisy → 200-noisy), the way the targets are put.
const byCondition = new Map();
for (const t of totals) {
  const c = /-(\d{3}(?:-[a-z-]+)?)$/.exec(t.cond)?.[1] ?? t.cond;
  const a = byCondition.get(c) ?? { classes: 0, fields: 0, fieldOk: 0, boxes: 0, boxOk: 0, wrong: 0, reviewWrong: 0, cpu: [] };
  for (const k of ['fields', 'fieldOk', 'boxes', 'boxOk', 'wrong', 'reviewWrong']) a[k] += t[k];
  a.classes++;
  a.cpu.push(t.cpu);
  byCondition.set(c, a);
}
const all = [...byCondition.values()].reduce((s, a) => ({ wrong: s.wrong + a.wrong, reviewWrong: s.reviewWrong + a.reviewWrong }), { wrong: 0, reviewWrong: 0 });
console.log('By condition, over every producer:');
console.table(
  [...byCondition].sort().map(([c, a]) => ({
    condition: c,
    classes: a.classes,
    fields: `${fmt((100 * a.fieldOk) / a.fields)}% (${a.fieldOk}/${a.fields})`,
    boxes: `${fmt((100 * a.boxOk) / a.boxes)}%`,
    'review recall': a.wrong ? `${fmt((100 * a.reviewWrong) / a.wrong)}% (${a.reviewWrong}/${a.wrong})` : '–',
    'cpu s/page (median of classes)': fmt(quantile(a.cpu.sort((x, y) => x - y), 0.5) / 1000, 2),
  })),
);
console.log(`review recall over all: ${all.wrong ? fmt((100 * all.reviewWrong) / all.wrong) : '–'}% (${all.reviewWrong} of ${all.wrong} wrong fields flagged or left empty)`);
console.log(`load average during the run: ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores (wall times grow with other load; cpu s/page is this process's own CPU time, both threads)`);
