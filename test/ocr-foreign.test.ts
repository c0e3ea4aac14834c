import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseForm, ParseFailure } from '../src/parse/index.js';
import { dropRed, binarize, type Rgb } from '../src/ocr/image.js';
import { dropContained, markBeside, type OcrLine, type OcrPageImage } from '../src/ocr/page.js';
import { REVIEW_REASONS, ocrFix, skippedChar, underSeal } from '../src/ocr/parse.js';
import { getKind } from '../src/kinds/index.js';
import { cli, noStack } from './helpers/cli.js';
import { leaves } from './helpers/leaves.js';

// Made by scripts/make-foreign-scans.mjs (conditions small-seal, small-not-a-form): a 150 dpi scan of
// the form as an office suite lays it out (label cells three characters wide, so 申请单位名称（盖章）
// wraps over four lines, a group cell over two rows, ■/□ boxes, long values wrapping), with a red
// seal across the applicant's name; a phone photo of a page of plain text; a picture with no text.
const dir = 'fixtures/scans';
const bytes = (name: string) => new Uint8Array(readFileSync(`${dir}/${name}`));


describe('ocr: a scan of an office-suite layout', () => {
  it('reads its fields and boxes; what is wrong or lay under the seal is flagged', async () => {
    const truth = JSON.parse(readFileSync(`${dir}/office-seal.truth.json`, 'utf8'));
    const r = await parseForm(bytes('office-seal.jpg'));
    expect(r.kind).toBe('application');
    expect(r.source).toBe('ocr');
    expect(r.record.services).toEqual(truth.services);
    const want = leaves(truth),
      got = leaves(r.record);
    const wrong = [...want.keys()].filter((p) => got.get(p) !== want.get(p));
    // most fields exact, and every wrong one sent to review: never a wrong field passed as read
    expect(wrong.length).toBeLessThanOrEqual(1);
    for (const p of wrong) expect(r.needsReview).toContain(p);
    // the seal lies across the applicant's name: staff compare it with the paper
    expect(r.needsReview).toContain('/applicant/name');
    expect(r.fields['/applicant/name'].reason).toContain(REVIEW_REASONS.underSeal);
    // and only there: the fields far from the seal are not said to be under it
    for (const p of ['/handler/phone', '/applicationDate', '/proxy/name']) expect(r.fields[p].reason ?? '').not.toContain(REVIEW_REASONS.underSeal);
  }, 120_000);
});

// Made by scripts/make-foreign-scans.mjs (class filled-pypdf-150-noisy): bangban's fillable form filled
// by pypdf, whose long values it shrank to 5–6 pt, printed and scanned at 150 dpi with noise.
describe('ocr: small print of a form filled by pypdf, 150 dpi', () => {
  it('keeps the 、 that ends a wrapped line (编制、), reads 5-point print boxed tight (创新, 一二一六室), and flags every field read wrong', async () => {
    const truth = JSON.parse(readFileSync(`${dir}/filled-pypdf-150.truth.json`, 'utf8'));
    const r = await parseForm(bytes('filled-pypdf-150.jpg'));
    expect(r.record.guidanceItem).toBe(truth.guidanceItem);
    expect(r.record.applicant).toMatchObject({ address: truth.applicant.address });
    const want = leaves(truth),
      got = leaves(r.record);
    for (const p of [...want.keys()].filter((p) => got.get(p) !== want.get(p))) expect(r.needsReview).toContain(p);
  }, 120_000);
});

describe('ocr: pages that are not the form are refused', () => {
  it.each(['not-a-form-article.jpg', 'not-a-form-picture.jpg'])('%s: not-a-form, exit 2 with a Chinese reason', async (name) => {
    const e = await parseForm(bytes(name)).catch((x) => x as ParseFailure);
    expect(e).toBeInstanceOf(ParseFailure);
    expect(e.code).toBe('not-a-form');
    const r = await cli('parse', `${dir}/${name}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/没有找到可识别的表单/);
    noStack(r.stderr);
  }, 120_000);
});

describe('ocr: red ink and review reasons', () => {
  /** A white RGB page with grey text strokes and, optionally, a red ring over part of it. */
  function page(withSeal: boolean): Rgb {
    const width = 300,
      height = 100;
    const data = new Uint8Array(width * height * 3).fill(250);
    const set = (x: number, y: number, [r, g, b]: number[]) => data.set([r, g, b], (y * width + x) * 3);
    for (let y = 40; y < 60; y++) for (let x = 20; x < 280; x += 12) for (let k = 0; k < 3; k++) set(x + k, y, [20, 20, 20]);
    if (withSeal)
      for (let a = 0; a < 360; a += 0.2) {
        const x = Math.round(60 + 35 * Math.cos((a * Math.PI) / 180)),
          y = Math.round(50 + 35 * Math.sin((a * Math.PI) / 180));
        for (let d = -2; d <= 2; d++) if (x + d >= 0 && y >= 0 && y < height) set(x + d, y, [215, 40, 40]);
      }
    return { width, height, data };
  }
  const line = (x0: number, x1: number, n: number): OcrLine => ({
    text: '字'.repeat(n),
    box: [x0, 40, x1, 60],
    confidence: 0.99,
    chars: Array.from({ length: n }, (_, i) => ({ ch: '字', p: 0.99, x0: x0 + ((x1 - x0) * i) / n, x1: x0 + ((x1 - x0) * (i + 1)) / n })),
  });
  const image = (rgb: Rgb): OcrPageImage => {
    const { grey, red } = dropRed(rgb);
    const pg = { index: 0, width: grey.width, height: grey.height, dpi: 200, rotation: 0, skew: 0, lines: [], rules: { h: [], v: [] }, checkboxes: [], ms: 0 };
    return { page: pg, bin: binarize(grey, 128), ...(red ? { red: red.data.map((v) => (v < 128 ? 1 : 0)) } : {}) };
  };

  it('keeps where a seal was, and tells the lines under it from the others', () => {
    const sealed = image(page(true));
    expect(sealed.red).toBeDefined();
    expect(underSeal(sealed, line(20, 110, 6))).toBe(true);
    expect(underSeal(sealed, line(150, 280, 8))).toBe(false);
    // black text under the seal stays text
    expect(sealed.bin[50 * 300 + 21]).toBe(1);
    const plain = image(page(false));
    expect(plain.red).toBeUndefined();
    expect(underSeal(plain, line(20, 110, 6))).toBe(false);
  });

  it('a phone number one digit short (a gap of two pitches) is a skipped character', () => {
    const digits = (s: string, gapAt = -1) => {
      let x = 0;
      const chars = [...s].map((ch, i) => {
        x += i === gapAt ? 40 : 20;
        return { ch, p: 0.99, x0: x, x1: x + 18 };
      });
      return { text: s, box: [0, 0, x + 20, 20], confidence: 0.99, chars } as OcrLine;
    };
    expect(skippedChar(digits('1383771234', 5))).toBe(true);
    expect(skippedChar(digits('13837712345'))).toBe(false);
  });

  it('free text: the comma read as 丶, blanks around brackets and between digits', () => {
    const kind = getKind('application');
    expect(ocrFix(kind, '/serviceItem', '报告书审批 ( 含辐射类 )')).toBe('报告书审批（含辐射类）');
    expect(ocrFix(kind, '/serviceItem', '文件编制丶专家评审')).toBe('文件编制、专家评审');
    expect(ocrFix(kind, '/applicant/address', '独山大道12 60号')).toBe('独山大道1260号');
    expect(ocrFix(kind, '/applicant/address', '仲景路 1088 号')).toBe('仲景路 1088 号');
  });

  it('free text: a dash between Chinese numerals is 一, a dash elsewhere stays', () => {
    const kind = getKind('application');
    expect(ocrFix(kind, '/applicant/address', '第十二层一二零八室至一二—六室')).toBe('第十二层一二零八室至一二一六室');
    expect(ocrFix(kind, '/applicant/address', '工业路3-2号')).toBe('工业路3-2号');
  });

  it('drops a piece of a line that the detector boxed twice', () => {
    const whole: OcrLine = { text: '欧阳明远', box: [878, 492, 969, 520], confidence: 0.99, chars: [] };
    const piece: OcrLine = { text: '区', box: [876, 493, 888, 519], confidence: 0.99, chars: [] };
    const other: OcrLine = { text: '经办人', box: [795, 682, 866, 710], confidence: 0.99, chars: [] };
    const lines = [whole, piece, other];
    dropContained(lines);
    expect(lines).toEqual([whole, other]);
  });
});

describe('ocr: a box glyph before an option decides it by its ink', () => {
  /** A line of text: a box glyph (empty or filled) 4 px left of a label of Chinese-like blocks. */
  function boxed(filled: boolean, tick = false): { img: OcrPageImage; label: [number, number, number, number] } {
    const width = 200,
      height = 60;
    const bin = new Uint8Array(width * height);
    const ink = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) bin[y * width + x] = 1;
    };
    // the end of the previous option, close before the box: a character's strokes
    ink(28, 18, 30, 44), ink(28, 30, 46, 32), ink(44, 18, 46, 44);
    // the box glyph, 18 px
    if (filled) ink(50, 22, 67, 39);
    else ink(50, 22, 67, 23), ink(50, 38, 67, 39), ink(50, 22, 51, 39), ink(66, 22, 67, 39);
    // a pen tick drawn larger than the box, running up out of the line
    if (tick) for (let k = 0; k < 30; k++) ink(56 + k, Math.max(0, 34 - k * 1.2) | 0, 58 + k, (Math.max(0, 34 - k * 1.2) | 0) + 2), k < 8 && ink(50 + k, 26 + k, 52 + k, 28 + k);
    // the label
    for (let x = 72; x < 180; x += 24) ink(x, 20, x + 2, 42), ink(x, 30, x + 18, 32);
    const pg = { index: 0, width, height, dpi: 150, rotation: 0, skew: 0, lines: [], rules: { h: [], v: [] }, checkboxes: [], ms: 0 };
    return { img: { page: pg, bin, squares: [] }, label: [72, 18, 180, 44] };
  }
  it('□ is empty, ■ is ticked, whatever the recogniser read there (口)', () => {
    const empty = boxed(false),
      full = boxed(true);
    expect(markBeside(empty.img, empty.label).checked).toBe(false);
    expect(markBeside(full.img, full.label).checked).toBe(true);
  });
  it('a tick larger than its box, running out of the line, ticks it', () => {
    const t = boxed(false, true);
    expect(markBeside(t.img, t.label).checked).toBe(true);
  });
});
