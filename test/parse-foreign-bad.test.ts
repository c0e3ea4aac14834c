import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseForm, ParseFailure } from '../src/parse/index.js';

/**
 * Bad input (scripts/make-foreign-fixtures.mjs bad): a blank form, another document, a page of
 * another kind. Each `<name>.expect.json` says the answer: `{ failure: code, kind? }` (refused with a
 * Chinese reason, `kind` naming the kind the caller forces) or `{ detected: kind }`. Never a record marked valid.
 */
const dir = 'fixtures/foreign/bad';
const cases = readdirSync(dir).filter((f) => f.endsWith('.pdf'));

describe('parse: bad input gets a clear answer', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(4));
  for (const f of cases) {
    it(f, async () => {
      const want = JSON.parse(readFileSync(join(dir, f.replace(/\.pdf$/, '.expect.json')), 'utf8')) as { failure?: string; kind?: string; detected?: string };
      const run = parseForm(readFileSync(join(dir, f)), want.kind ? { kind: want.kind } : {});
      if (want.detected) {
        expect((await run).kind).toBe(want.detected);
        return;
      }
      const e = await run.then(
        (r) => r,
        (e: unknown) => e,
      );
      expect(e).toBeInstanceOf(ParseFailure);
      expect((e as ParseFailure).code).toBe(want.failure);
      expect((e as ParseFailure).message).toMatch(/\p{Script=Han}/u);
    });
  }
});
