import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getKind, renderPdf, UserError } from '../src/index.js';
import type { Block } from '../src/core/model.js';
import { templateBlocks } from '../src/text/index.js';
import { pdfPages, squash } from './helpers/pdf.js';

const notice = getKind('notice');
const authorization = getKind('authorization');
const dir = mkdtempSync(join(tmpdir(), 'bangban-tpl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Blocks of an ad-hoc template over a notice record. */
function blocks(template: string, record: unknown = sample()): Block[] {
  const file = join(dir, `t${n++}.hbs`);
  writeFileSync(file, template);
  return templateBlocks('unused', notice.values(record), notice, { file });
}
const sample = (over: Record<string, unknown> = {}) => ({
  docNumber: '宛环审告〔2026〕12号',
  applicant: { name: '南阳市宛城区绿源环保科技有限公司' },
  serviceItem: '建设项目环境影响报告表审批',
  receivedDate: '2026-03-02',
  materials: [
    { name: '报告表', copies: 2, howToObtain: '编制单位出具' },
    { name: '营业执照复印件', requirement: '加盖公章', howToObtain: '自行复印' },
  ],
  deadline: '2026-03-16',
  contact: { name: '李智斌', phone: '0377-61387687' },
  issuer: '南阳市生态环境局',
  issueDate: '2026-03-04',
  ...over,
});
const text = (b: Block) => ('spans' in b && b.spans ? b.spans.map((s) => s.text).join('') : '');

describe('template line markup', () => {
  it('turns each kind of line into its block', () => {
    const out = blocks(
      [
        '@docNumber {{docNumber}}',
        '# 补正材料',
        '# 一次性告知书',
        '@left {{applicant.name}}：',
        '第一行',
        '接着一行',
        '',
        '- 甲',
        '- 乙',
        '@gap',
        '@table materials | # 1 | name 4 | copies 1 份 | howToObtain 4',
        '@signature',
        '{{issuer}}',
        '{{issueDate}}',
        '',
        '@cut 沿此线剪开',
        '## 回执',
        '\\# 不是标题',
      ].join('\n'),
    );
    expect(out.map((b) => b.type)).toEqual(['docNumber', 'title', 'paragraph', 'paragraph', 'list', 'paragraph', 'table', 'signature', 'cutLine', 'paragraph', 'paragraph']);
    expect(text(out[1])).toBe('补正材料\n一次性告知书');
    expect(out[2]).toMatchObject({ align: 'left', spans: [{ text: '南阳市宛城区绿源环保科技有限公司', field: '/applicant/name' }, { text: '：' }] });
    expect(out[3]).toMatchObject({ indent: true, spans: [{ text: '第一行接着一行' }] });
    expect(out[4]).toMatchObject({ type: 'list', items: [[{ text: '甲' }], [{ text: '乙' }]] });
    expect(out[7]).toMatchObject({ type: 'signature', lines: [[{ text: '南阳市生态环境局', field: '/issuer' }], [{ text: '2026年3月4日', field: '/issueDate' }]] });
    expect(out[8]).toMatchObject({ type: 'cutLine', text: '沿此线剪开' });
    expect(out[9]).toMatchObject({ role: 'heading', align: 'center' });
    expect(text(out[10])).toBe('# 不是标题');
  });

  it('builds a list table: header from the schema titles (or given), one row per item, pointers on the values', () => {
    const [t] = blocks('@table materials | # 1 | name 4 | copies 1 份 | requirement 3');
    expect(t.type).toBe('table');
    if (t.type !== 'table') return;
    expect(t.widths).toEqual([1, 4, 1, 3]);
    expect(t.head![0].map((c) => c.spans![0].text)).toEqual(['序号', '材料名称', '份', '要求']);
    expect(t.each!.field).toBe('/materials');
    expect(t.each!.rows.map((r) => r.map((c) => c.spans![0].text))).toEqual([
      ['1', '报告表', '2', ''],
      ['2', '营业执照复印件', '', '加盖公章'],
    ]);
    expect(t.each!.rows[1][1].spans![0].field).toBe('/materials/1/name');
  });

  it('prints dates as 2026年3月2日 and {{#each}} with {{inc @index}}', () => {
    const out = blocks('收件{{receivedDate}}\n\n{{#each materials}}\n- {{inc @index}}. {{name}}\n{{/each}}');
    expect(text(out[0])).toBe('收件2026年3月2日');
    expect(out[1]).toMatchObject({ items: [[{ text: '1. ' }, { text: '报告表', field: '/materials/0/name' }], [{ text: '2. ' }, { text: '营业执照复印件' }]] });
  });

  it('uses a schema default when a value is absent (the standard 委托权限)', () => {
    const record = { principal: { name: '甲公司', creditCode: '91411300MA44ABCD5J', legalRepresentative: '张伟' }, trustee: { name: '刘芳', idNumber: '411302199001011236', phone: '13837712345' }, matter: '事项', period: { from: '2026-03-02', to: '2026-06-30' }, date: '2026-03-02' };
    const list = authorization.def.layout(authorization.values(record), authorization).find((b) => b.type === 'list');
    expect(list?.type === 'list' && list.items.map((i) => i.map((s) => s.text).join(''))).toContain('4. 无转委托权');
  });
});

describe('values are printed literally', () => {
  const nasty = '<b>甲&乙</b> "丙" {{docNumber}} {{#each materials}}x{{/each}}';
  it('keeps < > & " and {{ }} in a value as they are, never evaluated', () => {
    const out = blocks('@left {{applicant.name}}：\n{{serviceItem}}', sample({ applicant: { name: nasty }, serviceItem: '{{> partial}} &amp; {{{raw}}}' }));
    expect(out[0]).toMatchObject({ spans: [{ text: nasty, field: '/applicant/name' }, { text: '：' }] });
    expect(text(out[1])).toBe('{{> partial}} &amp; {{{raw}}}');
  });

  it('never lets a value start a block: line breaks and markup inside it stay in its paragraph', () => {
    const out = blocks('前文{{serviceItem}}后文', sample({ serviceItem: '事项\n\n# 假标题\n@cut 剪\n@table materials | name 1\n- 项' }));
    expect(out).toHaveLength(1);
    expect(out[0].type).toBe('paragraph');
    expect(text(out[0])).toBe('前文事项 # 假标题 @cut 剪 @table materials | name 1 - 项后文');
  });

  it('prints the template’s own < & " as written (no HTML escaping)', () => {
    expect(text(blocks('依据《法》第三十二条 & “规定” <附> "x"')[0])).toBe('依据《法》第三十二条 & “规定” <附> "x"');
  });

  it('reads nasty values back from the PDF literally', async () => {
    const record = sample({ applicant: { name: nasty }, serviceItem: '{{issuer}} <审批> & "核发"' });
    const pages = await pdfPages(await renderPdf(notice, record));
    const all = squash(pages.join(''));
    expect(all).toContain(squash(nasty));
    expect(all).toContain(squash('{{issuer}} <审批> & "核发"'));
    expect(all).not.toMatch(/[\u0000\uFFFD]/);
  });
});

describe('template mistakes are one-line user errors', () => {
  const fails = (template: string, pattern: RegExp) => {
    let err: unknown;
    try {
      blocks(template);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toContain('\n');
  };
  it('a misspelt field', () => fails('{{applicant.nmae}}', /模板 t\d+\.hbs 第 1 行：\{\{applicant\.nmae\}\} 中的“nmae”不是本文书的字段/));
  it('a syntax error', () => fails('{{#if docNumber}}没有结束', /模板 t\d+\.hbs 第 1 行的 \{\{#if …\}\} 没有结束标记 \{\{\/if\}\}/));
  it('an unknown directive', () => fails('@stamp 公章', /不认识的指令“@stamp”/));
  it('a table over a field that is not a list', () => fails('@table serviceItem | name 1', /不是列表字段/));
  it('a table column that is not a field of the list', () => fails('@table materials | colour 1', /列“colour”不是 materials 的字段/));
  it('a table column without a width', () => fails('@table materials | name', /应写作“字段 宽度 \[表头\]”/));
  it('a template that cannot be read', () => {
    expect(() => templateBlocks('x', notice.values(sample()), notice, { file: join(dir, 'missing.hbs') })).toThrow(/无法读取模板/);
  });
});
