import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFDict } from 'pdf-lib';
import { getKind, renderDocument } from '../src/index.js';
import { parseForm } from '../src/parse/index.js';
import { getKind as kindNamed } from '../src/kinds/index.js';

/** The 代办内容 options, from the application schema. */
const SERVICE_OPTIONS = kindNamed('application').options('/services');
import fc from 'fast-check';
import { getAt, pointerToDotted } from '../src/core/pointer.js';
import { applicationRecord } from './helpers/parse-records.js';
import { cli, noStack } from './helpers/cli.js';

const kind = getKind('application');
const typical = JSON.parse(readFileSync('fixtures/application/typical.json', 'utf8'));

describe('fillable application form', () => {
  it('has one text field per value, named by dotted paths, and one checkbox per option', async () => {
    const doc = await PDFDocument.load(await renderDocument(kind, null, 'pdf', { fillable: true }));
    const names = doc.getForm().getFields().map((f) => f.getName());
    for (const n of ['applicant.name', 'applicant.address', 'applicant.legalRepresentative', 'applicant.creditCode', 'handler.name', 'handler.phone', 'serviceItem', 'guidanceItem', 'applicationDate', 'proxy.name', 'proxy.receivedAt'])
      expect(names).toContain(n);
    for (const o of SERVICE_OPTIONS) expect(names).toContain(`services.${o}`);
    // Chinese: the form's default resources carry the embedded CJK font (test/fillable-font.test.ts)
    const dr = doc.getForm().acroForm.dict.lookup(PDFName.of('DR'), PDFDict);
    const font = dr.lookup(PDFName.of('Font'), PDFDict).lookup(PDFName.of('NotoSansSC'), PDFDict);
    expect(font.get(PDFName.of('Encoding'))).toBe(PDFName.of('Identity-H'));
    expect(doc.getForm().getTextField('applicant.name').acroField.getDefaultAppearance()).toMatch(/\/NotoSansSC/);
  });

  it('filled with pdf-lib (not bangban), parses back from the fields', async () => {
    const doc = await PDFDocument.load(await renderDocument(kind, null, 'pdf', { fillable: true }));
    const form = doc.getForm();
    const set = (n: string, v: string) => form.getTextField(n).setText(v);
    set('applicant.name', typical.applicant.name);
    set('applicant.address', typical.applicant.address);
    set('applicant.legalRepresentative', '张　伟');
    set('applicant.creditCode', '９１４１１３００ＭＡ４４ＡＢＣＤ５Ｊ');
    set('handler.name', typical.handler.name);
    set('handler.phone', typical.handler.phone);
    set('serviceItem', typical.serviceItem);
    set('guidanceItem', typical.guidanceItem);
    set('applicationDate', '2026年3月2日');
    set('proxy.name', typical.proxy.name);
    set('proxy.receivedAt', '2026-03-02 14时40分');
    for (const o of typical.services) form.getCheckBox(`services.${o}`).check();
    const r = await parseForm(await doc.save({ updateFieldAppearances: false }));
    expect(r.source).toBe('fields');
    expect(r.kind).toBe('application');
    expect(r.record).toEqual(typical);
    expect(r.valid).toBe(true);
  });

  it('prefilled from a record, parses back the same record', async () => {
    const r = await parseForm(await renderDocument(kind, typical, 'pdf', { fillable: true }));
    expect(r.source).toBe('fields');
    expect(r.record).toEqual(typical);
  });

  it('a blank form is refused as blank, never read as a record', async () => {
    await expect(parseForm(await renderDocument(kind, null, 'pdf', { fillable: true }))).rejects.toMatchObject({ code: 'blank', message: expect.stringMatching(/空白/) });
  });
});

describe('fillable form: refusals', () => {
  it('refuses a kind without a blank form, and any format but PDF', async () => {
    await expect(renderDocument(kindNamed('roster'), null, 'pdf', { fillable: true })).rejects.toThrow(/没有空白表/);
    await expect(renderDocument(kindNamed('application'), null, 'docx', { fillable: true })).rejects.toThrow(/只有 PDF/);
  });
});

describe('fillable form: any record typed in by pdf-lib parses back', () => {
  it('round trip over generated records', async () => {
    const blank = await renderDocument(kind, null, 'pdf', { fillable: true });
    await fc.assert(
      fc.asyncProperty(applicationRecord, async (rec) => {
        const doc = await PDFDocument.load(blank);
        const form = doc.getForm();
        for (const l of kind.schema.leaves()) {
          const v = getAt(rec, l.pointer);
          if (typeof v === 'string') form.getTextField(pointerToDotted(l.pointer)).setText(kind.schema.display(l.pointer, v));
        }
        for (const o of (rec.services as string[]) ?? []) form.getCheckBox(`services.${o}`).check();
        const r = await parseForm(await doc.save({ updateFieldAppearances: false }));
        expect(r.source).toBe('fields');
        expect(r.record).toEqual(rec);
      }),
      { numRuns: 25, seed: 7, endOnFailure: true },
    );
  });
});

describe('fillable form from the command line', () => {
  it('bangban render application [data.json] -o form.pdf --fillable: blank and prefilled forms that parse back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fillable-cli-'));
    expect((await cli('render', 'application', '-o', join(dir, 'blank.pdf'), '--fillable')).code).toBe(0);
    expect((await cli('render', 'application', 'fixtures/application/typical.json', '-o', join(dir, 'filled.pdf'), '--fillable')).code).toBe(0);
    expect((await parseForm(readFileSync(join(dir, 'filled.pdf')))).record).toEqual(typical);
    // an empty form is no record: refused as blank
    await expect(parseForm(readFileSync(join(dir, 'blank.pdf')))).rejects.toMatchObject({ code: 'blank' });
    // a character the form font lacks: exit 1, the field named, no file
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...typical, handler: { ...typical.handler, name: '王𠮷' } }));
    const r = await cli('render', 'application', bad, '-o', join(dir, 'bad.pdf'), '--fillable');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/经办人.*𠮷/);
    noStack(r.stderr);
    expect(existsSync(join(dir, 'bad.pdf'))).toBe(false);
  }, 60_000);
});
