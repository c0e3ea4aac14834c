import { UserError } from '../core/errors.js';
import type { FontRole } from '../core/model.js';
import { fontFor } from './fontCache.js';
import { fontLabel, type FontConfig } from './fonts.js';

/** Label lookup for error messages: pointer → Chinese label. */
export type LabelOf = (pointer: string) => string;

/**
 * Every character must have a glyph in the font that prints it: a missing one fails the render,
 * naming the field and the character, instead of printing a blank box.
 */
export function assertGlyphs(text: string, role: FontRole, fonts: FontConfig, field: string | undefined, labelOf: LabelOf): void {
  const font = fontFor(fonts[role].file);
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x3000 || cp === 0x20) continue;
    if (!font.hasGlyphForCodePoint(cp)) {
      const where = field ? `${labelOf(field)} (${field})` : '模板文字';
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      throw new UserError(`${where}: 字符“${ch}”(U+${hex}) 无法显示，字体 ${fontLabel(fonts[role])} 中没有这个字；请改用常用字或在字体配置中换用包含它的字体`, 1);
    }
  }
}
