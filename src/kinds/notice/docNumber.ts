/**
 * 发文字号 as GB/T 9704 prints it: the year in 六角括号 〔〕, the serial number without 第 and without
 * leading zeros: 宛环审告〔2026〕12号. People type [2026] 【2026】 (2026) （2026） 第012号: normalised here.
 */
export const DOC_NUMBER = /^[\u4e00-\u9fff]+〔\d{4}〕[1-9]\d*号$/;

export function normalizeDocNumber(input: string): string {
  return input
    .replace(/[\s\u3000]+/g, '')
    .replace(/[[［【（(〔](\d{4})[\]］】）)〕]/, '〔$1〕')
    .replace(/〕第?0*(\d+)号$/, '〕$1号');
}
