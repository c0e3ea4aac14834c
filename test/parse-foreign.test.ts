import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseForm } from '../src/parse/index.js';

/**
 * PDFs made by other software (scripts/make-foreign-fixtures.mjs): Chromium from HTML pages (Noto CJK,
 * tick notations, two pages, swapped), LibreOffice from bangban's DOCX and from a Word-style document,
 * a hand-written PDF with a non-embedded CID font and drawn boxes; bangban's fillable
 * form filled by pdftk and pypdf (scripts/make-filled-forms.mjs, `-filled-`); the kind is the file name's first word.
 */
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
      // deliberately wrong values (<name>.needs-review.json): read as written, flagged with a reason, never valid
      const review = join(dir, f.replace(/\.pdf$/, '.needs-review.json'));
      const flagged: string[] = existsSync(review) ? JSON.parse(readFileSync(review, 'utf8')) : [];
      expect(r.needsReview ?? []).toEqual(flagged);
      for (const p of flagged) expect(r.fields[p].reason).toMatch(/\p{Script=Han}/u);
      expect(r.valid).toBe(!flagged.length);
    });
  }
});
