import { describe, expect, it } from 'vitest';
import { fixPlaces, repairTerms, repairTowns } from '../src/ocr/lexicon.js';
import { getKind } from '../src/kinds/index.js';
import type { OcrLine } from '../src/ocr/page.js';

/** A line of characters 30 px apart (20 px wide), with the given probabilities and gaps (extra px before a character). */
function line(text: string, p: Record<number, number> = {}, gapBefore: Record<number, number> = {}): OcrLine {
  let x = 100;
  const chars = [...text].map((ch, i) => {
    x += gapBefore[i] ?? 0;
    const c = { ch, p: p[i] ?? 0.99, x0: x, x1: x + 20 };
    x += 30;
    return c;
  });
  return { text, box: [100, 10, x, 40], confidence: 0.95, chars };
}
const towns = getKind('application').def.lexicon!.towns!;

describe('town names put right from the pixels (lexicon.towns)', () => {
  it('the kinds declare 南阳市 towns, among them 马蹬镇', () => {
    expect(towns).toContain('马蹬镇');
    expect(towns.length).toBeGreaterThan(150);
  });

  it('a character read with doubt becomes the town name’s', () => {
    const l = line('库区马镫镇生态', { 3: 0.56 });
    const chars = l.chars;
    repairTowns(l, towns);
    expect(l.text).toBe('库区马蹬镇生态');
    expect(l.chars[3].p).toBe(0.56); // keeps its doubt: the field still goes to review
    expect(chars[3].ch).toBe('镫'); // the page's own reading is not changed
  });

  it('a character read with certainty is left as read (towns are many and alike)', () => {
    const l = line('库区马镫镇生态', { 3: 0.99 });
    repairTowns(l, towns);
    expect(l.text).toBe('库区马镫镇生态');
  });

  it('a character read as nothing is put back where the line leaves its room', () => {
    const l = line('库区马镇生态', {}, { 3: 30 });
    repairTowns(l, towns);
    expect(l.text).toBe('库区马蹬镇生态');
    expect(l.chars[3].p).toBe(0.5);
    expect(l.chars[3].x0).toBeGreaterThan(l.chars[2].x1);
    expect(l.chars[3].x1).toBeLessThan(l.chars[4].x0);
  });

  it('no room, no character: two characters that stand close are not a town with one missing', () => {
    const l = line('库区马镇生态');
    repairTowns(l, towns);
    expect(l.text).toBe('库区马镇生态');
  });

  it('without its last character (镇) read, no name is put in', () => {
    const l = line('库区马镫真生态', { 3: 0.5 });
    repairTowns(l, towns);
    expect(l.text).toBe('库区马镫真生态');
  });

  it('the county before a town tells two alike towns apart (瑞东镇: 湍东镇 of 内乡县, not 穰东镇 of 邓州市)', () => {
    const l = line('内乡县瑞东镇工', { 3: 0.66 });
    repairTowns(l, towns);
    expect(l.text).toBe('内乡县湍东镇工');
    // without its county, both towns fit: left as read
    const bare = line('路瑞东镇工', { 1: 0.66 });
    repairTowns(bare, towns);
    expect(bare.text).toBe('路瑞东镇工');
  });

  it('county names are put right in the value whatever the doubt (few, and unlike each other)', () => {
    expect(fixPlaces('河南省南阳市浙川县丹江口', getKind('application').def.lexicon!.places!)).toBe('河南省南阳市淅川县丹江口');
  });
});

describe('town names: what is left as read', () => {
  it('a town read with doubt that is itself a known town (湍东镇, not 穰东镇)', () => {
    const l = line('内乡县湍东镇工', { 3: 0.73 });
    repairTowns(l, towns);
    expect(l.text).toBe('内乡县湍东镇工');
  });

  it('a reading two towns would fit', () => {
    const l = line('县王X镇', { 2: 0.5 });
    repairTowns(l, ['王庄镇', '王集镇']);
    expect(l.text).toBe('县王X镇');
    repairTowns(l, ['王庄镇']);
    expect(l.text).toBe('县王庄镇');
  });
});

describe('words of the trade put right from the recogniser’s runner-up (lexicon.terms)', () => {
  const terms = getKind('application').def.lexicon!.terms!;
  /** A line whose character i was read as `ch` with runners-up `alts` ([character, probability]). */
  function read(text: string, i: number, p: number, alts: [string, number][]): OcrLine {
    const l = line(text, { [i]: p });
    l.chars.forEach((c, k) => (c.t = k * 2));
    l.steps = [...text].flatMap((ch, k) => [k === i ? { ch: [ch, ...alts.map((a) => a[0])], p: [p, ...alts.map((a) => a[1])] } : { ch: [ch], p: [0.99] }, { ch: [''], p: [1] }]);
    return l;
  }
  it('项自 with 目 a close second: 建设项目', () => {
    const l = read('建设项自环境影响报告表审批', 3, 0.58, [['目', 0.4], ['白', 0.02]]);
    repairTerms(l, terms);
    expect(l.text).toBe('建设项目环境影响报告表审批');
    expect(l.chars[3].p).toBe(0.58);
  });
  it.each([
    ['no runner-up that makes a word', '建设项自环境', 0.58, '白', 0.4],
    ['a sure reading', '建设项自环境', 0.97, '目', 0.03],
    ['a runner-up too faint', '建设项自环境', 0.58, '目', 0.01],
    ['a word already there', '建设项目环境', 0.58, '自', 0.4],
  ] as const)('%s: as read', (_, text, p, alt, q) => {
    const l = read(text, 3, p, [[alt, q]]);
    repairTerms(l, terms);
    expect(l.text).toBe(text);
  });
});
