import { describe, it, expect } from 'vitest';
import { FORMATS } from '../src/core/formats.js';
import { blankPieces } from '../src/core/blank.js';

// Each field format is declared once (src/core/formats.ts); its parts must agree with each other.
describe('field formats', () => {
  for (const [name, f] of Object.entries(FORMATS)) {
    it(`${name}: the sample passes the check, reads back as itself, and has a note and a fill-in line`, () => {
      expect(f.check(f.sample)).toBeNull();
      expect(f.read(f.sample)).toEqual({ value: f.sample, repaired: false, ok: true });
      expect(f.note.length).toBeGreaterThan(2);
      expect(blankPieces(f.blank).some((p) => p.line)).toBe(true);
      if (f.fromCell) expect(f.fromCell(f.sample)).toBe(f.sample);
      if (f.unbroken) expect(f.sample.length).toBeLessThanOrEqual(f.unbroken);
    });
  }
  it('a printed value reads back to the stored one', () => {
    for (const f of Object.values(FORMATS)) if (f.print) expect(f.read(f.print(f.sample)).value).toBe(f.sample);
  });
});

describe('values as people write them', () => {
  const read = (format: string, text: string) => FORMATS[format].read(text);
  it('phones grouped with hyphens, an area code in brackets', () => {
    expect(read('phone', '137-8213-4567')).toMatchObject({ value: '13782134567', ok: true });
    expect(read('phone', '(0377)63123456')).toMatchObject({ value: '0377-63123456', ok: true });
    expect(read('phone', '（0377） 6312 3456')).toMatchObject({ value: '0377-63123456', ok: true });
    // a hyphen inside a number too short stays wrong
    expect(read('phone', '137-8213-456').ok).toBe(false);
  });
  it('times on the hour, in the afternoon', () => {
    expect(read('date-minute', '2026年9月16日下午3时')).toMatchObject({ value: '2026-09-16T15:00', ok: true });
    expect(read('date-minute', '2026年9月16日15点整')).toMatchObject({ value: '2026-09-16T15:00', ok: true });
    expect(read('date-minute', '2026年9月16日10时40分')).toMatchObject({ value: '2026-09-16T10:40', ok: true });
    expect(read('date-minute', '2026年9月16日').ok).toBe(false);
  });
});
