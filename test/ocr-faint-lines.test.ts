import { describe, it, expect } from 'vitest';
import { binarize, dropRed, faintLines, type Gray, type Rgb } from '../src/ocr/image.js';
import { findRules, throughSeal } from '../src/ocr/geometry.js';

/** A deterministic noise source (a scanner's grain), about ±`amp`. */
function grain(seed: number, amp: number): () => number {
  let s = seed;
  const uniform = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => (uniform() + uniform() + uniform() - 1.5) * amp;
}

/**
 * A 700 × 500 page of paper (240) with grain: a table of faint grey hairlines (four rows, three
 * columns; one line falling between two pixel rows, half its ink in each), one cell shaded grey, and
 * rows of black "characters" 12 px wide, 4 px apart, inside the cells.
 */
function faintTable(): { g: Gray; rows: number[]; cols: number[] } {
  const W = 700,
    H = 500;
  const noise = grain(5, 24);
  const data = new Uint8Array(W * H).map(() => Math.min(255, Math.round(240 + noise())));
  const rows = [60, 160, 260, 360, 460],
    cols = [50, 250, 450, 650];
  const darken = (p: number, by: number) => (data[p] = Math.max(0, data[p] - by));
  for (const y of rows)
    for (let x = 50; x <= 650; x++)
      if (y === 260) darken(y * W + x, 22), darken((y + 1) * W + x, 22);
      else darken(y * W + x, 40);
  for (const x of cols) for (let y = 60; y <= 460; y++) darken(y * W + x, 40);
  // a shaded cell (a label cell filled light grey), which has no line through it
  for (let y = 62; y < 159; y++) for (let x = 52; x < 249; x++) darken(y * W + x, 28);
  for (const top of [95, 195, 295, 395])
    for (let x = 70; x < 630; x += 16) for (let y = top; y < top + 12; y++) for (let k = 0; k < 12; k++) if ((x + k) % 200 > 60) data[y * W + x + k] = 30;
  return { g: { width: W, height: H, data }, rows, cols };
}

describe('ocr: faint ruled lines', () => {
  it('grey hairlines a page-wide threshold loses are found, and rows of text make no line', () => {
    const { g, rows, cols } = faintTable();
    const bin = binarize(g);
    const before = findRules(bin, g.width, g.height, 80);
    expect(before.h.length).toBeLessThan(rows.length);
    const ink = faintLines(g, bin);
    for (let p = 0; p < ink.length; p++) ink[p] |= bin[p];
    const { h, v } = findRules(ink, g.width, g.height, 80);
    expect(h.map((r) => Math.round(r.y0))).toEqual(rows.map((y) => (y === 260 ? expect.any(Number) : y)));
    // (a faint border of the shaded cell is found beside it only: the shade darkens the paper around)
    expect(h.filter((r) => r.y0 > 200).every((r) => r.x1 - r.x0 > 580)).toBe(true);
    expect(h.every((r) => r.x1 - r.x0 > 380)).toBe(true);
    expect(v.map((r) => Math.round(r.x0))).toEqual(cols);
  });

  it('a grey line under a red seal stays a line for the rule finder, while the seal leaves the text OCR reads', () => {
    const width = 400,
      height = 200;
    const data = new Uint8Array(width * height * 3).fill(240);
    const set = (x: number, y: number, rgb: number[]) => data.set(rgb, (y * width + x) * 3);
    for (let x = 20; x < 380; x++) set(x, 100, [170, 170, 170]);
    // a red ring multiplied over the middle of the line (a stamped seal)
    for (let y = 40; y < 160; y++)
      for (let x = 140; x < 260; x++) {
        const d = Math.hypot(x - 200, y - 100);
        if (d > 45 && d < 58) {
          const i = (y * width + x) * 3;
          data[i] = Math.round(data[i] * 0.88);
          data[i + 1] = Math.round(data[i + 1] * 0.31);
          data[i + 2] = Math.round(data[i + 2] * 0.31);
        }
      }
    const r = dropRed({ width, height, data } as Rgb);
    expect(r.red).toBeDefined();
    // where the ring crosses the line (x ≈ 148)
    const at = 100 * width + 148;
    expect(r.grey.data[at]).toBe(255);
    expect(r.lines!.data[at]).toBeLessThan(215);
    // and the ring itself, away from the line, is paper in both
    expect(r.lines!.data[60 * width + 200 - 1]).toBeGreaterThan(230);
  });

  describe('a vertical rule a seal covers', () => {
    // a 200 dpi page: rows of cells at y 100, 200 and 300; red over x 300 from y 80 to 240
    const width = 600,
      height = 400;
    const red = { width, height, data: new Uint8Array(width * height).fill(255) } as Gray;
    for (let y = 80; y < 240; y++) for (let x = 280; x < 320; x++) red.data[y * width + x] = 0;
    const h = [100, 200, 300].map((y) => ({ x0: 20, y0: y, x1: 580, y1: y }));

    it('goes on through the seal to the row it stopped short of', () => {
      expect(throughSeal({ x0: 300, y0: 240, x1: 300, y1: 300 }, h, [], red, 200)).toMatchObject({ y0: 200, y1: 300 });
    });

    it('stays where it meets a row already: the cell above has no border there', () => {
      expect(throughSeal({ x0: 300, y0: 200, x1: 300, y1: 300 }, h, [], red, 200)).toMatchObject({ y0: 200, y1: 300 });
      expect(throughSeal({ x0: 300, y0: 202, x1: 300, y1: 300 }, h, [], red, 200)).toMatchObject({ y0: 202, y1: 300 });
    });

    it('…but goes on through a row the seal wiped it from, when the line carries on beyond that row', () => {
      const piece = { x0: 300, y0: 200, x1: 300, y1: 300 };
      const beyond = { x0: 301, y0: 20, x1: 301, y1: 100 };
      expect(throughSeal(piece, h, [piece, beyond], red, 200)).toMatchObject({ y0: 100, y1: 300 });
    });
  });
});
