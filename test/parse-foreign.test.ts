import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseForm } from '../src/parse/index.js';

/** PDFs made by other software (scripts/make-foreign-fixtures.mjs): Chromium from HTML, LibreOffice from bangban's DOCX; bangban's fillable form filled by pdftk and pypdf (scripts/make-filled-forms.mjs, `-filled-`); the kind is the file name's first word. */
const dir = 'fixtures/foreign';
const cases = readdirSync(dir).filter((f) => f.endsWith('.pdf') && readdirSync(dir).includes(f.replace(/\.pdf$/, '.expected.json')));

describe('parse: forms printed by other software', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(2));
  for (const f of cases) {
    it(f, async () => {
      const want = JSON.parse(readFileSync(join(dir, f.replace(/\.pdf$/, '.expected.json')), 'utf8'));
      const r = await parseForm(readFileSync(join(dir, f)));
      expect(r.kind).toBe(f.split('-')[0]);
      expect(r.source).toBe(f.includes('-filled-') ? 'fields' : 'text'); // fillable forms filled by other tools
      expect(r.record).toEqual(want);
      expect(r.valid).toBe(true);
    });
  }
});
