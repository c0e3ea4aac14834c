#!/usr/bin/env node
/**
 * Reading forms bangban did not lay out (fixtures/foreign/, made by scripts/make-foreign-fixtures.mjs),
 * scored per class (the producer: the file name's second word). Run after `npm run build`:
 *   node bench/foreign-text.js [-v]
 * - fields: scalar values equal to the expected record after normalisation (match keys), over the
 *   union of expected and read fields (a value read where none is expected counts as wrong);
 * - boxes: check-box options whose ticked state agrees (every option of every check-box list);
 * - review recall: of the deliberately wrong values (<name>.needs-review.json), the share flagged
 *   needsReview; false flags: flagged fields on forms without wrong values;
 * - median milliseconds per form (warm).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseForm, getKind } from '../dist/index.js';
import { matchKey } from '../dist/core/normalizeText.js';

const dir = new URL('../fixtures/foreign/', import.meta.url).pathname;
const verbose = process.argv.includes('-v');
const files = readdirSync(dir).filter((f) => f.endsWith('.pdf') && existsSync(join(dir, f.replace(/\.pdf$/, '.expected.json'))));

/** Scalar leaves by pointer; lists of options apart. */
function leaves(o, kind, p = '', out = { scalars: {}, lists: {} }) {
  for (const [k, v] of Object.entries(o ?? {})) {
    const ptr = `${p}/${k}`;
    if (Array.isArray(v) && kind.schema.at(`${ptr}/0`)?.enum) out.lists[ptr] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) leaves(v, kind, ptr, out);
    else out.scalars[ptr] = Array.isArray(v) ? JSON.stringify(v) : String(v);
  }
  return out;
}

const classes = new Map();
const row = (c) => classes.get(c) ?? classes.set(c, { forms: 0, failed: 0, fields: 0, fieldsOk: 0, boxes: 0, boxesOk: 0, wrong: 0, flagged: 0, falseFlags: 0, ms: [] }).get(c);
for (const f of files) {
  const cls = f.replace(/\.pdf$/, '').split('-')[1];
  const r = row(cls);
  r.forms++;
  const bytes = readFileSync(join(dir, f));
  const want = JSON.parse(readFileSync(join(dir, f.replace(/\.pdf$/, '.expected.json')), 'utf8'));
  const reviewFile = join(dir, f.replace(/\.pdf$/, '.needs-review.json'));
  const wrong = existsSync(reviewFile) ? JSON.parse(readFileSync(reviewFile, 'utf8')) : [];
  const kind = getKind(f.split('-')[0]);
  let got;
  try {
    await parseForm(bytes);
    const t = performance.now();
    got = await parseForm(bytes);
    r.ms.push(performance.now() - t);
  } catch (e) {
    r.failed++;
    if (verbose) console.log(`${f}: ${e.message}`);
  }
  const w = leaves(want, kind);
  const g = leaves(got?.record, kind);
  const bad = [];
  for (const p of new Set([...Object.keys(w.scalars), ...Object.keys(g.scalars)])) {
    r.fields++;
    if (w.scalars[p] !== undefined && g.scalars[p] !== undefined && matchKey(w.scalars[p]) === matchKey(g.scalars[p])) r.fieldsOk++;
    else bad.push(`${p}: ${JSON.stringify(g.scalars[p])} ≠ ${JSON.stringify(w.scalars[p])}`);
  }
  for (const p of new Set([...Object.keys(w.lists), ...Object.keys(g.lists)])) {
    for (const o of kind.options(p)) {
      r.boxes++;
      if ((w.lists[p] ?? []).includes(o) === (g.lists[p] ?? []).includes(o)) r.boxesOk++;
      else bad.push(`${p} ${o}: ${(g.lists[p] ?? []).includes(o) ? '☑' : '☐'}`);
    }
  }
  const flagged = got?.needsReview ?? [];
  r.wrong += wrong.length;
  r.flagged += wrong.filter((p) => flagged.includes(p)).length;
  r.falseFlags += flagged.filter((p) => !wrong.includes(p)).length;
  if (verbose && bad.length) console.log(`${f}:\n  ${bad.join('\n  ')}`);
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(0) : '—');
const head = ['class', 'forms', 'refused', 'fields exact', 'boxes', 'review recall', 'false flags', 'ms/form'];
const lines = [...classes].map(([c, r]) => [c, r.forms, r.failed, `${pct(r.fieldsOk, r.fields)} (${r.fieldsOk}/${r.fields})`, `${pct(r.boxesOk, r.boxes)} (${r.boxesOk}/${r.boxes})`, r.wrong ? `${pct(r.flagged, r.wrong)} (${r.flagged}/${r.wrong})` : '—', r.falseFlags, median(r.ms)]);
const all = [...classes.values()].reduce((a, r) => ({ forms: a.forms + r.forms, failed: a.failed + r.failed, fieldsOk: a.fieldsOk + r.fieldsOk, fields: a.fields + r.fields, boxesOk: a.boxesOk + r.boxesOk, boxes: a.boxes + r.boxes, flagged: a.flagged + r.flagged, wrong: a.wrong + r.wrong, falseFlags: a.falseFlags + r.falseFlags, ms: [...a.ms, ...r.ms] }), { forms: 0, failed: 0, fieldsOk: 0, fields: 0, boxesOk: 0, boxes: 0, flagged: 0, wrong: 0, falseFlags: 0, ms: [] });
lines.push(['all', all.forms, all.failed, `${pct(all.fieldsOk, all.fields)} (${all.fieldsOk}/${all.fields})`, `${pct(all.boxesOk, all.boxes)} (${all.boxesOk}/${all.boxes})`, `${pct(all.flagged, all.wrong)} (${all.flagged}/${all.wrong})`, all.falseFlags, median(all.ms)]);
console.log(`| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|\n${lines.map((l) => `| ${l.join(' | ')} |`).join('\n')}`);
