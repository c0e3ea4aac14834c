import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { getKind, renderPdf } from '../src/index.js';
import { pdfPages, squash } from './helpers/pdf.js';

const kind = getKind('roster');
const source = JSON.parse(readFileSync('fixtures/roster/source.json', 'utf8'));

describe('roster PDF (附件1)', () => {
  it('reproduces the source roster: 5 departments, 8 people, phone and address', async () => {
    expect(source.entries).toHaveLength(5);
    expect(source.entries.flatMap((e: { members: string[] }) => e.members)).toHaveLength(8);
    const pages = await pdfPages(await renderPdf(kind, source));
    expect(pages).toHaveLength(1);
    const text = squash(pages[0]);
    expect(text).not.toMatch(/[\u0000\uFFFD]/);
    for (const s of ['附件1', '南阳市生态环境局政务服务事项', '“全程辅导、帮办代办”人员名单', '序号科室人员', '预约电话61387687', '邮寄地址南阳市行政审批服务中心413室生态环境局窗口']) expect(text).toContain(s);
    source.entries.forEach((e: { department: string; members: string[] }, i: number) => expect(text).toContain(squash(`${i + 1}${e.department}${e.members.join('')}`)));
  });

  it('spaces two-character names to the width of three (王 玉)', async () => {
    const pages = await pdfPages(await renderPdf(kind, source));
    expect(pages[0]).toMatch(/王[\s\u3000]+玉/);
  });

  it('flows a long roster onto further pages, repeating the header row', async () => {
    const entries = Array.from({ length: 120 }, (_, i) => ({ department: `第${i + 1}科`, members: ['张三', '李四五'] }));
    const pages = await pdfPages(await renderPdf(kind, { ...source, entries }));
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(squash(p)).toContain('序号科室人员');
    const all = squash(pages.join(''));
    expect(all).toContain('120第120科');
    expect(squash(pages[pages.length - 1])).toContain('邮寄地址');
  });
});
