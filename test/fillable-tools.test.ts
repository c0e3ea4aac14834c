import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { getKind, renderDocument } from '../src/index.js';
import { parseForm } from '../src/parse/index.js';
import { FORM_FONT } from '../src/fillable/formFont.js';
import { fieldValues, fillWithPdftk, fillWithPypdf } from '../scripts/fill-tools.mjs';
import { inkInField, toolOrRequired } from './helpers/form-area.js';

/**
 * bangban's fillable form filled by the programs offices script (pdftk-java, pypdf), read back by
 * bangban, and rendered by poppler to see that the values show. Skipped without the tools unless
 * BANGBAN_REQUIRE_TOOLS=1 (CI).
 */
const kind = getKind('application');
const records = Object.fromEntries(['typical', 'long-values'].map((n) => [n, JSON.parse(readFileSync(`fixtures/application/${n}.json`, 'utf8'))]));
const dir = mkdtempSync(join(tmpdir(), 'fillable-tools-'));
const form = join(dir, 'form.pdf');
const hasPoppler = toolOrRequired('pdftoppm', ['-v']);

beforeAll(async () => writeFileSync(form, await renderDocument(kind, null, 'pdf', { fillable: true })));

/** Fill, parse back, and return the filled bytes. */
async function filledBy(fill: (out: string) => void, record: Record<string, unknown>): Promise<Uint8Array> {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  fill(out);
  const bytes = readFileSync(out);
  const r = await parseForm(bytes);
  expect(r.source).toBe('fields');
  expect(r.record).toEqual(record);
  expect(r.valid).toBe(true);
  return bytes;
}

/** Values drawn where they belong: poppler (which draws NeedAppearances values itself) shows ink in the cells. */
async function expectShown(bytes: Uint8Array) {
  if (!hasPoppler) return;
  for (const name of ['applicant.name', 'handler.name', 'serviceItem', 'applicationDate', 'proxy.receivedAt']) expect(await inkInField(bytes, name), name).toBeGreaterThan(20);
}

describe.skipIf(!toolOrRequired('pdftk', ['--version']))('fillable form filled by pdftk-java', () => {
  for (const [name, record] of Object.entries(records)) {
    it(`XFDF with need_appearances (${name}): read back exactly, and shown`, async () => {
      const bytes = await filledBy((out) => fillWithPdftk(form, out, fieldValues(kind, record), { needAppearances: true }), record);
      await expectShown(bytes);
    }, 60_000);
  }

  it('FDF (UTF-16 names and values) with need_appearances: read back exactly, and shown', async () => {
    const bytes = await filledBy((out) => fillWithPdftk(form, out, fieldValues(kind, records.typical), { needAppearances: true, format: 'fdf' }), records.typical);
    await expectShown(bytes);
  }, 60_000);

  // pdftk draws values itself here and its iText cannot draw through a Type0 font (docs/parse.md):
  // the values are right, what it draws is not, unless it is given a font file (replacement_font)
  it('XFDF without need_appearances: read back exactly', async () => {
    await filledBy((out) => fillWithPdftk(form, out, fieldValues(kind, records.typical)), records.typical);
  }, 60_000);

  it('replacement_font with a TrueType CJK font: pdftk draws the values itself', async () => {
    const bytes = await filledBy((out) => fillWithPdftk(form, out, fieldValues(kind, records.typical), { replacementFont: FORM_FONT.file }), records.typical);
    const doc = await PDFDocument.load(bytes);
    expect(doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).get(PDFName.of('NeedAppearances'))).toBeUndefined();
    await expectShown(bytes);
  }, 120_000);
});

describe.skipIf(!toolOrRequired('/usr/bin/python3', ['-c', 'import pypdf']))('fillable form filled by pypdf', () => {
  for (const [name, record] of Object.entries(records)) {
    it(`update_page_form_field_values (${name}): values without appearances (NeedAppearances) read back exactly, and shown`, async () => {
      const bytes = await filledBy((out) => fillWithPypdf(form, out, fieldValues(kind, record)), record);
      // pypdf drew nothing: the filled field's appearance is still the blank form's empty one
      const doc = await PDFDocument.load(bytes);
      expect(doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).get(PDFName.of('NeedAppearances'))?.toString()).toBe('true');
      const ap = doc.getForm().getTextField('applicant.name').acroField.getWidgets()[0].getAppearances()!.normal as PDFRawStream;
      expect(new TextDecoder().decode(decodePDFRawStream(ap).decode())).not.toMatch(/Tj/);
      await expectShown(bytes);
    }, 60_000);
  }
});
