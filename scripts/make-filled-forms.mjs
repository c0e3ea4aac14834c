#!/usr/bin/env node
/**
 * Makes the filled-fillable-form fixtures under fixtures/foreign/ (committed; CI never runs this):
 * bangban's blank fillable 附件2 filled by other programs, as an office's script would fill it.
 * - application-filled-pdftk.pdf: pdftk-java fill_form with an XFDF of fixtures/application/typical.json,
 *   need_appearances (pdftk cannot draw Chinese itself; viewers draw the values).
 * - application-filled-pypdf.pdf: pypdf update_page_form_field_values with long-values.json (values
 *   only, no appearance streams: NeedAppearances).
 * Each with <name>.expected.json, the record it was filled from. About 1.5 MB each (the form's font).
 * Needs: npm run build; apt-get install -y pdftk-java python3-pypdf
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKind, renderDocument } from '../dist/index.js';
import { fieldValues, fillWithPdftk, fillWithPypdf } from './fill-tools.mjs';

const root = new URL('../', import.meta.url).pathname;
const out = join(root, 'fixtures/foreign');
const kind = getKind('application');
const blank = join(mkdtempSync(join(tmpdir(), 'filled-')), 'form.pdf');
writeFileSync(blank, await renderDocument(kind, null, 'pdf', { fillable: true }));

const cases = [
  { name: 'application-filled-pdftk', record: 'typical', fill: (v, to) => fillWithPdftk(blank, to, v, { needAppearances: true }) },
  { name: 'application-filled-pypdf', record: 'long-values', fill: (v, to) => fillWithPypdf(blank, to, v) },
];
for (const c of cases) {
  const record = JSON.parse(readFileSync(join(root, `fixtures/application/${c.record}.json`), 'utf8'));
  c.fill(fieldValues(kind, record), join(out, `${c.name}.pdf`));
  writeFileSync(join(out, `${c.name}.expected.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`fixtures/foreign/${c.name}.pdf`);
}
