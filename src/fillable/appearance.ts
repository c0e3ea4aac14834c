/**
 * Appearance streams of text fields, written in advance in the form font, so that a reader shows a
 * value without generating anything (pdftk only draws what it fills itself; a field with no
 * appearance is blank in many viewers unless the form asks for appearances to be regenerated).
 */
import { PDFHexString, PDFName, type PDFDocument, type PDFRef, type PDFTextField } from 'pdf-lib';
import type { FormFont } from './formFont.js';

export interface FieldBox {
  width: number;
  height: number;
}

/** Lines of `text` no wider than `width` at `size`, breaking anywhere (Chinese has no spaces). */
export function wrap(font: FormFont, text: string, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    const cw = font.width(ch, size);
    if (w + cw > width && line) {
      out.push(line);
      line = '';
      w = 0;
    }
    line += ch;
    w += cw;
  }
  if (line) out.push(line);
  return out;
}

/** Size and lines that fit the box: one line shrinks to its width, wrapped text to its height. */
export function fitText(font: FormFont, value: string, box: FieldBox, size: number, multiline: boolean): { size: number; lines: string[] } {
  if (!multiline) return { size: Math.max(5, Math.min(size, (box.width - 4) / Math.max(font.width(value, 1), 0.01))), lines: [value] };
  for (let s = size; ; s -= 0.5) {
    const lines = wrap(font, value, s, box.width - 4);
    if (lines.length * s * 1.2 <= box.height - 2 || s <= 6) return { size: s, lines };
  }
}

/**
 * Set the field's value and its normal appearance: `value` drawn in `name` (the /DR font) at `size`,
 * wrapped when multiline; an empty value gets an empty appearance (a marked-content block, nothing drawn).
 */
export function setAppearance(doc: PDFDocument, tf: PDFTextField, font: FormFont, fontRef: PDFRef, name: string, value: string, box: FieldBox, size: number, multiline: boolean): void {
  let body = '';
  if (value) {
    tf.acroField.dict.set(PDFName.of('V'), PDFHexString.fromText(value));
    const fit = fitText(font, value, box, size, multiline);
    const lead = fit.size * 1.2;
    const top = multiline ? box.height - 2 - fit.size * 0.88 : (box.height - fit.size * 0.76) / 2;
    const lines = fit.lines.map((l, i) => `1 0 0 1 2 ${(top - i * lead).toFixed(2)} Tm <${font.encode(l)}> Tj`).join('\n');
    body = `q\nBT\n/${name} ${fit.size.toFixed(2)} Tf 0 g\n${lines}\nET\nQ\n`;
  }
  const stream = doc.context.stream(`/Tx BMC\n${body}EMC`, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, box.width, box.height],
    Resources: { Font: { [name]: fontRef } },
  });
  const ref = doc.context.register(stream);
  for (const w of tf.acroField.getWidgets()) w.dict.set(PDFName.of('AP'), doc.context.obj({ N: ref }));
}
