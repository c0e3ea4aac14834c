import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserError } from '../core/errors.js';

/**
 * pdfmake (through PDFKit) parses every font again for every document; a Chinese font is ~15 MB.
 * PDFKit calls `fontkit.create(buffer)`; we memoise that call per buffer, so each font file is read
 * and parsed once per process. Subsetting stays per document, so outputs do not change.
 */
const require = createRequire(import.meta.url);
const fontkitPath = require.resolve('fontkit', { paths: [require.resolve('pdfkit')] });
type Fontkit = { create: (buf: Uint8Array, family?: string) => FontkitFont };
const fontkit = require(fontkitPath) as Fontkit;

export interface FontkitFont {
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string): { advanceWidth: number };
  unitsPerEm: number;
}

/** Width of a string in points, for fitting codes on one line. */
export function textWidth(font: FontkitFont, text: string, size: number): number {
  return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
}

const parsed = new WeakMap<Uint8Array, FontkitFont>();
function create(buf: Uint8Array, family?: string): FontkitFont {
  if (family) return fontkit.create(buf, family);
  let font = parsed.get(buf);
  if (!font) {
    font = fontkit.create(buf);
    parsed.set(buf, font);
  }
  return font;
}
// fontkit's exports are read-only getters, so PDFKit gets a copy with the memoised `create`.
// This module must be imported before pdfmake (which loads PDFKit, which loads fontkit's exports).
require.cache[fontkitPath]!.exports = { ...fontkit, create };
if (require.cache[require.resolve('pdfkit')]) throw new Error('fontCache must be imported before pdfmake');

const files = new Map<string, Buffer>();

/** The bytes of a font file, read once per process. */
export function fontBytes(path: string): Buffer {
  let buf = files.get(path);
  if (!buf) {
    try {
      buf = readFileSync(path);
    } catch (e) {
      throw new UserError(`无法读取字体文件 ${path}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    files.set(path, buf);
  }
  return buf;
}

/** The parsed font, shared with PDFKit through the memo above. */
export function fontFor(path: string): FontkitFont {
  try {
    return create(fontBytes(path));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`字体文件 ${path} 无法解析：${(e as Error).message}`);
  }
}
