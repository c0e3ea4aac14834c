import { describe, it, expect } from 'vitest';
import {
  checkCreditCode,
  creditCodeCheckChar,
  creditCodeInnerWarning,
  checkIdNumber,
  idNumberCheckChar,
  checkPhone,
  checkDate,
  checkDateTime,
  normalizeDigits,
} from '../src/core/identifiers.js';

describe('checkCreditCode', () => {
  const valid = [
    '91411300MA44ABCD5J',
    '12411300416001234A',
    '91411300MA40001000', // check value 31 → '0'
    '91411300MA400008XC', // inner check X
    '9135052155323005XL',
  ];
  it.each(valid)('accepts %s', (code) => {
    expect(checkCreditCode(code)).toBeNull();
  });

  it('computes the check characters of the samples', () => {
    for (const code of valid) expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    expect(creditCodeCheckChar('91411300MA4000100')).toBe('0');
  });

  it('reports the expected check character', () => {
    expect(checkCreditCode('91411300MA44ABCD5K')).toBe('校验码错误，应为 J');
    expect(checkCreditCode('91411300MA4000100Y')).toBe('校验码错误，应为 0');
  });

  it('reports wrong length', () => {
    expect(checkCreditCode('91411300MA44ABCD5')).toBe('长度应为 18 位（现为 17 位）');
    expect(checkCreditCode('')).toBe('长度应为 18 位（现为 0 位）');
  });

  it('rejects I, O, Z, S, V', () => {
    expect(checkCreditCode('91411300MA44IBCD5J')).toBe('含有不允许的字符“I”（不使用 I、O、Z、S、V）');
    expect(checkCreditCode('91411300MA44OBCD5J')).toContain('“O”');
    for (const ch of ['I', 'O', 'Z', 'S', 'V']) {
      expect(checkCreditCode(`91411300MA44${ch}BCD5J`)).toContain(`“${ch}”`);
    }
  });

  it('asks for upper case letters', () => {
    expect(checkCreditCode('91411300ma44ABCD5J')).toContain('应大写');
  });

  it('requires digits in positions 3–8', () => {
    expect(checkCreditCode('91A11300MA44ABCD5J')).toBe('第 3–8 位应为数字（行政区划码）');
  });

  it('creditCodeCheckChar throws on bad input', () => {
    expect(() => creditCodeCheckChar('123')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91411300MA44IBCD5')).toThrow(RangeError);
  });
});

describe('creditCodeInnerWarning', () => {
  it('passes the samples', () => {
    for (const code of [
      '91411300MA44ABCD5J',
      '12411300416001234A',
      '91411300MA40001000',
      '91411300MA400008XC',
      '9135052155323005XL',
    ]) {
      expect(creditCodeInnerWarning(code)).toBeNull();
    }
  });

  it('warns on a wrong inner check character', () => {
    const first16 = '91411300MA44ABCD';
    const code = first16 + '6' + creditCodeCheckChar(first16 + '6');
    expect(checkCreditCode(code)).toBeNull();
    expect(creditCodeInnerWarning(code)).toContain('应为 5');
  });

  it('ignores malformed codes', () => {
    expect(creditCodeInnerWarning('123')).toBeNull();
  });
});

describe('checkIdNumber', () => {
  const today = new Date(2025, 5, 15); // 2025-06-15 local

  it('accepts valid numbers', () => {
    expect(checkIdNumber('411302199001011236', today)).toBeNull();
    expect(checkIdNumber('11010519491231002X', today)).toBeNull();
    expect(checkIdNumber('411302199001011236')).toBeNull(); // default today
  });

  it('reports a wrong check character', () => {
    expect(checkIdNumber('411302199001011235', today)).toBe('校验码错误，应为 6');
    expect(checkIdNumber('110105194912310021', today)).toBe('校验码错误，应为 X');
  });

  it('rejects lower-case x', () => {
    expect(checkIdNumber('11010519491231002x', today)).toBe('末位 x 应大写为 X');
  });

  it('rejects wrong length and characters', () => {
    expect(checkIdNumber('41130219900101123', today)).toBe('长度应为 18 位（现为 17 位）');
    expect(checkIdNumber('4113021990010112A6', today)).toContain('应为数字');
  });

  it('rejects dates that do not exist', () => {
    const first17 = '41130219900230123';
    const id = first17 + idNumberCheckChar(first17);
    expect(checkIdNumber(id, today)).toBe('出生日期 19900230 不存在');
    const feb29 = '41130219010229123';
    expect(checkIdNumber(feb29 + idNumberCheckChar(feb29), today)).toBe('出生日期 19010229 不存在');
    const leap = '41130220000229123';
    expect(checkIdNumber(leap + idNumberCheckChar(leap), today)).toBeNull();
  });

  it('rejects future dates and dates before 1900', () => {
    const future = '41130220250616123';
    expect(checkIdNumber(future + idNumberCheckChar(future), today)).toBe('出生日期 20250616 晚于今天');
    const same = '41130220250615123';
    expect(checkIdNumber(same + idNumberCheckChar(same), today)).toBeNull();
    const old = '41130218991231123';
    expect(checkIdNumber(old + idNumberCheckChar(old), today)).toBe('出生日期 18991231 早于 1900 年');
  });
});

describe('checkPhone', () => {
  it.each([
    '13812345678',
    '+8613812345678',
    '8613812345678',
    '0377-61387687',
    '037761387687',
    '61387687',
    '6138768',
    '021-61387687',
    '0377-61387687转8001',
    '0377-61387687-8001',
    '61387687转8001',
    '400-123-4567',
    '4001234567',
    '800-123-4567',
    '12345',
    '12369',
  ])('accepts %s', (p) => {
    expect(checkPhone(p)).toBeNull();
  });

  it.each([
    '010-12345678', // local part starts with 1
    '1234',
    '23812345678',
    '12812345678',
    '61387687-8001', // hyphen extension only after an area code
    '0377-01387687',
    '12346',
    '',
  ])('rejects %s', (p) => {
    expect(checkPhone(p)).toBe('不是有效的电话号码（手机 11 位，座机如 0377-61387687 或 61387687）');
  });
});

describe('checkDate / checkDateTime', () => {
  it('checkDate', () => {
    expect(checkDate('2024-02-29')).toBeNull();
    expect(checkDate('2000-02-29')).toBeNull();
    expect(checkDate('2023-02-29')).toBe('日期 2023-02-29 不存在');
    expect(checkDate('1900-02-29')).toBe('日期 1900-02-29 不存在');
    expect(checkDate('2026-13-01')).toBe('日期 2026-13-01 不存在');
    expect(checkDate('2026-02-30')).toBe('日期 2026-02-30 不存在');
    expect(checkDate('2026-04-31')).toBe('日期 2026-04-31 不存在');
    expect(checkDate('2026-00-10')).toBe('日期 2026-00-10 不存在');
    expect(checkDate('2026-1-5')).toBe('日期格式应为 YYYY-MM-DD');
    expect(checkDate('2026/01/05')).toBe('日期格式应为 YYYY-MM-DD');
  });

  it('checkDateTime', () => {
    expect(checkDateTime('2024-02-29T23:59')).toBeNull();
    expect(checkDateTime('2024-02-29T00:00')).toBeNull();
    expect(checkDateTime('2023-02-29T10:00')).toBe('日期 2023-02-29 不存在');
    expect(checkDateTime('2024-01-01T24:00')).toContain('小时');
    expect(checkDateTime('2024-01-01T10:60')).toContain('分钟');
    expect(checkDateTime('2024-01-01 10:00')).toBe('时间格式应为 YYYY-MM-DDTHH:MM');
    expect(checkDateTime('2024-01-01T10:00:00')).toBe('时间格式应为 YYYY-MM-DDTHH:MM');
  });
});

describe('normalizeDigits', () => {
  it('converts full-width forms', () => {
    expect(normalizeDigits('０３７７－６１３８７６８７')).toBe('0377-61387687');
    expect(normalizeDigits('＋８６　１３８１２３４５６７８')).toBe('+86 13812345678');
    expect(normalizeDigits('９１４１１３００ＭＡ４４ＡＢＣＤ５Ｊ')).toBe('91411300MA44ABCD5J');
    expect(normalizeDigits('１０：３０．５')).toBe('10:30.5');
    expect(normalizeDigits('南阳市〔2022〕')).toBe('南阳市〔2022〕');
  });
});
