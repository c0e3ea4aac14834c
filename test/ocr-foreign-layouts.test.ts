/**
 * Scans of layouts other producers print (fixtures/foreign, made in Chromium), read by OCR: each PDF
 * is rendered to a 200 dpi image by pdf.js, as a scanner would give it, with no text layer left.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseForm } from '../src/parse/index.js';
import { openPdf } from '../src/ocr/pdf.js';
import { toJpeg } from '../src/ocr/image.js';
import { findRules } from '../src/ocr/geometry.js';
import { wideGaps } from '../src/ocr/parse.js';
import { inkAfterText } from '../src/ocr/geometry.js';
import { dropContained, hanStep, splitRows, trimOverlaps, type OcrLine } from '../src/ocr/page.js';
import { leaves } from './helpers/leaves.js';

async function scanOf(name: string): Promise<Uint8Array> {
  const pdf = await openPdf(new Uint8Array(readFileSync(`fixtures/foreign/${name}.pdf`)));
  try {
    return await toJpeg(await pdf.render(0), 90);
  } finally {
    await pdf.close();
  }
}

describe('ocr: scans of other producers’ layouts', () => {
  it.each([
    // rows 23 pt high: the dividers between 申请日期 | 2026年1月7日 | 经办人 | 孙明日 are shorter than other ruled lines
    'application-chromium-noto-boxtick',
    // label and value share a cell (法定代表人　　玉人杰), and the detector reads them as one line
    'application-chromium-inlinegap',
    // the credit code wraps its last character onto a line of its own
    'application-rotated-content90',
    // faint grey hairline borders, a date typed 2026.9.15, an area code in brackets, 下午3时
    'application-chromium-grey',
  ])('%s: every field as printed', async (name) => {
    const want = JSON.parse(readFileSync(`fixtures/foreign/${name}.expected.json`, 'utf8'));
    const r = await parseForm(await scanOf(name));
    expect(r.kind).toBe('application');
    expect(r.source).toBe('ocr');
    expect(Object.fromEntries(leaves(r.record))).toEqual(Object.fromEntries(leaves(want)));
    expect(r.record.services).toEqual(want.services);
  }, 120_000);
});

describe('ocr: a code printed wrong', () => {
  it('is read as printed and flagged, not made to pass its check', async () => {
    // application-chromium-wrong's credit code ends in 1 where its check character is 2
    const want = JSON.parse(readFileSync('fixtures/foreign/application-chromium-wrong.expected.json', 'utf8'));
    const r = await parseForm(await scanOf('application-chromium-wrong'));
    expect((r.record.applicant as Record<string, unknown>).creditCode).toBe(want.applicant.creditCode);
    expect(r.needsReview).toContain('/applicant/creditCode');
    expect(r.valid).toBe(false);
  }, 120_000);
});

describe('ocr: ruled lines and gaps', () => {
  /** A binary page: two table rows 90 px high, 600 px wide, a divider in the lower one only, and strokes of text. */
  function table(): { bin: Uint8Array; width: number; height: number } {
    const width = 700,
      height = 400;
    const bin = new Uint8Array(width * height);
    const h = (y: number) => bin.fill(1, y * width + 50, y * width + 650);
    const v = (x: number, y0: number, y1: number) => {
      for (let y = y0; y <= y1; y++) bin[y * width + x] = 1;
    };
    [100, 190, 280].forEach(h);
    const h2 = (y: number, x0: number, x1: number) => bin.fill(1, y * width + x0, y * width + x1 + 1);
    v(50, 100, 280);
    v(650, 100, 280);
    v(350, 190, 280); // a divider one row high
    v(200, 120, 170); // a character's stroke, touching no line
    v(500, 200, 262); // a stroke from the lower line's row up, meeting one line only
    h2(220, 56, 200); // strokes along the top of small text, from next to the left border
    return { bin, width, height };
  }

  it('keeps a divider one low row high, not a stroke that meets at most one line', () => {
    const { bin, width, height } = table();
    const { v } = findRules(bin, width, height, 120);
    expect(v.map((r) => r.x0).sort((a, b) => a - b)).toEqual([50, 350, 650]);
  });

  it('keeps a short horizontal line between two vertical ones, not strokes that start beside one', () => {
    const { bin, width, height } = table();
    const { h } = findRules(bin, width, height, 120);
    expect(h.map((r) => r.y0).sort((a, b) => a - b)).toEqual([100, 190, 280]);
    // a line under the right half of the upper row, between a full-height vertical line and the border
    for (let y = 100; y <= 280; y++) bin[y * width + 400] = 1;
    bin.fill(1, 145 * width + 400, 145 * width + 651);
    expect(findRules(bin, width, height, 120).h.map((r) => r.y0).sort((a, b) => a - b)).toEqual([100, 145, 190, 280]);
  });

  /** A line of characters 40 px apart, with extra room before some. */
  function line(text: string, gapBefore: Record<number, number>): OcrLine {
    let x = 0;
    const chars = [...text].map((ch, i) => {
      x += gapBefore[i] ?? 0;
      const c = { ch, p: 0.99, x0: x, x1: x + 36 };
      x += 40;
      return c;
    });
    return { text, box: [0, 0, x, 40], confidence: 0.99, chars };
  }

  it('cuts a line where its characters stand far apart (a label and its value), not at a space', () => {
    expect(wideGaps(line('法定代表人玉人杰', { 5: 90 }), 0, 8)).toEqual([5]);
    expect(wideGaps(line('2026年3月31日 17时20分', {}), 0, 16)).toEqual([]);
    expect(wideGaps(line('镇平县玉雕文化产业园', {}), 0, 10)).toEqual([]);
  });

  it('a gap of under 2.6 steps is a cut where the page is blank there (no character hides in it)', () => {
    // 经办人 then 甘日 a step of 96 px on, 2.4 usual ones: 60 px of it blank, or ink (a character read as nothing)
    const l = line('经办人甘日', { 3: 56 });
    expect(wideGaps(l, 0, 5)).toEqual([]);
    expect(wideGaps(l, 0, 5, () => 60)).toEqual([3]);
    expect(wideGaps(l, 0, 5, () => 20)).toEqual([]);
  });

  /** A 400 × 100 binary image with ink in rows [from, to] (inclusive) between x 10 and 390, every other column. */
  function rows(...bands: [number, number][]): Uint8Array {
    const width = 400;
    const bin = new Uint8Array(width * 100);
    for (const [from, to] of bands) for (let y = from; y <= to; y++) for (let x = 10; x < 390; x += 2) bin[y * width + x] = 1;
    return bin;
  }

  it('cuts a box over three lines of small text into its lines, one blank row apart', () => {
    const out = splitRows(rows([10, 25], [27, 42], [44, 59]), 400, [0, 5, 400, 65]);
    expect(out).toHaveLength(3);
    expect(out.map((b) => b[1])).toEqual([8, 26, 43]);
  });

  it('leaves one line whole: strokes a few rows high (一二三), or a line with part of the next below it', () => {
    expect(splitRows(rows([10, 12], [20, 22], [30, 32]), 400, [0, 5, 400, 40])).toEqual([[0, 5, 400, 40]]);
    expect(splitRows(rows([10, 30], [33, 38]), 400, [0, 5, 400, 40])).toEqual([[0, 5, 400, 40]]);
  });

  it('parts two lines of small text set solid, a stroke reaching from one to the next', () => {
    const bin = rows([10, 20], [22, 32]);
    for (let x = 10; x < 390; x += 40) bin[21 * 400 + x] = 1;
    const out = splitRows(bin, 400, [0, 5, 400, 36]);
    expect(out).toHaveLength(2);
    // cut at the thin row between them
    expect(out.map((b) => [b[1], b[3]])).toEqual([
      [8, 21],
      [21, 35],
    ]);
  });

  it('a line whose box a seal broke in two, both reaching into the gap: what was read twice is dropped', () => {
    const chars = (text: string, x0: number, step: number) => [...text].map((ch, k) => ({ ch, p: 1, x0: x0 + k * step, x1: x0 + (k + 1) * step }));
    const a: OcrLine = { text: '生态环境综合治理与绿色低碳循环', box: [530, 613, 780, 629], confidence: 0.99, chars: chars('生态环境综合治理与绿色低碳循环', 530, 16.6) };
    const b: OcrLine = { text: '低碳循环发', box: [722, 615, 798, 631], confidence: 0.88, chars: chars('低碳循环发', 722, 15) };
    const other: OcrLine = { text: '展产业', box: [760, 631, 820, 647], confidence: 1, chars: chars('展产业', 760, 20) };
    trimOverlaps([a, b, other]);
    expect(b.text).toBe('发');
    expect(other.text).toBe('展产业');
    expect(a.text).toBe('生态环境综合治理与绿色低碳循环');
    // text that differs is no second reading
    const c: OcrLine = { ...b, text: '展望未来发', chars: chars('展望未来发', 722, 15) };
    trimOverlaps([a, c]);
    expect(c.text).toBe('展望未来发');
  });

  it('one line read twice from overlapping boxes: the surer reading stays', () => {
    const line = (text: string, box: OcrLine['box'], confidence: number): OcrLine => ({ text, box, confidence, chars: [] });
    const lines = [line('生态环境缤合治理', [500, 598, 780, 609], 0.91), line('生态环境综合治理', [500, 598, 780, 614], 0.99), line('河南省', [500, 580, 600, 597], 0.99)];
    dropContained(lines);
    expect(lines.map((l) => l.text)).toEqual(['生态环境综合治理', '河南省']);
  });

  it('ink past the last character read (a 、 ending a wrapped line, read as nothing) makes the line doubtful', () => {
    const width = 300;
    const bin = new Uint8Array(width * 40);
    const ink = (x0: number, x1: number, y0: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) bin[y * width + x] = 1;
    };
    // two characters 30 px high, centres at 25 and 55; the second's ink ends at 70
    ink(12, 38, 5, 34);
    ink(42, 70, 5, 34);
    const line: OcrLine = { text: '编制', box: [10, 5, 95, 35], confidence: 0.99, chars: [ { ch: '编', p: 0.99, x0: 11, x1: 39, t: 1 }, { ch: '制', p: 0.99, x0: 41, x1: 69, t: 2 } ] };
    expect(inkAfterText(bin, width, line)).toBe(false);
    ink(76, 84, 24, 32); // 、 right after it
    expect(inkAfterText(bin, width, line)).toBe(true);
  });
});

describe('ocr: character positions in a slanted line', () => {
  it('a character is as wide as the step between Chinese characters when the line’s box is taller than its text', () => {
    // 代办内容：口大厅综合窗口受理 read from a crop 1300 px wide, characters about 26 px apart
    const text = '代办内容：口大厅综合窗口受理';
    const chars = [...text].map((ch, k) => ({ ch, at: (20 + k * 26) / 1300 }));
    expect(hanStep(chars, 1300)).toBeCloseTo(26, 5);
    // too few Chinese characters to tell
    expect(hanStep([...'1088号'].map((ch, k) => ({ ch, at: k / 10 })), 100)).toBeUndefined();
  });
});
