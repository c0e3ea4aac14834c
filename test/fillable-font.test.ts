import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFTextField, decodePDFRawStream } from 'pdf-lib';
import { getDocument, AnnotationMode, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { getKind, renderDocument } from '../src/index.js';
import { parseForm } from '../src/parse/index.js';
import { formCharset } from '../src/fillable/charset.js';
import { formFont } from '../src/fillable/formFont.js';
import { fieldValues } from '../scripts/fill-tools.mjs';
import { inkInField, toolOrRequired } from './helpers/form-area.js';

const kind = getKind('application');
const typical = JSON.parse(readFileSync('fixtures/application/typical.json', 'utf8'));
const blank = await renderDocument(kind, null, 'pdf', { fillable: true });
const prefilled = await renderDocument(kind, typical, 'pdf', { fillable: true });

const bytesOf = (doc: PDFDocument, ref: unknown) => decodePDFRawStream(doc.context.lookup(ref as PDFRef, PDFRawStream)).decode();

/** The form's /DR font and what it is made of. */
async function drFont(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes);
  const form = doc.getForm();
  const dr = form.acroForm.dict.lookup(PDFName.of('DR'), PDFDict);
  const type0 = dr.lookup(PDFName.of('Font'), PDFDict).lookup(PDFName.of('NotoSansSC'), PDFDict);
  const cid = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
  const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
  // ToUnicode: CID → text, from its bfrange and bfchar lines
  const cmap = new TextDecoder().decode(bytesOf(doc, type0.get(PDFName.of('ToUnicode'))));
  const toUnicode = new Map<number, string>();
  const hex = (h: string) => String.fromCharCode(...(h.match(/..../g) ?? []).map((x) => parseInt(x, 16)));
  for (const [, lo, hi, dst] of cmap.matchAll(/^<(\w{4})> <(\w{4})> <(\w+)>$/gm)) for (let c = parseInt(lo, 16); c <= parseInt(hi, 16); c++) toUnicode.set(c, String.fromCodePoint(hex(dst).codePointAt(0)! + c - parseInt(lo, 16)));
  for (const [, code, dst] of cmap.matchAll(/^<(\w{4})> <(\w+)>$/gm)) toUnicode.set(parseInt(code, 16), hex(dst));
  return { doc, form, type0, cid, descriptor, toUnicode, fontFile: bytesOf(doc, descriptor.get(PDFName.of('FontFile2'))) };
}

describe('fillable form font: GB 2312 and what people type', () => {
  it('the character set is GB 2312 (6,763 hanzi), ASCII, CJK and full-width punctuation', () => {
    const set = new Set(formCharset());
    expect(formCharset().filter((cp) => cp >= 0x4e00 && cp <= 0x9fff).length).toBe(6763);
    for (let cp = 0x20; cp <= 0x7e; cp++) expect(set.has(cp)).toBe(true);
    for (const ch of '、。，：；？！（）《》“”‘’—…·　〇Ａ０％～￥【】〔〕') expect(set.has(ch.codePointAt(0)!), ch).toBe(true);
    expect(set.has('喆'.codePointAt(0)!)).toBe(false); // GBK, not GB 2312
    expect(formCharset().some((cp) => cp >= 0xe000 && cp <= 0xf8ff)).toBe(false); // no user-defined codes
  });

  it('is embedded in /DR as a Type0 CIDFontType2 font with FontFile2, widths and a ToUnicode for every character', async () => {
    const { type0, cid, toUnicode, fontFile } = await drFont(blank);
    expect(type0.get(PDFName.of('Subtype'))).toBe(PDFName.of('Type0'));
    expect(type0.get(PDFName.of('Encoding'))).toBe(PDFName.of('Identity-H'));
    expect(cid.get(PDFName.of('Subtype'))).toBe(PDFName.of('CIDFontType2'));
    const chars = new Set(toUnicode.values());
    // all but the few general punctuation marks Noto Sans SC has no glyph for (‗ ‛ ‟ ‣ ․)
    const missing = formCharset().filter((cp) => !chars.has(String.fromCodePoint(cp)));
    expect(missing.map((cp) => cp.toString(16))).toEqual(['2017', '201b', '201f', '2023', '2024']);
    // the font program draws them: a hanzi's glyph (through CIDToGIDMap) has an outline, ASCII is proportional
    const map = cid.get(PDFName.of('CIDToGIDMap'));
    const gids = map instanceof PDFName ? undefined : decodePDFRawStream(cid.lookup(PDFName.of('CIDToGIDMap'), PDFRawStream)).decode();
    const gidOf = (c: number) => (gids ? (gids[2 * c] << 8) | gids[2 * c + 1] : c);
    const font = (fontkit as unknown as { create(b: Uint8Array): { numGlyphs: number; getGlyph(id: number): { path: { commands: unknown[] }; advanceWidth: number } } }).create(fontFile);
    expect(font.numGlyphs).toBeGreaterThan(7500);
    const cidOf = (ch: string) => [...toUnicode].find(([, u]) => u === ch)![0];
    expect(font.getGlyph(gidOf(cidOf('宛'))).path.commands.length).toBeGreaterThan(10);
    const w = cid.lookup(PDFName.of('W'), PDFArray).asArray().map((n) => (n as PDFNumber).asNumber());
    const widthOf = (c: number) => {
      for (let i = 0; i < w.length; i += 3) if (c >= w[i] && c <= w[i + 1]) return w[i + 2];
      return 1000;
    };
    expect(widthOf(cidOf('i'))).toBeLessThan(400);
    expect(widthOf(cidOf('宛'))).toBe(1000);
  });

  it('every text field names it in /DA and has an appearance stream; the blank form is under 2 MB', async () => {
    const { form } = await drFont(blank);
    const text = form.getFields().filter((f) => f instanceof PDFTextField);
    expect(text.length).toBeGreaterThanOrEqual(11);
    for (const f of text) {
      expect((f as PDFTextField).acroField.getDefaultAppearance()).toMatch(/^\/NotoSansSC [\d.]+ Tf 0 g$/);
      expect(f.acroField.getWidgets()[0].getAppearances()?.normal).toBeDefined();
    }
    expect(blank.length).toBeLessThan(2_000_000);
  });

  it('a prefilled value is drawn in its appearance stream with the form font, as the value reads', async () => {
    const { doc, form, toUnicode } = await drFont(prefilled);
    for (const name of ['applicant.name', 'serviceItem', 'handler.phone']) {
      const ap = form.getTextField(name).acroField.getWidgets()[0].getAppearances()!.normal;
      const content = new TextDecoder().decode(decodePDFRawStream(ap as PDFRawStream).decode());
      expect(content).toMatch(/\/NotoSansSC [\d.]+ Tf/);
      const drawn = [...content.matchAll(/<([0-9a-f]+)> Tj/g)].map((m) => (m[1].match(/..../g) ?? []).map((h) => toUnicode.get(parseInt(h, 16))).join('')).join('');
      expect(drawn).toBe(form.getTextField(name).getText());
    }
    // drawn already: readers show these appearances rather than redraw them (PDFium would use a system font)
    expect(doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).get(PDFName.of('NeedAppearances'))?.toString()).toBe('false');
  });

  it('characters outside GB 2312 in a prefilled value are added; one the font lacks is refused naming the field', async () => {
    const rec = structuredClone(typical);
    rec.handler.name = '王喆';
    const r = await parseForm(await renderDocument(kind, rec, 'pdf', { fillable: true }));
    expect(r.record).toEqual(rec);
    rec.handler.name = '王𠮷';
    await expect(renderDocument(kind, rec, 'pdf', { fillable: true })).rejects.toThrow(/经办人.*𠮷/);
  });

  it('is built once per process', () => expect(formFont()).toBe(formFont()));
});

describe('fillable form in pdf.js (Firefox)', () => {
  const open = (data: Uint8Array) => getDocument({ data: new Uint8Array(data), standardFontDataUrl: 'node_modules/pdfjs-dist/standard_fonts/', verbosity: 0 }).promise;
  const widget = (objs: Record<string, { id: string; type: string; value?: unknown }[]>, name: string) => objs[name].find((o) => o.type)!;

  it('draws a typed value with the embedded font (the glyphs read back as the value)', async () => {
    const doc = await open(blank);
    const objs = (await doc.getFieldObjects()) as never;
    const value = '建设项目环境影响报告表审批（含辐射类）';
    doc.annotationStorage.setValue(widget(objs, 'serviceItem').id, { value });
    const page = await doc.getPage(1);
    const ops = await page.getOperatorList({ annotationMode: AnnotationMode.ENABLE_STORAGE, intent: 'print' });
    let font = '';
    const drawn: { text: string; font: string }[] = [];
    ops.fnArray.forEach((fn, i) => {
      if (fn === OPS.setFont) font = ops.argsArray[i][0];
      if (fn === OPS.showText) drawn.push({ text: (ops.argsArray[i][0] as { unicode?: string }[]).map((g) => g?.unicode ?? '').join(''), font });
    });
    const hit = drawn.find((d) => d.text === value)!;
    expect(hit).toBeDefined();
    const used = page.commonObjs.get(hit.font) as { name: string; missingFile: boolean };
    expect(used.name).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular$/);
    expect(used.missingFile).toBe(false);
    await doc.destroy();
  });

  it('filled and saved by pdf.js, parses back exactly; pdf.js reads bangban-prefilled values', async () => {
    const doc = await open(blank);
    const objs = (await doc.getFieldObjects()) as never;
    const { text, checked } = fieldValues(kind, typical);
    for (const [name, value] of Object.entries(text)) doc.annotationStorage.setValue(widget(objs, name).id, { value });
    for (const name of checked) doc.annotationStorage.setValue(widget(objs, name).id, { value: true });
    const saved = await doc.saveDocument();
    await doc.destroy();
    const r = await parseForm(saved);
    expect(r.source).toBe('fields');
    expect(r.record).toEqual(typical);
    const back = await open(prefilled);
    const read = (await back.getFieldObjects()) as never;
    expect(widget(read, 'applicant.name').value).toBe(typical.applicant.name);
    expect(widget(read, 'services.事前辅导').value).toBe('Yes');
    expect(widget(read, 'services.上门送达办理结果').value).toBe('Off');
    await back.destroy();
  });
});

describe.skipIf(!toolOrRequired('pdftoppm', ['-v']))('fillable form rendered by poppler', () => {
  it('prefilled values show in their cells; the blank form is empty there', async () => {
    for (const name of ['applicant.name', 'serviceItem', 'applicationDate']) {
      expect(await inkInField(prefilled, name), name).toBeGreaterThan(40);
      expect(await inkInField(blank, name), name).toBe(0);
    }
  });
});
