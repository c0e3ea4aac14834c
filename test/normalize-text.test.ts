import { describe, it, expect } from 'vitest';
import { foldText, matchKey, spellingsOf } from '../src/core/normalizeText.js';
import { RADICALS_SUPPLEMENT } from '../src/core/radicals.js';

describe('text normalisation', () => {
  it('folds Kangxi radicals and the CJK Radicals Supplement to unified ideographs', () => {
    expect(foldText('项⽬ 2026年3⽉2⽇ ⼈⺠政府 ⻑ ⻓')).toBe('项目 2026年3月2日 人民政府 長 长');
  });
  it('maps every radical of the Supplement to one CJK unified ideograph (main block or extension A)', () => {
    expect(RADICALS_SUPPLEMENT.size).toBe(115);
    for (const [radical, ideograph] of RADICALS_SUPPLEMENT) {
      const r = radical.codePointAt(0)!;
      const u = ideograph.codePointAt(0)!;
      expect(r >= 0x2e80 && r <= 0x2ef3 && r !== 0x2e9a).toBe(true);
      expect((u >= 0x4e00 && u <= 0x9fff) || (u >= 0x3400 && u <= 0x4dbf)).toBe(true);
    }
    // where NFKC knows one, the table agrees with it
    expect(RADICALS_SUPPLEMENT.get('⺟')).toBe('⺟'.normalize('NFKC'));
    expect(RADICALS_SUPPLEMENT.get('⻳')).toBe('⻳'.normalize('NFKC'));
  });
  it('folds every Kangxi radical through NFKC', () => {
    for (let c = 0x2f00; c <= 0x2fd5; c++) expect(/\p{Script=Han}/u.test(foldText(String.fromCodePoint(c)))).toBe(true);
  });
  it('keeps full-width digits in values but not in match keys', () => {
    expect(foldText('仲景路１０８８号')).toBe('仲景路１０８８号');
    expect(matchKey('申请单位名称 （盖章）')).toBe('申请单位名称(盖章)');
    expect(matchKey('申请单位名称〔盖章〕')).toBe(matchKey('申请单位名称【盖章】'));
    expect(matchKey('申请单位名称[盖章]')).toBe('申请单位名称(盖章)');
    expect(matchKey('日期：')).toBe('日期:');
    expect(matchKey('Ａ　Ｂ，Ｃ')).toBe('AB,C');
    expect(matchKey('a\u00a0b\u200bc')).toBe('abc');
  });
  it('lists the spellings of a character for patterns over raw text', () => {
    expect(spellingsOf('(')).toEqual(expect.arrayContaining(['(', '（', '〔', '【', '[']));
  });
});
