/**
 * PDFKit shapes every word with fontkit again in every document (its layout cache lives with the
 * document), and shaping is the largest single cost of a page of Chinese. The shaped run of a
 * word never changes for a font, so it is kept for the process; each caller gets its own copy of
 * the positions, which PDFKit scales in place.
 */
const MEMO = Symbol('bangban.layoutMemo');
const LIMIT = 50_000;

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
