import { describe, it, expect } from 'vitest';
import { getKind } from '../src/kinds/index.js';
import { skippedChar, toPageData, withSurname } from '../src/ocr/parse.js';
import { joinSpaced, spacesAtScriptChanges, type OcrLine, type OcrPageImage } from '../src/ocr/page.js';
import type { Box } from '../src/ocr/engine.js';

// Option labels on a page without models: one line per option, a drawn box before each, the ticks
// given. An option printed nowhere must not be "found" in another option's label.
function optionPage(labels: string[], ticked: string): { img: OcrPageImage; lines: OcrLine[] } {
  const W = 1000,
    H = 60 + labels.length * 60,
    c = 30;
  const lines: OcrLine[] = labels.map((text, i) => {
    const y = 40 + i * 60;
    const chars = [...text].map((ch, k) => ({ ch, p: 0.98, x0: 60 + k * c, x1: 60 + (k + 1) * c - 2 }));
    return { text, box: [60, y, 60 + chars.length * c, y + c], confidence: 0.98, chars };
  });
  const checkboxes = labels.map((text, i) => {
    const y = 40 + i * 60;
    const checked = text === ticked;
    return { box: [20, y + 3, 44, y + 27] as [number, number, number, number], fill: checked ? 0.4 : 0, checked, confidence: 1 };
  });
  const img: OcrPageImage = {
    bin: new Uint8Array(W * H),
    page: { index: 0, width: W, height: H, dpi: 200, rotation: 0, skew: 0, lines, rules: { h: [], v: [] }, checkboxes, ms: 0 },
  };
  return { img, lines };
}

/** The page's text items in reading order, a mark before its label. */
function texts(labels: string[], ticked: string): string[] {
  const { img } = optionPage(labels, ticked);
  const data = toPageData(img, [getKind('application')], new Map());
  return [...data.items].sort((a, b) => b.y - a.y || a.x - b.x).map((it) => it.str);
}

describe('ocr: option labels found approximately', () => {
  it('邮寄送达办理结果 absent, 上门送达办理结果 ticked: only 上门 reads ticked', () => {
    const got = texts(['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '事前辅导'], '上门送达办理结果');
    expect(got).toEqual(['☐', '大厅综合窗口受理', '☐', '大厅综合窗口办结领证', '☑', '上门送达办理结果', '☐', '事前辅导']);
  });
  it('大厅综合窗口受理 absent: 大厅综合窗口办结领证 stays as printed', () => {
    const got = texts(['大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导'], '大厅综合窗口办结领证');
    expect(got).toEqual(['☑', '大厅综合窗口办结领证', '☐', '上门送达办理结果', '☐', '邮寄送达办理结果', '☐', '事前辅导']);
  });
  it('a label misread where the tick ran into it is still found and put right', () => {
    const got = texts(['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮等送达办理结果', '事前辅导'], '邮等送达办理结果');
    expect(got).toEqual(['☐', '大厅综合窗口受理', '☐', '大厅综合窗口办结领证', '☐', '上门送达办理结果', '☑', '邮寄送达办理结果', '☐', '事前辅导']);
  });
});

describe('ocr: a character read as nothing', () => {
  /** A line of Chinese characters at the given x positions (30 px pitch). */
  const line = (xs: number[]): OcrLine => {
    const chars = xs.map((x, k) => ({ ch: '南阳市宛城区仲景路'[k % 9], p: 0.98, x0: x, x1: x + 26 }));
    return { text: chars.map((c) => c.ch).join(''), box: [xs[0], 0, xs[xs.length - 1] + 26, 30], confidence: 0.98, chars };
  };
  const at = (gaps: number[]) => gaps.reduce((xs, g) => [...xs, xs[xs.length - 1] + g], [0]);
  it('one gap of about two pitches: skipped', () => {
    expect(skippedChar(line(at([30, 30, 60, 30, 30])))).toBe(true);
    expect(skippedChar(line(at([30, 31, 29, 75, 30])))).toBe(true);
  });
  it('even pitch: not skipped', () => {
    expect(skippedChar(line(at([30, 30, 32, 30, 29])))).toBe(false);
  });
  it('two gaps of two pitches, or one much wider: layout, not a skipped character', () => {
    expect(skippedChar(line(at([30, 60, 30, 60, 30, 30])))).toBe(false);
    expect(skippedChar(line(at([30, 30, 90, 30, 30])))).toBe(false);
    expect(skippedChar(line(at([30, 30, 200, 30, 30])))).toBe(false);
    expect(skippedChar(line(at([30, 60, 30, 150, 30])))).toBe(false);
  });
});

describe('ocr: spaces between Chinese and digits', () => {
  // 路 then 66: ink blocks in a binary image, the blank between them `gap` px; text height 27 px
  const W = 300;
  function spaced(gap: number, heard: number, box: [number, number, number, number] = [10, 0, 200, 40]): string {
    const bin = new Uint8Array(W * 40);
    const ink = (x0: number, x1: number) => {
      for (let y = 8; y < 32; y++) for (let x = x0; x < x1; x++) bin[y * W + x] = 1;
    };
    ink(12, 40); // 路
    ink(40 + gap, 80 + gap); // 66
    const chars = [
      { ch: '路', p: 0.99, x0: 12, x1: 40, t: 2 },
      { ch: '6', p: 0.99, x0: 40 + gap, x1: 60 + gap, t: 6 },
      { ch: '6', p: 0.99, x0: 60 + gap, x1: 80 + gap, t: 8 },
    ];
    const steps = Array.from({ length: 10 }, (_, t) => (t === 4 ? { ch: ['', ' '], p: [1 - heard, heard] } : { ch: [''], p: [1] }));
    const l: OcrLine = { text: '路66', box, confidence: 0.99, chars, steps };
    spacesAtScriptChanges(l, bin, W);
    return l.text;
  }
  it('a blank of a third of the text height is a space', () => {
    expect(spaced(10, 0)).toBe('路 66');
  });
  it('a little over a quarter of it is a space only where the recogniser saw one too', () => {
    expect(spaced(8, 0.03)).toBe('路 66');
    expect(spaced(8, 0.002)).toBe('路66');
    expect(spaced(4, 0.5)).toBe('路66');
  });
  it('digits typed full-width (１０８８, a character’s width apart): the blank beside them is theirs, no space', () => {
    const bin = new Uint8Array(W * 40);
    const ink = (x0: number, x1: number) => {
      for (let y = 8; y < 32; y++) for (let x = x0; x < x1; x++) bin[y * W + x] = 1;
    };
    // 路, then 1 0 8 8 each centred in a 28 px cell with 8 px of paper either side, then 号
    ink(12, 40);
    const chars = [{ ch: '路', p: 0.99, x0: 12, x1: 40, t: 2 }];
    for (let k = 0; k < 4; k++) {
      ink(48 + k * 28, 60 + k * 28);
      chars.push({ ch: '1088'[k], p: 0.99, x0: 42 + k * 28, x1: 66 + k * 28, t: 4 + 2 * k });
    }
    ink(160, 188);
    chars.push({ ch: '号', p: 0.99, x0: 160, x1: 188, t: 14 });
    const l: OcrLine = { text: '路1088号', box: [10, 0, 190, 40], confidence: 0.99, chars };
    spacesAtScriptChanges(l, bin, W);
    expect(l.text).toBe('路1088号');
  });
  it('a box that fits the ink (detected at a low resolution): the height of its ink is the measure', () => {
    // 6 px is a third of the box's height but a quarter of the text's: the blank beside a 1
    expect(spaced(6, 0, [10, 8, 200, 32])).toBe('路66');
    expect(spaced(10, 0, [10, 8, 200, 32])).toBe('路 66');
  });
});

describe('ocr: a personal name starts with a surname', () => {
  const line = (text: string, alts: [string, number][]): OcrLine => ({
    text,
    box: [0, 0, 60, 30],
    confidence: 0.5,
    chars: [...text].map((ch, k) => ({ ch, p: 0.5, x0: k * 30, x1: k * 30 + 28, t: k * 2 })),
    steps: [...text].flatMap((ch, k) => [k === 0 ? { ch: alts.map((a) => a[0]), p: alts.map((a) => a[1]) } : { ch: [ch], p: [0.99] }, { ch: [''], p: [1] }]),
  });
  it('雀英 with 崔 a close second: 崔英', () => {
    expect(withSurname('雀英', [line('雀英', [['雀', 0.46], ['崔', 0.43], ['催', 0.05]])])).toBe('崔英');
  });
  it('a distant surname, or a first character that is a surname: as read', () => {
    expect(withSurname('雀英', [line('雀英', [['雀', 0.9], ['崔', 0.05]])])).toBe('雀英');
    expect(withSurname('崔英', [line('崔英', [['崔', 0.5], ['雀', 0.45]])])).toBe('崔英');
    expect(withSurname('阿依古丽', [line('阿依古丽', [['阿', 0.6], ['何', 0.3]])])).toBe('阿依古丽');
    // a rare surname not on the list, read with confidence
    expect(withSurname('缑明', [line('缑明', [['缑', 0.72], ['侯', 0.26]])])).toBe('缑明');
  });
});

describe('ocr: a spaced name whose second character is 一 (阎　一)', () => {
  const W = 400;
  const bin = new Uint8Array(W * 200);
  it('the flat box of 一 joins the box before it across a character’s blank, measured by the taller box', () => {
    // 阎 40 px high; 一 as the detector boxes it, 10 px high, 45 px to the right
    expect(joinSpaced([[100, 100, 140, 140], [185, 114, 225, 124]], bin, W, [])).toEqual([[100, 100, 225, 140]]);
  });
  it('…not across more than 1.6 characters, nor across a ruled line', () => {
    expect(joinSpaced([[100, 100, 140, 140], [210, 114, 250, 124]], bin, W, [])).toHaveLength(2);
    expect(joinSpaced([[100, 100, 140, 140], [185, 114, 225, 124]], bin, W, [{ x0: 160, x1: 161, y0: 90, y1: 150 }])).toHaveLength(2);
  });
});

describe('ocr: small print the detector parted inside a word (室至一二一六室 at 150 dpi)', () => {
  // 12 px characters on a 200 × 40 page; the detector boxed three characters on either side and left
  // the three between them
  const W = 200;
  const ink = (chars: number[]) => {
    const bin = new Uint8Array(W * 40);
    for (const x0 of chars) for (let y = 12; y < 22; y++) for (let x = x0; x < x0 + 11; x++) bin[y * W + x] = 1;
    return bin;
  };
  const sides = [10, 23, 36, 88, 101, 114];
  const boxes = (): Box[] => [[10, 10, 47, 22], [88, 10, 125, 22]];
  it('two boxes that each take in a character of the ink between them, and still have ink between them, are one line', () => {
    expect(joinSpaced(boxes(), ink([...sides, 49, 62, 75]), W, [])).toEqual([[10, 10, 125, 22]]);
  });
  it('…not when paper parts them, or a speck, nor across a ruled line', () => {
    expect(joinSpaced(boxes(), ink(sides), W, [])).toHaveLength(2);
    // two words a character apart with a speck of dust between them
    const speck = ink([10, 23, 36, 60, 73, 86]);
    for (const [x, y] of [[52, 16], [53, 16], [52, 17], [53, 17]]) speck[y * W + x] = 1;
    expect(joinSpaced([[10, 10, 47, 22], [58, 10, 97, 22]], speck, W, [])).toHaveLength(2);
    expect(joinSpaced(boxes(), ink([...sides, 49, 62, 75]), W, [{ x0: 67, x1: 68, y0: 0, y1: 40 }])).toHaveLength(2);
  });
});
