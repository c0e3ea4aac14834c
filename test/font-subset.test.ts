import { describe, it, expect } from 'vitest';
import * as fontkit from 'fontkit';
import { fontBytes, fontFor } from '../src/pdf/fontCache.js';
import { defaultFonts } from '../src/pdf/fonts.js';

interface Subset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}
interface Font {
  createSubset(): Subset;
  glyphForCodePoint(cp: number): { id: number };
  numGlyphs: number;
}

// The text of a notice, some Latin and digits, punctuation, and a spread of glyph ids (composite
// glyphs among them) in an order no document would use.
const TEXT = '补正材料一次性告知书南阳市宛城区绿源环保科技有限公司：你单位（统一社会信用代码：91411300MA44ABCD5J）于2026年3月2日提交的“建设项目环境影响报告表审批”√—';

describe('font subsets', () => {
  for (const [role, { file }] of Object.entries(defaultFonts())) {
    it(`${role}: the subset font file is byte for byte fontkit's own`, () => {
      // fontkit's ES module build is a separate copy of the library, untouched by src/pdf.
      const reference = (fontkit as unknown as { create(b: Uint8Array): Font }).create(fontBytes(file));
      const ours = fontFor(file) as unknown as Font;
      const a = reference.createSubset();
      const b = ours.createSubset();
      const ids = [...TEXT].map((c) => reference.glyphForCodePoint(c.codePointAt(0)!).id);
      for (let g = 1; g < reference.numGlyphs; g += 997) ids.push(g);
      for (const id of ids) {
        a.includeGlyph(id);
        b.includeGlyph(id);
      }
      const expected = Buffer.from(a.encode());
      expect(Buffer.from(b.encode()).equals(expected)).toBe(true);
      expect(expected.length).toBeGreaterThan(1000);
    });
  }
});
