import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getKind, renderPdf, validateRecord } from '../src/index.js';
import { chineseDate } from '../src/core/dates.js';
import { normalizeDocNumber } from '../src/kinds/notice/docNumber.js';
import { pdfPages, squash } from './helpers/pdf.js';

const kind = getKind('notice');
const load = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const HEADER = '序号材料名称份数要求补齐途径或方法';
/** Fixture → pages it takes (the receipt below the cut line is kept whole: the one-material notice tightens its pitch to keep it on page 1). */
const PAGES: Record<string, number> = { 'one-material.json': 1, 'six-materials.json': 2, 'thirty-materials.json': 4 };

/**
 * Table cells wrap, and extraction reads a row line by line across its cells, so a wrapped value
 * comes back interleaved with its neighbours: its first characters are contiguous, the rest in order.
 */
function readsBack(text: string, value: string): boolean {
  const v = squash(value);
  const head = v.slice(0, 4);
  for (let at = text.indexOf(head); at >= 0; at = text.indexOf(head, at + 1)) {
    let i = at;
    let ok = true;
    for (const ch of v) {
      i = text.indexOf(ch, i);
      if (i < 0 || i - at > v.length * 4) {
        ok = false;
        break;
      }
      i++;
    }
    if (ok) return true;
  }
  return false;
}

describe('补正材料一次性告知书 PDF', () => {
  for (const name of readdirSync('fixtures/notice')) {
    const record = load(join('fixtures/notice', name));
    it(`${name}: valid, ${PAGES[name]} pages, every value and fixed part readable`, async () => {
      expect(validateRecord(kind, record).valid).toBe(true);
      const pages = await pdfPages(await renderPdf(kind, record));
      expect(pages).toHaveLength(PAGES[name]);
      const all = squash(pages.join(''));
      expect(all).not.toMatch(/[\u0000\uFFFD]/);
      pages.forEach((p, i) => expect(squash(p)).toContain(`—${i + 1}—`));
      for (const fixed of ['补正材料一次性告知书', '《中华人民共和国行政许可法》第三十二条', HEADER, '逾期未补正的，视为放弃申请', '回执', '申请人（签字或盖章）', '签收日期']) expect(all).toContain(fixed);
      const values = [normalizeDocNumber(record.docNumber), `${record.applicant.name}：`, record.applicant.creditCode, record.serviceItem, chineseDate(record.receivedDate), chineseDate(record.deadline), record.contact.name, record.contact.phone, record.issuer, chineseDate(record.issueDate)];
      for (const v of values.filter(Boolean)) expect(all).toContain(squash(v));
      for (const [i, m] of record.materials.entries()) {
        for (const v of [m.name, m.requirement, m.howToObtain].filter(Boolean)) expect(readsBack(all, v), `材料 ${i + 1}: ${v}`).toBe(true);
        expect(all).toContain(String(i + 1));
      }
      // The issuer stands above the date, and the date is the last thing before the cut line's caption.
      expect(all).toContain(squash(`${record.issuer}${chineseDate(record.issueDate)}`));
    });
  }

  it('the 30-material notice repeats the table header at the top of pages 2 and 3 and numbers every row in order', async () => {
    const record = load('fixtures/notice/thirty-materials.json');
    const pages = (await pdfPages(await renderPdf(kind, record))).map(squash);
    expect(pages[1].startsWith(HEADER)).toBe(true);
    expect(pages[2].startsWith(HEADER)).toBe(true);
    // Each row reads back as its number followed by its material, in order.
    const all = pages.join('');
    let at = 0;
    for (const [i, m] of record.materials.entries()) {
      const next = all.indexOf(squash(`${i + 1}${m.name}`), at);
      expect(next, `第 ${i + 1} 项`).toBeGreaterThan(at - 1);
      at = next;
    }
  });

  it('gives byte-identical PDFs for the same data (shaped words are reused across documents)', async () => {
    const record = load('fixtures/notice/six-materials.json');
    const a = await renderPdf(kind, record);
    const b = await renderPdf(kind, record);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('prints the 发文字号 normalised: 〔year〕, no 第, no leading zeros', async () => {
    const record = load('fixtures/notice/six-materials.json');
    expect(record.docNumber).toBe('宛环审告[2026]第037号');
    const text = squash((await pdfPages(await renderPdf(kind, record)))[0]);
    expect(text.startsWith('宛环审告〔2026〕37号')).toBe(true);
  });
});

describe('发文字号 normalisation', () => {
  it.each([
    ['宛环审告〔2026〕12号', '宛环审告〔2026〕12号'],
    ['宛环审告[2026]12号', '宛环审告〔2026〕12号'],
    ['宛环审告【2026】第012号', '宛环审告〔2026〕12号'],
    ['宛环审告（2026）12号', '宛环审告〔2026〕12号'],
    ['宛环审告 (2026) 12 号', '宛环审告〔2026〕12号'],
  ])('%s → %s', (input, out) => expect(normalizeDocNumber(input)).toBe(out));
});

describe('cross-field rules', () => {
  const expected: Record<string, [string, RegExp]> = {
    'no-materials.json': ['/materials', /至少应列出一项/],
    'deadline-before-received.json': ['/deadline', /应晚于收件日期（2026年3月2日）/],
    'issue-before-received.json': ['/issueDate', /不能早于收件日期/],
    'doc-number-shape.json': ['/docNumber', /〔年份〕/],
    'copies-zero.json': ['/materials/0/copies', /至少为 1 份/],
  };
  it('has one invalid fixture per rule', () => {
    expect(readdirSync('fixtures/invalid/notice').sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [file, [path, message]] of Object.entries(expected)) {
    it(`${file}: refused at ${path}`, () => {
      const r = validateRecord(kind, load(join('fixtures/invalid/notice', file)));
      expect(r.valid).toBe(false);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].path).toBe(path);
      expect(r.errors[0].message).toMatch(message);
      expect(r.errors[0].label).toBe(kind.label(path));
    });
  }
  it('refuses to render an invalid notice, listing the problem', async () => {
    await expect(renderPdf(kind, load('fixtures/invalid/notice/deadline-before-received.json'))).rejects.toThrow(/补正期限 \(\/deadline\)/);
  });
});

describe('GB/T 9704 page (official style)', () => {
  it('sets body text on a grid of 22 lines × 28 characters', async () => {
    const { modelToPdf } = await import('../src/pdf/render.js');
    const text = '环'.repeat(28 * 30);
    const pages = await pdfPages(await modelToPdf(kind, { page: 'official', blocks: [{ type: 'paragraph', spans: [{ text }] }] }));
    expect(pages).toHaveLength(2);
    const lines = pages[0].split('\n').filter((l) => l.includes('环')).map((l) => l.trim());
    expect(lines).toHaveLength(22);
    for (const l of lines) expect([...l]).toHaveLength(28);
    expect(squash(pages[0])).toContain('—1—');
    expect(squash(pages[1])).toContain('—2—');
  });

  // The requirement grows a line at a time, so the receipt first fits by a tighter pitch, then needs
  // more than the 16 % allowed (it moves whole to page 2), then is pushed there by body text.
  it('keeps the receipt whole (on page 1 by a tighter pitch when it can) and never starts a page with the signature', async () => {
    const base = load('fixtures/notice/one-material.json');
    const seen = new Set<string>();
    for (let extra = 0; extra <= 60; extra += 6) {
      const record = { ...base, materials: [{ ...base.materials[0], requirement: base.materials[0].requirement + '并'.repeat(extra) }] };
      const pages = (await pdfPages(await renderPdf(kind, record))).map(squash);
      const withReceipt = pages.filter((p) => p.includes('回执'));
      expect(withReceipt, `extra ${extra}`).toHaveLength(1);
      expect(withReceipt[0], `extra ${extra}`).toContain('签收日期');
      const signed = pages.find((p) => p.includes('南阳市生态环境局2026年3月4日'))!;
      expect(signed.indexOf('联系电话'), `extra ${extra}`).toBeGreaterThanOrEqual(0);
      expect(signed.indexOf('联系电话'), `extra ${extra}`).toBeLessThan(signed.indexOf('南阳市生态环境局2026年3月4日'));
      seen.add(pages.length === 1 ? 'pitch' : pages[1].indexOf('回执') < 20 ? 'receipt alone on page 2' : 'signature on page 2');
    }
    expect([...seen].sort()).toEqual(['pitch', 'receipt alone on page 2', 'signature on page 2']);
  });
});
