import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getKind, renderPdf, validateRecord } from '../src/index.js';
import { LEGAL_CLAUSES } from '../src/kinds/application/index.js';
import { chineseDate, chineseDateTime } from '../src/core/dates.js';
import { pdfPages, squash } from './helpers/pdf.js';

const kind = getKind('application');
const SERVICE_OPTIONS = kind.options('/services');
const dir = 'fixtures/application';
const fixtures = readdirSync(dir).map((f) => ({ name: f, record: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));

const LABELS = ['附件2', '申请单位基本情况', '申请单位名称(盖章)', '(此处加盖单位公章)', '申请单位地址', '法人或主要负责人', '申请单位统一社会信用代码', '经办人', '(本人手签)', '经办人联系电话', '申请办理政务服务事项名称', '全程辅导事项名称(选填)', '代办内容', '申请日期', '以下内容由行政审批工作人员(帮办代办人员)填写', '代办人', '(代办人手签)', '代办申请接收时间', '法律责任', ...SERVICE_OPTIONS, ...LEGAL_CLAUSES];

describe('application form PDF (附件2)', () => {
  it('offers the five 代办内容 options spelled exactly as on the source form', () => {
    expect(SERVICE_OPTIONS).toEqual(['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导']);
  });

  it('has at least four fixtures covering every 代办内容 option, with and without 全程辅导事项, landline and mobile', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
    const used = new Set(fixtures.flatMap((f) => f.record.services));
    for (const o of SERVICE_OPTIONS) expect(used).toContain(o);
    expect(fixtures.some((f) => f.record.guidanceItem)).toBe(true);
    expect(fixtures.some((f) => !f.record.guidanceItem)).toBe(true);
    expect(fixtures.some((f) => /^0\d{2,3}-/.test(f.record.handler.phone))).toBe(true);
    expect(fixtures.some((f) => /^1\d{10}$/.test(f.record.handler.phone))).toBe(true);
  });

  for (const { name, record } of fixtures) {
    it(`${name}: one page, every label and value readable, ticks where chosen`, async () => {
      expect(validateRecord(kind, record).valid).toBe(true);
      const pages = await pdfPages(await renderPdf(kind, record));
      expect(pages).toHaveLength(1);
      const text = squash(pages[0]);
      expect(text).not.toMatch(/[\u0000\uFFFD]/);
      for (const label of LABELS) expect(text).toContain(squash(label));
      const values = [record.applicant.name, record.applicant.address, record.applicant.legalRepresentative, record.applicant.creditCode, record.handler.name, record.handler.phone, record.serviceItem, record.guidanceItem, chineseDate(record.applicationDate), record.proxy?.name, record.proxy && chineseDateTime(record.proxy.receivedAt)];
      for (const v of values.filter(Boolean)) expect(text).toContain(squash(v));
      for (const o of SERVICE_OPTIONS) expect(text.includes(`√${o}`)).toBe(record.services.includes(o));
    });
  }

  it('prints the blank form with no data, with every label and no ticks', async () => {
    const pages = await pdfPages(await renderPdf(kind, null));
    expect(pages).toHaveLength(1);
    const text = squash(pages[0]);
    for (const label of LABELS) expect(text).toContain(squash(label));
    expect(text).not.toContain('√');
  });

  it('renders byte-identical PDFs for the same data', async () => {
    const a = await renderPdf(kind, fixtures[0].record);
    const b = await renderPdf(kind, structuredClone(fixtures[0].record));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses a character that no font has, naming the field and the character', async () => {
    const record = { ...fixtures[0].record, applicant: { ...fixtures[0].record.applicant, name: '𠮷野家餐饮有限公司' } };
    await expect(renderPdf(kind, record)).rejects.toThrow(/申请单位名称 \(\/applicant\/name\).*𠮷/);
  });
});
