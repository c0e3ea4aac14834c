/**
 * Small print set close (a long value a PDF reader shrank into a fillable field's box, three lines
 * of 7-point text in a cell): the detector's boxes of neighbouring lines run into each other, and a
 * column of characters' left strokes looks like a ruled line. Model-free parts.
 */
import { describe, it, expect } from 'vitest';
import { joinRow, tangles } from '../src/ocr/untangle.js';
import { strokesOfText } from '../src/ocr/geometry.js';
import type { Box } from '../src/ocr/engine.js';

describe('ocr small print: tangled line boxes', () => {
  it('boxes of neighbouring lines that share over a quarter of their rows are one tangle; lines apart, or side by side, are none', () => {
    const boxes: Box[] = [
      [800, 890, 1205, 935], // 河南省南阳市… (a box over a line and a half)
      [801, 938, 1156, 983], // 展产业技术…
      [829, 925, 929, 943], // pieces of the middle line
      [921, 918, 1142, 950],
      [800, 1100, 1200, 1130], // a line further down
      [1300, 890, 1500, 935], // another cell's line beside
    ];
    expect(tangles(boxes).map((t) => t.sort((a, b) => a - b))).toEqual([[0, 1, 2, 3]]);
    expect(tangles([[0, 0, 400, 30], [0, 40, 400, 70], [0, 80, 300, 110]])).toEqual([]);
  });
  it('pieces of one line found closer up are joined; lines above each other are not', () => {
    const got = joinRow([
      [728, 449, 855, 468],
      [709, 449, 722, 468], // 河 / 南省南阳市…: parted at a wide gap
      [709, 467, 850, 477],
    ]);
    expect(got).toEqual([
      [709, 449, 855, 468],
      [709, 467, 850, 477],
    ]);
  });
});

describe('ocr small print: a column of strokes is no ruled line', () => {
  const W = 200,
    H = 200;
  it('a vertical run with characters’ strokes going off it along most of its length is text; a border with text kept clear is a rule', () => {
    const bin = new Uint8Array(W * H);
    // the left strokes of characters one under the other (x = 100), with their bars going right
    for (let y = 20; y < 110; y++) {
      if (y % 15 > 12) continue; // the rows between lines
      bin[y * W + 100] = bin[y * W + 101] = 1;
      if (y % 3 !== 2) for (let x = 102; x < 112; x++) bin[y * W + x] = 1;
      else bin[y * W + 108] = 1;
    }
    expect(strokesOfText(bin, W, { x0: 100, y0: 20, x1: 100, y1: 110 }, 150)).toBe(true);
    // a border at x = 50: text 8 px off it on both sides, one line crossing it
    for (let y = 20; y < 110; y++) bin[y * W + 50] = 1;
    for (let x = 30; x < 70; x++) bin[60 * W + x] = 1;
    for (let y = 30; y < 100; y++) if (y % 15 < 12) bin[y * W + 58] = bin[y * W + 42] = 1;
    expect(strokesOfText(bin, W, { x0: 50, y0: 20, x1: 50, y1: 110 }, 150)).toBe(false);
    // a border printed thick (four pixels at 200 dpi), text clear of it
    for (let y = 20; y < 110; y++) for (let x = 148; x < 152; x++) bin[y * W + x] = 1;
    expect(strokesOfText(bin, W, { x0: 149.5, y0: 20, x1: 149.5, y1: 110 }, 200)).toBe(false);
  });
});
