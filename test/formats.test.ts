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
