/**
 * A fillable PDF form (AcroForm) of a kind: the blank form as printed, with a text field over every
 * value cell and a checkbox over every drawn option box. Field names are the record's dotted paths
 * (`applicant.name`), checkboxes `<list>.<option>` (`services.事前辅导`).
 *
 * Positions come from the printed blank form itself, found the way the parser finds them (labels,
 * then the ruled cell to their right), so the fields follow the layout whatever the fonts and sizes.
 * Text fields use an embedded CJK font (formFont.ts) named in the form's /DR and every field's /DA,
 * and every text field has an appearance written in advance (appearance.ts), empty or filled.
 */
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { Kind } from '../core/kind.js';
import { UserError } from '../core/errors.js';
import { formatOf } from '../core/formats.js';
import { assertValid } from '../core/records.js';
import { getAt, pointerToDotted } from '../core/pointer.js';
import { modelToPdf, type PdfOptions } from '../pdf/render.js';
import { readPdf } from '../parse/pdf.js';
import { preparePages, locateValues, type LocatedValue } from '../parse/read.js';
import { templateOf, matchKey } from '../parse/template.js';
import type { TextItem } from '../parse/pdf.js';
import { formFont } from './formFont.js';
import { fitText, setAppearance } from './appearance.js';

/** The form font's resource name in /DR, named by each text field's /DA. */
const FONT = 'NotoSansSC';

/** Render a kind's form with fillable fields; a record pre-fills them (after validation). */
export async function fillablePdf(kind: Kind, record: unknown | null, opts: PdfOptions = {}): Promise<Uint8Array> {
  if (record !== null && !opts.validated) assertValid(kind, record);
  const blocks = kind.def.layout(kind.values({}, true), kind);
  const blank = await modelToPdf(kind, { page: kind.def.page, blocks }, opts);
  const pdf = await readPdf(blank, { maxPages: 20 });
  const prepared = preparePages(pdf.pages);
  const { located } = locateValues(templateOf(kind), prepared);
  if (!located.length) throw new UserError(`${kind.title}没有可填写的表格栏目，不能生成可填写表单`);

  // each text field's value: the prefilled record's, as printed ('' on a blank form)
  const value = (pointer: string) => (record ? kind.schema.display(pointer, getAt(record, pointer)) : '');
  const font = formFont(
    located.filter((v) => !v.slot.checkboxes && v.slot.fields.length).map((v) => ({ text: value(v.slot.fields[0]), field: v.slot.fields[0] })),
    (p) => kind.label(p),
  );

  const doc = await PDFDocument.load(blank, { updateMetadata: false });
  const fontRef = font.embed(doc);
  const form = doc.getForm();
  // ZaDb and Helv too: readers that regenerate appearances look for them (checkboxes, Latin text)
  const zadb = doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'ZapfDingbats' }));
  const helv = doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }));
  form.acroForm.dict.set(PDFName.of('DR'), doc.context.obj({ Font: { [FONT]: fontRef, ZaDb: zadb, Helv: helv } }));
  form.acroForm.dict.set(PDFName.of('DA'), PDFString.of(`/${FONT} 0 Tf 0 g`));
  // Every field has its appearance, so NeedAppearances is false: with it, PDFium (Chromium) and
  // poppler would redraw even bangban's own values, Chinese in a system font if there is one. Tools
  // that set values without drawing them (pypdf, pdftk's need_appearances) set it themselves.
  form.acroForm.dict.set(PDFName.of('NeedAppearances'), doc.context.obj(false));
  const pages = doc.getPages();
  const rawRules = pdf.pages;

  for (const v of located) {
    const page = pages[v.page.index];
    if (v.slot.checkboxes) {
      const { field, options } = v.slot.checkboxes;
      for (const option of options) {
        const at = optionBox(v, option, rawRules[v.page.index].rules);
        if (!at) continue;
        const cb = form.createCheckBox(`${pointerToDotted(field)}.${option}`);
        cb.addToPage(page, { ...at, borderWidth: 0, backgroundColor: undefined, borderColor: undefined });
        cb.acroField.setDefaultAppearance('/ZaDb 0 Tf 0 g');
        const list = record ? getAt(record, field) : undefined;
        if (Array.isArray(list) && list.includes(option)) cb.check();
      }
      continue;
    }
    const pointer = v.slot.fields[0];
    if (pointer === undefined) continue;
    const rect = fieldRect(v);
    // codes, phones and dates stay on one line; other text wraps in tall cells
    const oneLine = formatOf(kind.schema.at(pointer)) !== undefined;
    const multiline = !oneLine && rect.height > 30;
    const text = value(pointer);
    const size = multiline ? Math.min(10.5, v.page.size) : Math.min(10.5, Math.max(6, rect.height * 0.62));
    const tf = form.createTextField(pointerToDotted(pointer));
    if (multiline) tf.enableMultiline();
    tf.addToPage(page, { ...rect, borderWidth: 0, backgroundColor: undefined, borderColor: undefined });
    // Size of what readers draw: wrapped text auto-sized (0) to fit its cell; one line a fixed size
    // that fits the value and its format's sample (auto grows one line to the cell's height in poppler)
    const sample = oneLine ? kind.schema.display(pointer, formatOf(kind.schema.at(pointer))!.sample) : '';
    const daSize = multiline ? 0 : fitText(font, font.width(sample, 1) > font.width(text, 1) ? sample : text, rect, size, false).size;
    tf.acroField.setDefaultAppearance(`/${FONT} ${daSize.toFixed(1)} Tf 0 g`);
    setAppearance(doc, tf, font, fontRef, FONT, text, rect, size, multiline);
  }
  return doc.save({ updateFieldAppearances: false });
}

/** The value cell, inset, above any printed hint such as (本人手签). */
function fieldRect(v: LocatedValue): { x: number; y: number; width: number; height: number } {
  const hintTop = v.items.length ? Math.max(...v.items.map((i: TextItem) => i.y + i.size * 0.85)) : undefined;
  const x0 = v.box.x0 + 2;
  const x1 = v.box.x1 - 2;
  const y0 = hintTop !== undefined && v.slot.hint ? hintTop + 1 : v.box.y0 + 2;
  const y1 = v.box.y1 - 2;
  return { x: x0, y: y0, width: x1 - x0, height: Math.max(8, y1 - y0) };
}

/** The drawn box before an option's text, or a square of the text's size if none is drawn. */
function optionBox(v: LocatedValue, option: string, rules: { h: { x1: number; x2: number; y1: number }[]; v: { x1: number; y1: number; y2: number }[] }): { x: number; y: number; width: number; height: number } | undefined {
  const key = matchKey(option);
  const items = [...v.items].sort((a, b) => b.y - a.y || a.x - b.x);
  // the option's first character: the item where the option's text starts
  let start: TextItem | undefined;
  for (let i = 0; i < items.length && !start; i++) {
    let s = '';
    for (let j = i; j < items.length && s.length < key.length; j++) {
      if (Math.abs(items[j].y - items[i].y) > 1) break;
      s += matchKey(items[j].str);
    }
    if (s.startsWith(key) || (s.length >= 2 && key.startsWith(s) && s.length >= Math.min(4, key.length))) start = items[i];
  }
  if (!start) return undefined;
  const size = start.size;
  const mid = start.y + size * 0.35;
  // nearest small square left of the text
  const edges = rules.v.filter((s) => s.y2 - s.y1 < size * 1.3 && s.y1 - 1 <= mid && s.y2 + 1 >= mid && s.x1 < start!.x && s.x1 > start!.x - size * 2.5);
  if (edges.length >= 2) {
    const xs = edges.map((e) => e.x1).sort((a, b) => a - b);
    const right = xs[xs.length - 1];
    const left = xs.filter((x) => x < right - size * 0.4).pop() ?? right - size * 0.9;
    const e = edges.find((s) => s.x1 === right)!;
    return { x: left, y: e.y1, width: right - left, height: e.y2 - e.y1 };
  }
  const side = size * 0.9;
  return { x: start.x - side - 4, y: start.y - size * 0.1, width: side, height: side };
}
