/** A few cases of bench/fuzz-reader.js (the bench runs 1,000): mutated files never break parse's exit contract. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error a plain-JS bench module, run against dist/ (npm test builds first)
import { fuzz, GOOD } from '../bench/fuzz-reader.js';

describe('fuzzing the reader', () => {
  it('12 mutated files, one per seed: each exits 0, 1 or 2 (with a Chinese reason), within 10 s of CPU and 1 GB', async () => {
    const r = await fuzz({ cases: 12, jobs: 1, seed: 3, keep: mkdtempSync(join(tmpdir(), 'bangban-fuzz-failures-')) });
    expect(r.failures).toEqual([]);
    expect(Object.keys(r.counts).every((k) => GOOD.has(k))).toBe(true);
    expect(Object.values(r.counts).reduce((a: number, b) => a + (b as number), 0)).toBe(12);
  }, 300_000);
});
