import { describe, it, expect } from 'vitest';
import { findRules, findSquares, inkIn } from '../src/ocr/geometry.js';
import { markBeside, type OcrLine, type OcrPageImage } from '../src/ocr/page.js';
import { overrulesSure } from '../src/ocr/parse.js';
import { CODE_FORMATS, readCode, failedCode, type Step } from '../src/ocr/constrained.js';
import { CREDIT_CHARSET, checkCreditCode, creditCodeCheckChar, creditCodeInnerWarning, idNumberCheckChar } from '../src/core/identifiers.js';

// Pen marks in drawn boxes, read from pixels (no models): ticks of any size, one that overruns the
// box, a cross, a blacked-in box; and empty boxes with dust in them.
const W = 900,
  H = 120,
  S = 24; // box side
function page(): { bin: Uint8Array; dot: (x: number, y: number, r?: number) => void; line: (x0: number, y0: number, x1: number, y1: number) => void } {
  const bin = new Uint8Array(W * H);
  const dot = (x: number, y: number, r = 1) => {
    for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (x + dx >= 0 && x + dx < W && y + dy >= 0 && y + dy < H) bin[(y + dy) * W + x + dx] = 1;
  };
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
    for (let k = 0; k <= n; k++) dot(Math.round(x0 + ((x1 - x0) * k) / n), Math.round(y0 + ((y1 - y0) * k) / n));
  };
  return { bin, dot, line };
}

describe('ocr: marks in boxes', () => {
  const p = page();
  const marks: Record<string, (x: number, y: number) => void> = {
    empty: () => {},
    dust: (x, y) => {
      p.dot(x + 6, y + 8);
      p.dot(x + 15, y + 14);
      p.dot(x + 11, y + 18, 0);
    },
    tick: (x, y) => {
      p.line(x + 5, y + 12, x + 10, y + 19);
      p.line(x + 10, y + 19, x + 20, y + 5);
    },
    overrun: (x, y) => {
      p.line(x - 6, y + 10, x + 8, y + 22);
      p.line(x + 8, y + 22, x + 34, y - 14);
    },
    small: (x, y) => {
      p.line(x + 9, y + 12, x + 11, y + 15);
      p.line(x + 11, y + 15, x + 16, y + 9);
    },
    cross: (x, y) => {
      p.line(x + 3, y + 3, x + 21, y + 21);
      p.line(x + 21, y + 3, x + 3, y + 21);
    },
    filled: (x, y) => {
      for (let k = 0; k < 6; k++) p.line(x + 4, y + 4 + k * 3, x + 20, y + 5 + k * 3);
    },
  };
  const names = Object.keys(marks);
  const labels = names.map((name, i) => {
    const x = 20 + i * 125,
      y = 50;
    p.line(x, y, x + S, y);
    p.line(x, y + S, x + S, y + S);
    p.line(x, y, x, y + S);
    p.line(x + S, y, x + S, y + S);
    marks[name](x, y);
    return { name, label: [x + S + 10, y - 6, x + S + 90, y + S + 6] as [number, number, number, number] };
  });
  const squares = findSquares(p.bin, W, H, 18, 40);
  const img: OcrPageImage = {
    bin: p.bin,
    page: { index: 0, width: W, height: H, dpi: 200, rotation: 0, skew: 0, lines: [], rules: { h: [], v: [] }, checkboxes: squares.map((s) => ({ box: s.box, fill: s.fill, checked: s.fill > 0.045, confidence: 1 })), ms: 0 },
  };
  for (const { name, label } of labels)
    it(`${name}: ${name === 'empty' || name === 'dust' ? 'not ticked' : 'ticked'}`, () => {
      expect(markBeside(img, label).checked).toBe(name !== 'empty' && name !== 'dust');
    });
  it('dust does not count as ink, a stroke does', () => {
    const q = page();
    q.dot(10, 10);
    q.dot(30, 20);
    expect(inkIn(q.bin, W, [0, 0, 40, 40])).toBe(0);
    q.line(5, 30, 35, 5);
    expect(inkIn(q.bin, W, [0, 0, 40, 40])).toBeGreaterThan(0.03);
  });
});

/** Recogniser steps that read `text` (a blank between characters), with `alt` as the runner-up per position. */
function steps(text: string, alt: Record<number, [string, number]> = {}): Step[] {
  const out: Step[] = [];
  [...text].forEach((ch, i) => {
    const a = alt[i];
    out.push(a ? { ch: [ch, a[0], ''], p: [a[1] > 0.5 ? 1 - a[1] : 0.6, a[1], 0.05] } : { ch: [ch, ''], p: [0.97, 0.02] });
    out.push({ ch: ['', ch], p: [0.95, 0.04] });
  });
  return out;
}

describe('ocr: codes read by their format', () => {
  const body = '91411300MA4400052';
  const code = body + creditCodeCheckChar(body);
  const cc = CODE_FORMATS['credit-code'];
  it('a code read right stays as read', () => {
    expect(readCode([steps(code)], cc)?.text).toBe(code);
  });
  it('a misread character is put right by the check character, from the runner-up', () => {
    const misread = code.slice(0, 9) + 'R' + code.slice(10); // A → R
    expect(checkCreditCode(misread)).not.toBeNull();
    expect(readCode([steps(misread, { 9: ['A', 0.3] })], cc)?.text).toBe(code);
  });
  it('a stray mark read into the code is dropped', () => {
    expect(readCode([steps(code.slice(0, 5) + ')' + code.slice(5))], cc)?.text).toBe(code);
  });
  it('crops of one line are read together: each crop alone prefers another valid number, together they read the real one', () => {
    const idc = CODE_FORMATS['id-card'];
    const body = '41130219900101002';
    const real = body + idNumberCheckChar(body);
    // crop 1 doubts position 13, crop 2 position 14; each reads a number that passes the check
    const misread = (i: number) => {
      const b = body.slice(0, i) + String((Number(body[i]) + 3) % 10) + body.slice(i + 1);
      return b + idNumberCheckChar(b);
    };
    const crops = [12, 13].map((i) => steps(misread(i), { [i]: [real[i], 0.4], 17: [real[17], 0.4] }));
    crops.forEach((c, k) => expect(readCode([c], idc)?.text).toBe(misread(12 + k)));
    expect(readCode(crops, idc)?.text).toBe(real);
  });
  it('a reading whose organisation code (positions 9–17) fails its GB 11714 check loses to a close one that passes', () => {
    const real = '91411300MA44ABCD5J';
    expect(creditCodeInnerWarning(real)).toBeNull();
    // position 11 and the check character misread so that the outer check still passes, the inner one not
    const other = [...CREDIT_CHARSET].map((c) => real.slice(0, 10) + c + real.slice(11, 17)).map((b) => b + creditCodeCheckChar(b));
    const misread = other.find((c) => c !== real && creditCodeInnerWarning(c) !== null)!;
    expect(checkCreditCode(misread)).toBeNull();
    const doubt = (p: number) => steps(misread, { 10: [real[10], p], 17: [real[17], p] });
    // the misreading a little likelier than the real code: the real code
    expect(readCode([doubt(0.45)], cc)?.text).toBe(real);
    // far likelier: read as written
    expect(readCode([doubt(0.0005)], cc)?.text).toBe(misread);
  });
  it('crops of one line vote; lines that read like a code but fail every check are read again', () => {
    const wrong = code.slice(0, 9) + 'R' + code.slice(10);
    expect(readCode([steps(wrong, { 9: ['8', 0.3] }), steps(wrong, { 9: ['A', 0.3] }), steps(code)], cc)?.text).toBe(code);
    expect(failedCode(wrong)).toBe(true);
    expect(failedCode(code)).toBe(false);
    expect(failedCode('南阳市宛城区仲景路 1088 号')).toBe(false);
  });
  it('a character outside the alphabet (bracket, 号, any Chinese) counts as a blank, even where no blank was read', () => {
    const s = steps(code);
    const stray = (ch: string[]): Step[] => [...s.slice(0, 10), { ch, p: [0.8, 0.2] }, ...s.slice(10)];
    for (const ch of [[')', '号'], ['号', '路'], ['区', ')']]) expect(readCode([stray(ch)], cc)?.text).toBe(code);
    const id = '41130219900101002' + idNumberCheckChar('41130219900101002');
    const idSteps = steps(id);
    expect(readCode([[...idSteps.slice(0, 6), { ch: ['号', 'A'], p: [0.7, 0.3] }, ...idSteps.slice(6)]], CODE_FORMATS['id-card'])?.text).toBe(id);
  });
  it('an ID number with letters read for digits (O, l, S, B): the digits', () => {
    const body = '41130219900101002';
    const id = body + idNumberCheckChar(body);
    const letters = id.replace(/0/g, 'O').replace(/1/g, 'l').replace(/5/g, 'S').replace(/8/g, 'B');
    expect(readCode([steps(letters)], CODE_FORMATS['id-card'])?.text).toBe(id);
  });
  it('nothing that fits: no reading', () => {
    expect(readCode([steps('9141')], cc)).toBeUndefined();
  });
});

describe('ocr: ruled lines', () => {
  it('a thin line left slightly skewed, in pieces on two columns, is one ruled line', () => {
    const w = 300,
      h = 200,
      bin = new Uint8Array(w * h);
    for (let x = 20; x < 280; x++) bin[20 * w + x] = bin[180 * w + x] = 1; // the lines it meets
    for (let y = 20; y <= 180; y++) bin[y * w + (y < 95 ? 150 : 151)] = 1;
    const { v } = findRules(bin, w, h, 100);
    expect(v.filter((r) => r.x0 > 140 && r.x0 < 160)).toHaveLength(1);
  });
});

describe('ocr: a code found by its format keeps what was read surely', () => {
  const cc = CODE_FORMATS['credit-code'];
  /** One line per text, its characters read at `p` except those given. */
  const lineOf = (text: string, y: number, p: number, doubt: Record<number, number> = {}): OcrLine => ({
    text,
    box: [0, y, text.length * 20, y + 30],
    confidence: p,
    chars: [...text].map((ch, i) => ({ ch, p: doubt[i] ?? p, x0: i * 20, x1: i * 20 + 18 })),
  });
  it('a character read surely (8) that the format would change (to 5): the code stays as written', () => {
    // the form carries 91411300MA45RT8N31, whose check character is wrong; its last 1 was read apart and with doubt
    const lines = [lineOf('91411300MA45RT8N3', 0, 0.99), lineOf('1', 0, 0.6)];
    lines[1].box = [400, 0, 420, 30];
    expect(overrulesSure('91411300MA45RT5N31', lines, cc)).toBe(true);
  });
  it('a change only where the recogniser doubted, or a reading of another length: the format decides', () => {
    expect(overrulesSure('91411300MA45RT5N31', [lineOf('91411300MA45RT8N31', 0, 0.99, { 14: 0.5 })], cc)).toBe(false);
    expect(overrulesSure('91411300MA45RT5N31', [lineOf('91411300MA45RT8N3', 0, 0.99)], cc)).toBe(false);
  });
});
