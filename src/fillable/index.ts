/**
 * A fillable PDF form (AcroForm) of a kind: the blank form as printed, with a text field over every
 * value cell and a checkbox over every drawn option box. Field names are the record's dotted paths
 * (`applicant.name`), checkboxes `<list>.<option>` (`services.事前辅导`).
 *
 * Positions come from the printed blank form itself, found the way the parser finds them (labels,
 * then the ruled cell to their right), so the fields follow the layout whatever the fonts and sizes.
 * Text uses the non-embedded Adobe font STSong-Light (UniGB-UCS2-H), which every common reader
 * supplies for Chinese; prefilled values get their own appearance streams in that font.
 */
import { PDFDocument, PDFHexString, PDFName, PDFString, type PDFRef, type PDFTextField } from 'pdf-lib';
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

const FONT = 'STSong';

/** Render a kind's form with fillable fields; a record pre-fills them (after validation). */
export async function fillablePdf(kind: Kind, record: unknown | null, opts: PdfOptions = {}): Promise<Uint8Array> {
  if (record !== null && !opts.validated) assertValid(kind, record);
  const blocks = kind.def.layout(kind.values({}, true), kind);
  const blank = await modelToPdf(kind, { page: kind.def.page, blocks }, opts);
  const pdf = await readPdf(blank, { maxPages: 20 });
  const prepared = preparePages(pdf.pages);
  const { located } = locateValues(templateOf(kind), prepared);
  if (!located.length) throw new UserError(`${kind.title}没有可填写的表格栏目，不能生成可填写表单`);

  const doc = await PDFDocument.load(blank, { updateMetadata: false });
  const font = cjkFont(doc);
  const form = doc.getForm();
  // ZaDb and Helv too: readers that regenerate appearances look for them (checkboxes, Latin text)
  const zadb = doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'ZapfDingbats' }));
  const helv = doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica', Encoding: 'WinAnsiEncoding' }));
  form.acroForm.dict.set(PDFName.of('DR'), doc.context.obj({ Font: { [FONT]: font, ZaDb: zadb, Helv: helv } }));
  form.acroForm.dict.set(PDFName.of('DA'), PDFString.of(`/${FONT} 0 Tf 0 g`));
  // Blank fields have nothing to draw; prefilled ones carry their own appearance. Readers draw what
  // users type with the DA font (STSong-Light), so appearances need not be regenerated.
  form.acroForm.dict.set(PDFName.of('NeedAppearances'), doc.context.obj(record === null));
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
        const list = record ? getAt(record, field) : undefined;
        if (Array.isArray(list) && list.includes(option)) cb.check();
      }
      continue;
    }
    for (const pointer of v.slot.fields) {
      const rect = fieldRect(v);
      // codes, phones and dates stay on one line (auto-sized when typed); other text wraps in tall cells
      const oneLine = formatOf(kind.schema.at(pointer)) !== undefined;
      const multiline = !oneLine && rect.height > 30;
      const value = record ? kind.schema.display(pointer, getAt(record, pointer)) : '';
      const ems = [...value].reduce((a, c) => a + em(c), 0);
      let size = multiline ? Math.min(10.5, v.page.size) : Math.min(10.5, Math.max(6, rect.height * 0.62));
      if (oneLine && ems) size = Math.max(5, Math.min(size, (rect.width - 5) / ems));
      const tf = form.createTextField(pointerToDotted(pointer));
      if (multiline) tf.enableMultiline();
      tf.addToPage(page, { ...rect, borderWidth: 0, backgroundColor: undefined, borderColor: undefined });
      tf.acroField.setDefaultAppearance(`/${FONT} ${oneLine ? 0 : size.toFixed(1)} Tf 0 g`);
      if (value) prefill(doc, tf, value, rect, size, multiline, font);
      break; // one field per value cell
    }
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

/** Type0 font STSong-Light with the predefined CMap UniGB-UCS2-H: nothing embedded. */
function cjkFont(doc: PDFDocument): PDFRef {
  const ctx = doc.context;
  const descriptor = ctx.register(
    ctx.obj({ Type: 'FontDescriptor', FontName: 'STSong-Light', Flags: 6, FontBBox: [-25, -254, 1000, 880], ItalicAngle: 0, Ascent: 880, Descent: -120, CapHeight: 880, StemV: 93 }),
  );
  const cid = ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: 'CIDFontType0',
      BaseFont: 'STSong-Light',
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('GB1'), Supplement: 2 },
      FontDescriptor: descriptor,
      DW: 1000,
      // Adobe-GB1 CIDs 1–95 are the proportional (half-width) ASCII set
      W: [1, 95, 500],
    }),
  );
  return ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: 'STSong-Light-UniGB-UCS2-H', Encoding: 'UniGB-UCS2-H', DescendantFonts: [cid] }));
}

const em = (ch: string) => (ch.charCodeAt(0) < 0x7f ? 0.5 : 1);

function wrap(text: string, size: number, width: number): string[] {
  const out: string[] = [];
  let line = '';
  let w = 0;
  for (const ch of text) {
    const cw = em(ch) * size;
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

const ucs2 = (s: string) => [...s].map((c) => (c.codePointAt(0)! > 0xffff ? 0x3000 : c.codePointAt(0)!).toString(16).padStart(4, '0')).join('');

/** Set the value and draw it in STSong-Light (pdf-lib's own appearances cannot encode Chinese). */
function prefill(doc: PDFDocument, tf: PDFTextField, value: string, rect: { width: number; height: number }, size: number, multiline: boolean, font: PDFRef): void {
  tf.acroField.dict.set(PDFName.of('V'), PDFHexString.fromText(value));
  const lines = multiline ? wrap(value, size, rect.width - 4) : [value];
  const lead = size * 1.2;
  const top = multiline ? rect.height - 2 - size * 0.88 : (rect.height - size * 0.76) / 2;
  const body = lines.map((l, i) => `1 0 0 1 2 ${(top - i * lead).toFixed(2)} Tm <${ucs2(l)}> Tj`).join('\n');
  const content = `/Tx BMC\nq\nBT\n/${FONT} ${size.toFixed(1)} Tf 0 g\n${body}\nET\nQ\nEMC`;
  const stream = doc.context.stream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, rect.width, rect.height],
    Resources: { Font: { [FONT]: font } },
  });
  const ref = doc.context.register(stream);
  for (const w of tf.acroField.getWidgets()) w.dict.set(PDFName.of('AP'), doc.context.obj({ N: ref }));
}
