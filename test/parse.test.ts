import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PDFDocument, PDFName, PDFHexString, PDFString, StandardFonts } from 'pdf-lib';
import { getKind, renderPdf, validateRecord } from '../src/index.js';
import { parseForm, ParseFailure } from '../src/parse/index.js';
import { personName, normaliseValue } from '../src/parse/normalize.js';
import { parseDate, parseDateTime } from '../src/core/dates.js';
import { ticked, splitItems } from '../src/parse/read.js';
import { getKind as kindNamed } from '../src/kinds/index.js';

/** The 代办内容 options, from the application schema. */
const SERVICE_OPTIONS = kindNamed('application').options('/services');
import { applicationRecord, authorizationRecord } from './helpers/parse-records.js';

const kind = getKind('application');
const dir = 'fixtures/application';
const fixtures = readdirSync(dir).map((f) => ({ name: f, record: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));

async function failure(bytes: Uint8Array): Promise<ParseFailure> {
  try {
    await parseForm(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseFailure);
    return e as ParseFailure;
  }
  throw new Error('parsed');
}

describe('parse: bangban PDFs read back exactly', () => {
  for (const { name, record } of fixtures) {
    it(`${name}`, async () => {
      const r = await parseForm(await renderPdf(kind, record));
      expect(r.kind).toBe('application');
      expect(r.source).toBe('text');
      expect(r.record).toEqual(record);
      expect(r.valid).toBe(true);
      for (const [p, f] of Object.entries(r.fields)) {
        expect(f.page, p).toBe(1);
        expect(f.confidence, p).toBeGreaterThan(0.8);
      }
    });
  }
});

describe('parse: authorization letters (running text, optional lines, a list) read back exactly', () => {
  const auth = getKind('authorization');
  for (const f of readdirSync('fixtures/authorization')) {
    it(f, async () => {
      const want = JSON.parse(readFileSync(join('fixtures/authorization', f), 'utf8'));
      const r = await parseForm(await renderPdf(auth, want));
      expect(r.kind).toBe('authorization');
      expect(r.record).toEqual(want);
      expect(r.valid).toBe(true);
    });
  }
});

describe('parse: tables with a row per list item (notice materials over pages, roster names)', () => {
  for (const k of ['notice', 'roster']) {
    for (const f of readdirSync(`fixtures/${k}`)) {
      it(`${k}/${f}`, async () => {
        const want = JSON.parse(readFileSync(join('fixtures', k, f), 'utf8'));
        const r = await parseForm(await renderPdf(getKind(k), want));
        expect(r.kind).toBe(k);
        expect(r.valid).toBe(true);
        // a notice prints its document number in the canonical form (〔2026〕37号), so compare the rest
        const { docNumber: _a, ...got } = r.record;
        const { docNumber: _b, ...rest } = want;
        expect(got).toEqual(rest);
      });
    }
  }
});

describe('parse: round trip over generated records', () => {
  it('render then parse gives the same record (long values, optional fields absent, any subset of 代办内容)', async () => {
    await fc.assert(
      fc.asyncProperty(applicationRecord, async (rec) => {
        expect(validateRecord(kind, rec).errors).toEqual([]);
        const r = await parseForm(await renderPdf(kind, rec));
        expect(r.record).toEqual(rec);
        expect(r.valid).toBe(true);
      }),
      { numRuns: 16, seed: 20260302, endOnFailure: true },
    );
  });
});

describe('parse: authorization letters over generated records', () => {
  it('render then parse gives the same record (optional lines absent, any number of powers, long values)', async () => {
    const auth = getKind('authorization');
    await fc.assert(
      fc.asyncProperty(authorizationRecord, async (rec) => {
        expect(validateRecord(auth, rec).errors).toEqual([]);
        const r = await parseForm(await renderPdf(auth, rec));
        expect(r.record).toEqual(rec);
      }),
      { numRuns: 12, seed: 11, endOnFailure: true },
    );
  });
});

describe('parse: normalising values', () => {
  it('dates and times in the forms people write them', () => {
    for (const s of ['2026年3月2日', '2026.03.02', '2026-03-02', '2026/3/2', '2026 年 3 月 2 日']) expect(parseDate(s)).toBe('2026-03-02');
    for (const s of ['2026年3月2日 14:40', '2026-03-02 14时40分', '2026-03-02T14:40', '2026.3.2 14：40']) expect(parseDateTime(s)).toBe('2026-03-02T14:40');
  });
  it('ticked boxes however they print: √, ☑/☐, ■/□, [x], Word symbol fonts', () => {
    const o = [...SERVICE_OPTIONS];
    expect(ticked('√ 大厅综合窗口受理  大厅综合窗口办结领证 上门送达办理结果 邮寄送达办理结果 √ 事前辅导', o)).toEqual(['大厅综合窗口受理', '事前辅导']);
    expect(ticked('☐大厅综合窗口受理 ☑大厅综合窗口办结领证 ☐上门送达办理\n结果 ☑邮寄送达办理结果 ☐事前辅导', o)).toEqual(['大厅综合窗口办结领证', '邮寄送达办理结果']);
    expect(ticked('■ 大厅综合窗口受理 □ 大厅综合窗口办结领证 □ 上门送达办理结果 □ 邮寄送达办理结果 ■ 事前辅导', o)).toEqual(['大厅综合窗口受理', '事前辅导']);
    expect(ticked('[x]大厅综合窗口受理 [ ]大厅综合窗口办结领证 [ ]上门送达办理结果 [ ]邮寄送达办理结果 [ ]事前辅导', o)).toEqual(['大厅综合窗口受理']);
    expect(ticked('\uF0FE大厅综合窗口受理 \uF0A8大厅综合窗口办结领证 \uF0A8上门送达办理结果 \uF0A8邮寄送达办理结果 \uF0A8事前辅导', o)).toEqual(['大厅综合窗口受理']);
  });
  it('list items printed one per line, numbered or bulleted, wrapped lines joined', () => {
    expect(splitItems('1. 代为提交申请材料\n2. 代为参加专家评审会、现场\n勘察\n3、无转委托权')).toEqual(['代为提交申请材料', '代为参加专家评审会、现场勘察', '无转委托权']);
    expect(splitItems('（1）甲\n（2）乙')).toEqual(['甲', '乙']);
  });
  it('names lose alignment spaces, codes and phones fold full-width digits', () => {
    expect(personName('王　玉')).toBe('王玉');
    expect(personName('王 玉')).toBe('王玉');
    expect(personName('John Smith')).toBe('John Smith');
    expect(normaliseValue({ format: 'phone' }, '１３８３７７１２３４５').value).toBe('13837712345');
    expect(normaliseValue({ format: 'phone' }, '138 3771 2345').value).toBe('13837712345');
    expect(normaliseValue({ format: 'credit-code' }, '９１４１１３００ＭＡ４４ＡＢＣＤ５Ｊ').value).toBe('91411300MA44ABCD5J');
    expect(normaliseValue({ format: 'date' }, '２０２６年３月２日').value).toBe('2026-03-02');
    const bad = normaliseValue({ format: 'date' }, '2026年13月2日');
    expect(bad.value).toBe('2026-13-02');
    expect(bad.ok).toBe(false);
  });
});

describe('parse: bad input ends cleanly', () => {
  it('not a PDF', async () => {
    expect((await failure(new TextEncoder().encode('hello, this is not a PDF'))).code).toBe('not-pdf');
    expect((await failure(new Uint8Array())).code).toBe('not-pdf');
  });
  it('a truncated PDF', async () => {
    const bytes = await renderPdf(kind, fixtures[0].record);
    const f = await failure(bytes.slice(0, Math.floor(bytes.length / 3)));
    expect(['truncated', 'unreadable', 'not-a-form', 'no-pages']).toContain(f.code);
    expect(f.message).not.toMatch(/\n/);
  });
  it('a password-protected PDF', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('secret');
    const enc = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44, O: PDFHexString.of('11'.repeat(32)), U: PDFHexString.of('22'.repeat(32)) });
    doc.context.trailerInfo.Encrypt = doc.context.register(enc);
    doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
    const f = await failure(await doc.save({ useObjectStreams: false }));
    expect(f.code).toBe('encrypted');
  });
  it('a PDF without pages', async () => {
    const doc = await PDFDocument.create();
    const f = await failure(await doc.save({ addDefaultPage: false }));
    expect(['no-pages', 'unreadable']).toContain(f.code);
  });
  it('a 300-page PDF of something else: only the first pages are read, quickly', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < 300; i++) doc.addPage().drawText(`Annual report, page ${i + 1}`, { x: 50, y: 700, font });
    const t0 = Date.now();
    const f = await failure(await doc.save());
    expect(f.code).toBe('not-a-form');
    expect(Date.now() - t0).toBeLessThan(10000);
  });
  it('a read that takes too long ends with a timeout, not a hang', async () => {
    const bytes = await renderPdf(kind, fixtures[0].record);
    const e = await parseForm(bytes, { limits: { timeoutMs: 1 } }).catch((x) => x);
    expect(e).toBeInstanceOf(ParseFailure);
    expect(e.code).toBe('timeout');
  });
  it('a file over the size limit is refused before reading', async () => {
    const e = await parseForm(new Uint8Array(2048).fill(32), { limits: { maxBytes: 1024 } }).catch((x) => x);
    expect(e.code).toBe('too-large');
  });
  it('a PDF of some other document', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Invoice 2026-001');
    doc.catalog.set(PDFName.of('Lang'), PDFHexString.fromText('en'));
    expect((await failure(await doc.save())).code).toBe('not-a-form');
  });
});

describe('parse: predefined Chinese CMaps', () => {
  it('decodes text in a non-embedded 宋体 with UniGB-UCS2-H (as Word writes it)', async () => {
    const typical = fixtures.find((f) => f.name === 'typical.json')!.record;
    // Re-typeset bangban's own page: same lines and text positions, text in SimSun through the CMap
    const { readPdf } = await import('../src/parse/pdf.js');
    const src = (await readPdf(await renderPdf(kind, typical))).pages[0];
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    const ctx = doc.context;
    const descriptor = ctx.register(ctx.obj({ Type: 'FontDescriptor', FontName: 'SimSun', Flags: 6, FontBBox: [0, -141, 1000, 859], ItalicAngle: 0, Ascent: 859, Descent: -141, CapHeight: 859, StemV: 80 }));
    const cid = ctx.register(ctx.obj({ Type: 'Font', Subtype: 'CIDFontType2', BaseFont: 'SimSun', CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('GB1'), Supplement: 2 }, FontDescriptor: descriptor, DW: 1000, W: [1, 95, 500] }));
    const font = ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: 'SimSun', Encoding: 'UniGB-UCS2-H', DescendantFonts: [cid] }));
    page.node.setFontDictionary(PDFName.of('F1'), font);
    const hex = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('');
    let content = '0.8 w\n';
    for (const s of [...src.rules.h, ...src.rules.v]) content += `${s.x1.toFixed(2)} ${s.y1.toFixed(2)} m ${s.x2.toFixed(2)} ${s.y2.toFixed(2)} l S\n`;
    for (const it of src.items) if (it.str.trim()) content += `BT /F1 ${it.size.toFixed(2)} Tf ${it.x.toFixed(2)} ${it.y.toFixed(2)} Td <${hex(it.str)}> Tj ET\n`;
    page.node.set(PDFName.of('Contents'), ctx.register(ctx.stream(content)));
    const bytes = await doc.save();
    const r = await parseForm(bytes);
    expect(r.record).toEqual(typical);
  });
});
