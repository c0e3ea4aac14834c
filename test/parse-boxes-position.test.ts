import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { getKind } from '../src/kinds/index.js';
import { renderDocument } from '../src/render.js';
import { parseForm, type FieldBox, type ParseResult } from '../src/parse/index.js';
import { ocrImage } from '../src/ocr/page.js';
import { toolOrRequired } from './helpers/form-area.js';

/**
 * Every field says where on its page it was read (FieldInfo.box: fractions of the upright page,
 * origin top-left), so the desk can show the crop of a flagged field. Checked against what other
 * programs find there: poppler's text in the box (text PDFs), the widget's /Rect (fillable forms),
 * OCR of the crop of the page picture the reader straightened (scans and photos).
 */
const kind = getKind('application');
const typical = JSON.parse(readFileSync('fixtures/application/typical.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'bangban-boxes-'));
const havePoppler = toolOrRequired('pdftotext', ['-v']);
const valueAt = (r: ParseResult, p: string) => p.split('/').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], r.record);
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** poppler's text inside a field's box on its page (points, the page as pdftotext sees it). */
function textInBox(file: string, r: ParseResult, p: string): string {
  const f = r.fields[p];
  const page = r.pages!.find((pg) => pg.index === f.page - 1)!;
  const b = f.box!;
  const [x, y, w, h] = [b.x * page.width, b.y * page.height, b.w * page.width, b.h * page.height].map((n) => String(Math.round(n)));
  return execFileSync('pdftotext', ['-r', '72', '-f', String(f.page), '-l', String(f.page), '-x', x, '-y', y, '-W', w, '-H', h, file, '-'], { encoding: 'utf8' });
}

function expectInPage(b: FieldBox | undefined): asserts b is FieldBox {
  expect(b).toBeDefined();
  for (const v of [b!.x, b!.y, b!.w, b!.h]) expect(v).toBeGreaterThanOrEqual(0);
  expect(b!.w).toBeGreaterThan(0);
  expect(b!.h).toBeGreaterThan(0);
  expect(b!.x + b!.w).toBeLessThanOrEqual(1.0001);
  expect(b!.y + b!.h).toBeLessThanOrEqual(1.0001);
}

describe('parse: where each value was read (FieldInfo.box)', () => {
  it('text PDF (bangban’s own): every field has a box; the name’s cell is right of its label, in the upper half, and holds exactly the value’s text', async () => {
    const file = join(dir, 'typical.pdf');
    writeFileSync(file, await renderDocument(kind, typical, 'pdf'));
    const r = await parseForm(readFileSync(file));
    expect(r.source).toBe('text');
    expect(r.pages).toEqual([{ index: 0, width: 595.28, height: 841.89, rotation: 0 }]);
    for (const f of Object.values(r.fields)) expectInPage(f.box);
    const name = r.fields['/applicant/name'].box!;
    // the label column is on the left; the value cell starts after it
    expect(name.x).toBeGreaterThan(0.2);
    expect(name.y).toBeGreaterThan(0.1);
    expect(name.y + name.h).toBeLessThan(0.5);
    // the credit code's row is below the name's, the date's further down
    expect(r.fields['/applicant/creditCode'].box!.y).toBeGreaterThanOrEqual(name.y + name.h - 0.001);
    expect(r.fields['/applicationDate'].box!.y).toBeGreaterThan(r.fields['/applicant/creditCode'].box!.y);
    if (!havePoppler) return;
    for (const p of ['/applicant/name', '/applicant/address', '/applicant/legalRepresentative', '/applicant/creditCode', '/handler/name', '/handler/phone', '/serviceItem', '/guidanceItem', '/proxy/name']) {
      const text = squash(textInBox(file, r, p));
      expect(text, p).toContain(squash(String(valueAt(r, p))));
      // the box is the value's cell, not its row: no label in it
      expect(text, p).not.toMatch(/申请单位|统一社会信用代码|经办人|联系电话|法人或主要负责人|代办申请/);
    }
    expect(squash(textInBox(file, r, '/applicationDate'))).toBe('2026年3月2日');
    // the check-box list: its options
    const services = squash(textInBox(file, r, '/services'));
    for (const o of kind.schema.at('/services')!.items!.enum as string[]) expect(services).toContain(o);
  });

  it('running text (授权委托书): each value’s box holds its text', async () => {
    if (!havePoppler) return;
    const auth = getKind('authorization');
    const rec = JSON.parse(readFileSync('fixtures/authorization/typical.json', 'utf8'));
    const file = join(dir, 'authorization.pdf');
    writeFileSync(file, await renderDocument(auth, rec, 'pdf'));
    const r = await parseForm(readFileSync(file));
    expect(r.kind).toBe('authorization');
    for (const f of Object.values(r.fields)) expectInPage(f.box);
    const some = ['/principal/creditCode', '/trustee/idNumber', '/principal/phone', '/trustee/phone'].filter((p) => r.fields[p]);
    expect(some.length).toBeGreaterThanOrEqual(3);
    for (const p of some) {
      const text = squash(textInBox(file, r, p));
      expect(text, p).toContain(squash(String(valueAt(r, p))));
      // one line's value, not its line: the label before it is left out
      expect(text, p).not.toMatch(/代码：|号码：|电话：/);
    }
  });

  it('forms printed by other software: every field has a box that holds its text (poppler)', async () => {
    if (!havePoppler) return;
    const fdir = 'fixtures/foreign';
    const files = readdirSync(fdir).filter((f) => f.endsWith('.pdf') && !f.includes('rotated') && !f.includes('-filled-') && readdirSync(fdir).includes(f.replace(/\.pdf$/, '.expected.json')));
    expect(files.length).toBeGreaterThan(10);
    let checked = 0;
    for (const f of files) {
      const file = join(fdir, f);
      const r = await parseForm(readFileSync(file));
      for (const [p, info] of Object.entries(r.fields)) {
        expectInPage(info.box);
        const v = valueAt(r, p);
        // values the reader rewrote (dates, times, corrected codes) are not printed as they are kept
        if (typeof v !== 'string' || info.needsReview || /^\d{4}-\d{2}-\d{2}/.test(v)) continue;
        // a phone number is kept in one spelling (0377-67221234) whatever brackets or dashes it was written with
        const bare = (t: string) => (/^[\d-]+$/.test(v) ? squash(t).replace(/[-()]/g, '') : squash(t));
        expect(bare(textInBox(file, r, p)), `${f} ${p}`).toContain(bare(v));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  }, 240000);

  it('fillable form: the box is the widget’s /Rect; a check-box list’s box spans its options’ widgets', async () => {
    const bytes = await renderDocument(kind, typical, 'pdf', { fillable: true });
    const r = await parseForm(bytes);
    expect(r.source).toBe('fields');
    const doc = await PDFDocument.load(bytes);
    const page = doc.getPage(0);
    const [W, H] = [page.getWidth(), page.getHeight()];
    const frac = (rects: { x: number; y: number; width: number; height: number }[]) => {
      const x0 = Math.min(...rects.map((q) => q.x)),
        x1 = Math.max(...rects.map((q) => q.x + q.width)),
        y0 = Math.min(...rects.map((q) => q.y)),
        y1 = Math.max(...rects.map((q) => q.y + q.height));
      return { x: x0 / W, y: (H - y1) / H, w: (x1 - x0) / W, h: (y1 - y0) / H };
    };
    const fields = doc.getForm().getFields();
    let n = 0;
    for (const [p, info] of Object.entries(r.fields)) {
      const dotted = p.slice(1).replace(/\//g, '.');
      const own = fields.filter((f) => f.getName() === dotted || f.getName().startsWith(`${dotted}.`));
      expect(own.length, p).toBeGreaterThan(0);
      const want = frac(own.map((f) => f.acroField.getWidgets()[0].getRectangle()));
      for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(info.box![k] - want[k]), `${p} ${k}`).toBeLessThan(0.001);
      n++;
    }
    expect(n).toBe(12); // every field of typical.json
  });

  it('turned pages: boxes refer to the upright page (the same as the unturned original’s), and `rotation` turns the page as shown upright', async () => {
    const fdir = 'fixtures/foreign';
    const read = async (f: string) => parseForm(readFileSync(join(fdir, f)));
    const pairs: [string, string, number][] = [
      ['application-rotated-page90.pdf', 'application-cid-stsong.pdf', 270],
      ['application-rotated-content90.pdf', 'application-chromium-noto-brackets.pdf', 90],
      ['application-rotated-content180.pdf', 'application-chromium-noto-brackets.pdf', 180],
    ];
    for (const [turned, original, rotation] of pairs) {
      const [t, o] = [await read(turned), await read(original)];
      expect(t.pages![0].rotation, turned).toBe(rotation);
      expect(o.pages![0].rotation, original).toBe(0);
      expect(Object.keys(t.fields).sort()).toEqual(Object.keys(o.fields).sort());
      for (const p of Object.keys(o.fields)) for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(t.fields[p].box![k] - o.fields[p].box![k]), `${turned} ${p} ${k}`).toBeLessThan(0.002);
      if (!havePoppler) continue;
      // the page as poppler shows it, turned by `rotation` clockwise, is the original page; turned the other way it is not
      const render = (f: string) => execFileSync('pdftoppm', ['-r', '20', '-gray', '-png', '-f', '1', '-l', '1', join(fdir, f)]);
      const grey = async (pgm: Buffer, turn: number) => sharp(pgm).rotate(turn).resize(120, 170, { fit: 'fill' }).raw().toBuffer();
      const want = await grey(render(original), 0);
      const diff = (a: Buffer) => a.reduce((s, v, i) => s + Math.abs(v - want[i]), 0) / a.length;
      const right = diff(await grey(render(turned), rotation));
      const wrong = diff(await grey(render(turned), (rotation + 180) % 360));
      expect(right, turned).toBeLessThan(wrong / 2);
    }
  });

  for (const [scan, rotation] of [
    ['application-upside-down.jpg', 180],
    ['application-photo.jpg', 0],
  ] as const) {
    it(`scan ${scan}: the box of a value, cropped from the page picture the reader straightened, reads as the value`, async () => {
      const r = await parseForm(readFileSync(join('fixtures/scans', scan)), { pageImages: true });
      expect(r.source).toBe('ocr');
      const page = r.pages![0];
      expect(page.rotation).toBe(rotation);
      const picture = r.pageImages![0];
      const meta = await sharp(picture).metadata();
      expect([meta.width, meta.height]).toEqual([page.width, page.height]);
      for (const f of Object.values(r.fields)) expectInPage(f.box);
      for (const p of ['/applicant/name', '/applicant/creditCode', '/handler/phone', '/serviceItem']) {
        const b = r.fields[p].box!;
        // inside the cell's borders, on paper
        const inset = 4;
        const { data, info } = await sharp(picture)
          .extract({ left: Math.round(b.x * page.width) + inset, top: Math.round(b.y * page.height) + inset, width: Math.round(b.w * page.width) - 2 * inset, height: Math.round(b.h * page.height) - 2 * inset })
          .extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#ffffff' })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        const o = await ocrImage({ width: info.width, height: info.height, data: new Uint8Array(data), dpi: (page as { dpi?: number }).dpi }, 0, { rotation: 0, noDeskew: true });
        // in reading order: rows top down (a line's middle below the last one's bottom starts a row), each left to right
        const rows: (typeof o.page.lines)[] = [];
        for (const l of [...o.page.lines].sort((a, b) => a.box[1] + a.box[3] - b.box[1] - b.box[3])) {
          const row = rows[rows.length - 1];
          if (row && (l.box[1] + l.box[3]) / 2 < Math.max(...row.map((x) => x.box[3]))) row.push(l);
          else rows.push([l]);
        }
        const text = rows.map((row) => row.sort((a, b) => a.box[0] - b.box[0]).map((l) => l.text).join('')).join('');
        expect(squash(text), p).toContain(squash(String(valueAt(r, p))));
      }
    }, 120000);
  }

  it('scan without pageImages: no pictures in the result', async () => {
    const r = await parseForm(readFileSync('fixtures/scans/application-upside-down.jpg'));
    expect(r.pageImages).toBeUndefined();
    expect(r.pages![0].rotation).toBe(180);
    expectInPage(r.fields['/applicant/name'].box);
  }, 120000);
});
