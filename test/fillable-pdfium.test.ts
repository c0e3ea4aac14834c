import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { init, type WrappedPdfiumModule } from '@embedpdf/pdfium';
import { getKind, renderDocument } from '../src/index.js';
import { parseForm } from '../src/parse/index.js';
import { fieldValues } from '../scripts/fill-tools.mjs';

/**
 * The fillable form in PDFium, the engine of Chromium's PDF viewer (WebAssembly build, no system
 * fonts): it shows bangban's values from their appearance streams, and a user's typing (form-fill
 * API: focus a field, type, leave it) is saved with appearances and read back by bangban.
 */
const require = createRequire(import.meta.url);
const kind = getKind('application');
const typical = JSON.parse(readFileSync('fixtures/application/typical.json', 'utf8'));
let pdfium: WrappedPdfiumModule;

beforeAll(async () => {
  pdfium = await init({ wasmBinary: readFileSync(require.resolve('@embedpdf/pdfium/pdfium.wasm')) } as never);
  pdfium.PDFiumExt_Init();
});

/** A document open in PDFium with its form environment and page 1 loaded. */
function open(bytes: Uint8Array) {
  const m = pdfium.pdfium;
  const malloc = (n: number) => (m.wasmExports as unknown as { malloc(n: number): number }).malloc(n);
  const at = malloc(bytes.length);
  m.HEAPU8.set(bytes, at);
  const doc = pdfium.FPDF_LoadMemDocument(at, bytes.length, '');
  const form = pdfium.PDFiumExt_InitFormFillEnvironment(doc, pdfium.PDFiumExt_OpenFormFillInfo());
  const page = pdfium.FPDF_LoadPage(doc, 0);
  pdfium.FORM_OnAfterLoadPage(page, form);
  const annots = new Map<string, number>();
  for (let i = 0; i < pdfium.FPDFPage_GetAnnotCount(page); i++) {
    const annot = pdfium.FPDFPage_GetAnnot(page, i);
    const len = pdfium.FPDFAnnot_GetFormFieldName(form, annot, 0, 0);
    const buf = malloc(len);
    pdfium.FPDFAnnot_GetFormFieldName(form, annot, buf, len);
    annots.set(m.UTF16ToString(buf), annot);
  }
  return {
    annots,
    /** Focus a field, type `text` into it, leave it (PDFium then writes its appearance). */
    type(name: string, text: string) {
      expect(pdfium.FORM_SetFocusedAnnot(form, annots.get(name)!)).toBe(true);
      const ws = malloc((text.length + 1) * 2);
      m.stringToUTF16(text, ws, (text.length + 1) * 2);
      pdfium.FORM_ReplaceSelection(form, page, ws);
      pdfium.FORM_ForceToKillFocus(form);
    },
    /** Tick a checkbox as from the keyboard: focus it, press space. */
    tick(name: string) {
      expect(pdfium.FORM_SetFocusedAnnot(form, annots.get(name)!)).toBe(true);
      pdfium.FORM_OnChar(form, page, 0x20, 0);
      pdfium.FORM_ForceToKillFocus(form);
    },
    save(): Uint8Array {
      const w = pdfium.PDFiumExt_OpenFileWriter();
      expect(Number(pdfium.PDFiumExt_SaveAsCopy(doc, w))).toBe(1); // 1: saved
      const size = pdfium.PDFiumExt_GetFileWriterSize(w);
      const out = malloc(size);
      pdfium.PDFiumExt_GetFileWriterData(w, out, size);
      return m.HEAPU8.slice(out, out + size);
    },
    /** Dark pixels in a field's rectangle, page and form fields drawn at 72 dpi. */
    inkIn(name: string): number {
      const W = 595;
      const H = 842;
      const bmp = pdfium.FPDFBitmap_Create(W, H, 0);
      pdfium.FPDFBitmap_FillRect(bmp, 0, 0, W, H, 0xffffffff);
      pdfium.FPDF_RenderPageBitmap(bmp, page, 0, 0, W, H, 0, 0);
      pdfium.FPDF_FFLDraw(form, bmp, page, 0, 0, W, H, 0, 0);
      const px = m.HEAPU8.slice(pdfium.FPDFBitmap_GetBuffer(bmp), pdfium.FPDFBitmap_GetBuffer(bmp) + W * H * 4);
      const r = malloc(16);
      pdfium.FPDFAnnot_GetRect(annots.get(name)!, r);
      const [left, top, right, bottom] = Array.from(new Float32Array(m.HEAPU8.slice(r, r + 16).buffer));
      let dark = 0;
      for (let y = Math.ceil(H - Math.max(top, bottom)) + 1; y < Math.floor(H - Math.min(top, bottom)) - 1; y++)
        for (let x = Math.ceil(left) + 1; x < Math.floor(right) - 1; x++) if (px[(y * W + x) * 4 + 1] < 128) dark++;
      return dark;
    },
  };
}

describe('fillable form in PDFium (Chromium)', () => {
  it('shows bangban-prefilled values (their appearance streams, embedded font); the blank form shows none', async () => {
    const filled = open(await renderDocument(kind, typical, 'pdf', { fillable: true }));
    const blank = open(await renderDocument(kind, null, 'pdf', { fillable: true }));
    for (const name of ['applicant.name', 'serviceItem', 'applicationDate']) {
      expect(filled.inkIn(name), name).toBeGreaterThan(40);
      expect(blank.inkIn(name), name).toBe(0);
    }
  });

  it('values typed by a user and saved read back exactly, each with an appearance stream', async () => {
    const f = open(await renderDocument(kind, null, 'pdf', { fillable: true }));
    const { text, checked } = fieldValues(kind, typical);
    for (const [name, value] of Object.entries(text)) f.type(name, value);
    for (const name of checked) f.tick(name);
    const saved = f.save();
    const r = await parseForm(saved);
    expect(r.source).toBe('fields');
    expect(r.record).toEqual(typical);
    const doc = await PDFDocument.load(saved);
    const ap = doc.getForm().getTextField('serviceItem').acroField.getWidgets()[0].getAppearances()!.normal as PDFRawStream;
    expect(new TextDecoder('latin1').decode(decodePDFRawStream(ap).decode())).toMatch(/Tj/);
  });
});
