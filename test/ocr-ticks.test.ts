import { describe, it, expect } from 'vitest';
import { getKind } from '../src/kinds/index.js';
import { toPageData } from '../src/ocr/parse.js';
import { ticked } from '../src/parse/boxes.js';
import { markBeside, type OcrCheckbox, type OcrLine, type OcrPageImage } from '../src/ocr/page.js';

// Box notations of forms other producers made, read from pixels and positioned lines without
// models (issue 13): options wrapped over two lines in narrow cells with the box in the middle of
// both, a box at the end of the line above an option that starts its line, and brackets [ ] / [√].
const W = 1600,
  H = 400,
  C = 30; // character pitch, px

/** A recognised line of the given text at x, y (one char per pitch). */
function line(text: string, x: number, y: number): OcrLine {
  const chars = [...text].map((ch, k) => ({ ch, p: 0.98, x0: x + k * C, x1: x + (k + 1) * C - 2 }));
  return { text, box: [x, y, x + chars.length * C, y + C], confidence: 0.98, chars };
}

const box = (x: number, y: number, checked: boolean): OcrCheckbox => ({ box: [x, y, x + 24, y + 24], fill: checked ? 0.4 : 0, checked, confidence: 1 });

function pageOf(lines: OcrLine[], checkboxes: OcrCheckbox[], bin = new Uint8Array(W * H)): OcrPageImage {
  return { bin, page: { index: 0, width: W, height: H, dpi: 200, rotation: 0, skew: 0, lines, rules: { h: [], v: [] }, checkboxes, ms: 0 } };
}

/** The marks (☑ ☐ √) put before the options, by the option that follows each, in reading order. */
function marks(img: OcrPageImage): string[] {
  const items = toPageData(img, [getKind('application')], new Map()).items;
  const order = [...items].sort((a, b) => (Math.abs(a.y - b.y) > 4 ? b.y - a.y : a.x - b.x));
  return order.map((it) => it.str);
}

describe('ocr ticks: options wrapped over two lines', () => {
  // 代办内容 | □ 大厅综合窗 / 口受理 | ■ 大厅综合窗 / 口办结领证 | □ 上门送达办 / 理结果 | ■ 事前辅导
  // (the box in its own column, in the middle of the cell's two lines)
  const top = 100,
    below = top + 34;
  const cols = [300, 560, 820];
  const lines = [
    line('大厅综合窗', cols[0], top),
    line('口受理', cols[0], below),
    line('大厅综合窗', cols[1], top),
    line('口办结领证', cols[1], below),
    line('上门送达办', cols[2], top),
    line('理结果', cols[2], below),
    line('事前辅导', 1100, top + 17),
  ];
  const boxes = [box(cols[0] - 40, top + 20, false), box(cols[1] - 40, top + 20, true), box(cols[2] - 40, top + 20, false), box(1060, top + 20, true)];
  it('each wrapped option gets the box beside its two lines', () => {
    const got = marks(pageOf(lines, boxes));
    expect(got.filter((s) => /[☑☐]/.test(s))).toEqual(['☐', '☑', '☐', '☑']);
    // each mark directly before the option it belongs to
    const at = (s: string) => got.indexOf(s);
    expect(got[at('口办结领证') - 1]).not.toBe('☑');
    expect(got.slice(0, 3)).toEqual(['☐', '大厅综合窗', '☑']);
  });
  it('a 口 starting the second line that was taken for a box is put back', () => {
    // the 口 of 口办结领证 read as a box (a square there) and cut off its line
    const cut = lines.map((l) => (l.text === '口办结领证' ? line('办结领证', cols[1] + C, below) : l));
    const got = marks(pageOf(cut, [...boxes, box(cols[1] + 2, below + 3, false)]));
    expect(got).toContain('口办结领证');
    expect(got.filter((s) => /[☑☐]/.test(s)).slice(0, 2)).toEqual(['☐', '☑']);
  });
});

describe('ocr ticks: a box at the end of the line above', () => {
  it('an option that starts its line takes the box ending the line above (■ 邮 / 寄送达办理结果)', () => {
    // ■大厅综合窗口受理 □上门送达办理结果 ■(邮) / 寄送达办理结果 □事前辅导: 邮 lost at the line's end
    const l1 = line('大厅综合窗口受理', 100, 100);
    const l1b = line('上门送达办理结果', 420, 100);
    const l2 = line('寄送达办理结果', 100, 140);
    const l2b = line('事前辅导', 400, 140);
    const got = marks(pageOf([l1, l1b, l2, l2b], [box(64, 103, true), box(384, 103, false), box(670, 103, true), box(364, 143, false)]));
    expect(got).toEqual(['☑', '大厅综合窗口受理', '☐', '上门送达办理结果', '☑', '邮寄送达办理结果', '☐', '事前辅导']);
  });
  it('an option whose first character ends the line above, after its box (■邮 / 寄送达办理结果■事前辅导), is that option, not its rest', () => {
    // as a browser wraps a run of options: each box read as ■ or 口 into its line
    const l1 = line('■大厅综合窗口受理', 100, 100);
    const l1b = line('口上门送达办理结果', 400, 100);
    const l1c = line('■邮', 700, 100);
    const l2 = line('寄送达办理结果■事前辅导', 100, 140);
    const got = marks(pageOf([l1, l1b, l1c, l2], [box(101, 103, true), box(401, 103, false), box(701, 103, true), box(311, 143, true)]));
    expect(got.filter((s) => /[☑☐]/.test(s))).toEqual(['☑', '☐', '☑', '☑']);
    expect(got[got.indexOf('邮') - 1]).toBe('☑');
  });
  it('with its own box before it, an option starting its line ignores the line above', () => {
    const l1 = line('大厅综合窗口受理', 100, 100);
    const l2 = line('上门送达办理结果', 100, 140);
    const l3 = line('事前辅导', 400, 140);
    const got = marks(pageOf([l1, l2, l3], [box(64, 103, false), box(380, 103, true), box(64, 143, false), box(364, 143, true)]));
    expect(got.filter((s) => /[☑☐]/.test(s))).toEqual(['☐', '☐', '☑']);
  });
});

describe('ocr ticks: brackets', () => {
  /** Ink: a bracket pair [ ] (or with a tick inside) before a label at x, y, text height 30. */
  function bracketed(bin: Uint8Array, x: number, y: number, tick: boolean) {
    const set = (px: number, py: number) => (bin[py * W + px] = 1);
    for (let yy = y + 2; yy < y + 30; yy++) for (const bx of [x - 50, x - 49, x - 12, x - 11]) set(bx, yy);
    for (let k = 0; k < 6; k++) for (const yy of [y + 2, y + 29]) (set(x - 50 + k, yy), set(x - 11 - k, yy));
    if (tick) {
      for (let k = 0; k <= 7; k++) set(x - 40 + k, y + 16 + k), set(x - 40 + k, y + 17 + k);
      for (let k = 0; k <= 16; k++) set(x - 33 + Math.round(k * 0.8), y + 23 - k), set(x - 32 + Math.round(k * 0.8), y + 23 - k);
    }
  }
  it('empty brackets are no mark, a tick between them is', () => {
    const bin = new Uint8Array(W * H);
    bracketed(bin, 200, 100, false);
    bracketed(bin, 600, 100, true);
    const img = pageOf([], [], bin);
    expect(markBeside(img, [200, 100, 500, 130])?.checked).toBe(false);
    expect(markBeside(img, [600, 100, 900, 130])?.checked).toBe(true);
  });
  it('what the recogniser read between the brackets ([/门]) is the mark, not text to search after', () => {
    const bin = new Uint8Array(W * H);
    const l = line('邮寄送达办理结果[/门]事前辅导', 200, 100);
    const x = 200 + 12 * C;
    bracketed(bin, x, 100, false);
    // a slanted stroke between them, too narrow to be taken for a box glyph
    for (let k = 0; k <= 20; k++) for (const d of [0, 1]) bin[(100 + 25 - k) * W + x - 40 + Math.round(k * 0.65) + d] = 1;
    const got = marks(pageOf([l], [], bin));
    expect(got[got.indexOf('事前辅导') - 1], got.join(' ')).toBe('√');
  });
});

describe('ocr ticks: a tick after the option', () => {
  it('with no mark before any option, a tick after one (read as /) is its mark', () => {
    // one option a line, ✓ after 邮寄送达办理结果 (the recogniser read it as /), nothing before any option
    const labels = ['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果/', '事前辅导'];
    const lines = labels.map((t, i) => line(t, 300, 40 + i * 50));
    const bin = new Uint8Array(W * H);
    const set = (x: number, y: number) => (bin[y * W + x] = bin[(y + 1) * W + x] = 1);
    const x = 300 + 8 * C + 4,
      y = 40 + 3 * 50;
    for (let k = 0; k <= 7; k++) set(x + k, y + 14 + k);
    for (let k = 0; k <= 18; k++) set(x + 7 + Math.round(k * 0.7), y + 21 - k);
    const got = marks(pageOf(lines, [], bin));
    expect(got.filter((s) => s === '√'), got.join(' ')).toHaveLength(1);
    // (beside that option: the synthetic line has no ink of its own, so its text item starts at the tick)
    expect(Math.abs(got.indexOf('√') - got.indexOf('邮寄送达办理结果/'))).toBe(1);
    expect(got.indexOf('√')).toBeGreaterThan(got.indexOf('上门送达办理结果'));
  });
  it('with marks before the options, nothing after them counts', () => {
    const labels = ['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导'];
    const lines = labels.map((t, i) => line(t, 300, 40 + i * 50));
    const bin = new Uint8Array(W * H);
    for (let k = 0; k <= 18; k++) bin[(40 + 3 * 50 + 20 - k) * W + 300 + 8 * C + 8 + k] = 1;
    const got = marks(pageOf(lines, labels.map((_, i) => box(260, 43 + i * 50, i === 0)), bin));
    expect(got.filter((s) => /[☑☐√]/.test(s))).toEqual(['☑', '☐', '☐', '☐', '☐']);
  });
});

describe('ocr ticks: a tick before a box the pixels did not show (√口, a small ☐ at 150 dpi)', () => {
  it('the tick read before an option’s 口 is that option’s, not the option’s before it', () => {
    // □大厅综合窗口受理 √□大厅综合窗口办结领证 □上门送达办理结果 √□邮寄送达办理结果 □事前辅导, no box found
    const l = line('口大厅综合窗口受理√口大厅综合窗口办结领证口上门送达办理结果√口邮寄送达办理结果口事前辅导', 100, 100);
    const items = toPageData(pageOf([l], []), [getKind('application')], new Map()).items;
    const text = [...items].sort((a, b) => a.x - b.x).map((i) => i.str).join(' ');
    // each tick stands right before the option it belongs to
    expect(text).toMatch(/√ 大厅综合窗口办结领证/);
    expect(text).toMatch(/√ 邮寄送达办理结果/);
    expect(ticked(text, getKind('application').options('/services'))).toEqual(['大厅综合窗口办结领证', '邮寄送达办理结果']);
  });
});

describe('ocr ticks: marks the recogniser dropped or misplaced (150 dpi scans)', () => {
  /** An empty square's outline, its corners broken when `broken` (a grey box binarised at 150 dpi). */
  function square(bin: Uint8Array, x0: number, y0: number, side: number, broken = false) {
    for (let k = 0; k <= side; k++) {
      if (broken && (k < 3 || k > side - 3)) continue;
      for (const [x, y] of [[x0 + k, y0], [x0 + k, y0 + side], [x0, y0 + k], [x0 + side, y0 + k]]) bin[y * W + x] = 1;
    }
  }
  it('a tick before a box, dropped by the recogniser (果 口邮寄), is found in the pixels when other options read √口', () => {
    // □大厅综合窗口受理 √□大厅综合窗口办结领证 □上门送达办理结果 √□邮寄送达办理结果 □事前辅导: the second √ read as nothing
    const text = '口大厅综合窗口受理√口大厅综合窗口办结领证口上门送达办理结果 口邮寄送达办理结果口事前辅导';
    const l = line(text, 40, 100);
    const bin = new Uint8Array(W * H);
    [...text].forEach((ch, k) => ch === '口' && square(bin, 40 + k * C + 4, 104, 20));
    // the tick, where the recogniser left a gap
    const x = 40 + text.indexOf(' ') * C + 4;
    for (let k = 0; k <= 7; k++) bin[(114 + k) * W + x + k] = bin[(115 + k) * W + x + k] = 1;
    for (let k = 0; k <= 16; k++) bin[(121 - k) * W + x + 7 + Math.round(k * 0.8)] = bin[(121 - k) * W + x + 8 + Math.round(k * 0.8)] = 1;
    const items = toPageData(pageOf([l], [], bin), [getKind('application')], new Map()).items;
    const flat = [...items].sort((a, b) => a.x - b.x).map((i) => i.str).join(' ');
    expect(ticked(flat, getKind('application').options('/services')), flat).toEqual(['大厅综合窗口办结领证', '邮寄送达办理结果']);
  });
  it('a square part of a character further left (果’s 田) is not the box of the label after it', () => {
    const bin = new Uint8Array(W * H);
    const x = 600,
      y = 100;
    // 田 of the character before, 16 px, ending 34 px (over a text height) before the label
    for (let k = 0; k <= 16; k++) for (const [a, b] of [[x - 50 + k, y + 6], [x - 50 + k, y + 14], [x - 50 + k, y + 22], [x - 50, y + 6 + k], [x - 42, y + 6 + k], [x - 34, y + 6 + k]]) bin[b * W + a] = 1;
    // the label's own empty box, its corners lost
    square(bin, x - 24, y + 5, 19, true);
    const m = markBeside(pageOf([], [], bin), [x, y, x + 300, y + 30]);
    expect(m?.checked).toBe(false);
    expect(m?.box[0]).toBeGreaterThan(x - 30);
  });
  it('empty brackets with thick strokes (150 dpi: seven pixels wide, a text height of 22) are no mark', () => {
    const bin = new Uint8Array(W * H);
    const x = 600,
      y = 100;
    // （ ） as two arcs, 7 px wide, 19 high
    for (let k = 0; k < 19; k++) {
      const bow = Math.round(3 * Math.sin((Math.PI * k) / 18));
      for (const d of [0, 1, 2, 3]) (bin[(y + 2 + k) * W + x - 38 + 3 - bow + d] = 1), (bin[(y + 2 + k) * W + x - 10 + bow + d] = 1);
    }
    expect(markBeside(pageOf([], [], bin), [x, y, x + 300, y + 22], { from: x - 44 })?.checked).toBe(false);
  });
});
