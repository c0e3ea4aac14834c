import { createRequire } from 'node:module';

/**
 * PDFKit shapes every word with fontkit again in every document (its layout cache lives with the
 * document), and shaping is the largest single cost of a page of Chinese. The shaped run of a
 * word never changes for a font, so it is kept for the process; each caller gets its own copy of
 * the positions, which PDFKit scales in place. The memo starts afresh at LIMIT words: names and
 * numbers are new in every document, and at 50,000 a long batch's workers held ~20 MB more each.
 */
const MEMO = Symbol('bangban.layoutMemo');
const LIMIT = 10_000;

interface Run {
  glyphs: unknown[];
  positions: Record<string, number>[];
}
interface LayoutFont {
  layout(text: string, ...rest: unknown[]): Run;
  [MEMO]?: true;
}

export function memoiseLayout(font: LayoutFont): void {
  if (font[MEMO]) return;
  const shape = font.layout.bind(font);
  const runs = new Map<string, Run>();
  font.layout = (text: string, ...rest: unknown[]): Run => {
    if (rest.some((r) => r !== undefined)) return shape(text, ...rest);
    let run = runs.get(text);
    if (!run) {
      if (runs.size >= LIMIT) runs.clear();
      run = shape(text);
      runs.set(text, run);
    }
    const copy = Object.create(Object.getPrototypeOf(run)) as Run;
    Object.assign(copy, run, { glyphs: [...run.glyphs], positions: run.positions.map((p) => ({ ...p })) });
    return copy;
  };
  font[MEMO] = true;
}

/**
 * PDFKit keeps its own cache of scaled runs per embedded font, which lives with the document, so
 * every document scales every word again (and asks the memo above for a fresh copy). The scaled run
 * depends only on the font (PDFKit's scale is 1000 / unitsPerEm) and is never modified once made
 * (PDFKit already hands the same run out for every occurrence of a word within a document), so the
 * cache is shared by all documents using the same parsed font. It is started afresh every
 * SHARED_DOCS documents, so that words seen once (names, numbers) do not pile up.
 */
const require = createRequire(import.meta.url);
const SHARED_DOCS = 1000;
const SHARED = Symbol('bangban.sharedRuns');
interface EmbeddedFont {
  font: object;
  layoutCache?: Record<string, unknown>;
  [SHARED]?: true;
}
type ProvideFont = (this: unknown, ...args: unknown[]) => EmbeddedFont;
const PdfMakeDocument = (require('pdfmake/js/PDFDocument.js') as { default: { prototype: { provideFont: ProvideFont } } }).default;
const provideFont = PdfMakeDocument.prototype.provideFont;
const sharedRuns = new WeakMap<object, { runs: Record<string, unknown>; docs: number }>();
PdfMakeDocument.prototype.provideFont = function (...args: unknown[]): EmbeddedFont {
  const f = provideFont.apply(this, args);
  if (f.layoutCache && !f[SHARED]) {
    let shared = sharedRuns.get(f.font);
    if (!shared || ++shared.docs > SHARED_DOCS) {
      shared = { runs: Object.create(null) as Record<string, unknown>, docs: 0 };
      sharedRuns.set(f.font, shared);
    }
    f.layoutCache = shared.runs;
    f[SHARED] = true;
  }
  return f;
};
