import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { DOMParser } from '@xmldom/xmldom';
import mammoth from 'mammoth';
import { allKinds, getKind } from '../src/kinds/index.js';
import { Kind } from '../src/core/kind.js';
import { KindSchema } from '../src/core/schema.js';
import { UserError, ValidationError } from '../src/core/errors.js';
import { documentModel } from '../src/pdf/index.js';
import { spansOf } from '../src/docx/view.js';
import { fixturesDir } from '../src/core/paths.js';
import { renderDocx } from '../src/docx/render.js';
import { templateFiles, templatePath } from '../src/docx/template.js';
import { defaultFonts } from '../src/pdf/fonts.js';
import { renderDocument } from '../src/render.js';

const tmp = mkdtempSync(join(tmpdir(), 'bangban-docx-'));
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function fixture(kind: Kind): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixturesDir, kind.def.demoFixture), 'utf8'));
}

/** Parse XML strictly: any warning or error fails. */
function parseXml(xml: string): Document {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
  expect(problems).toEqual([]);
  return doc as unknown as Document;
}

function documentXml(bytes: Uint8Array): string {
  return new PizZip(bytes).file('word/document.xml')!.asText();
}

/** The text of every w:t, in order, with paragraphs joined by newlines. */
function wordText(bytes: Uint8Array): string {
  const doc = parseXml(documentXml(bytes));
  const paras = Array.from(doc.getElementsByTagNameNS(W, 'p'));
  return paras.map((p) => Array.from(p.getElementsByTagNameNS(W, 't')).map((t) => t.textContent).join('')).join('\n');
}

/** Every value the PDF prints for a record (the same document model), as printed. */
function printed(kind: Kind, record: unknown): string[] {
  return spansOf(documentModel(kind, record).blocks)
    .filter((s) => s.field && s.text)
    .map((s) => s.text);
}

async function rawText(bytes: Uint8Array): Promise<string> {
  return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
}

function editedTemplate(kind: Kind, edit: (xml: string) => string, name: string): string {
  const zip = new PizZip(readFileSync(templatePath(kind)));
  zip.file('word/document.xml', edit(zip.file('word/document.xml')!.asText()));
  const file = join(tmp, name);
  writeFileSync(file, zip.generate({ type: 'nodebuffer' }));
  return file;
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

describe('DOCX output for every kind', () => {
  const outputs = new Map<string, Uint8Array>();
  beforeAll(async () => {
    for (const kind of allKinds()) outputs.set(kind.name, await renderDocx(kind, fixture(kind)));
  });

  it.each(allKinds().map((k) => k.name))('%s: every XML part is well-formed and every value is printed', (name) => {
    const kind = getKind(name);
    const bytes = outputs.get(name)!;
    const zip = new PizZip(bytes);
    for (const f of Object.keys(zip.files).filter((f) => /\.(xml|rels)$/.test(f))) parseXml(zip.file(f)!.asText());
    const text = wordText(bytes);
    for (const value of printed(kind, fixture(kind))) expect(text).toContain(value.replace(/\s*\n\s*/g, ''));
    expect(text).not.toMatch(/[{}]/); // no tag left behind
  });

  it.each(allKinds().map((k) => k.name))('%s: mammoth reads the title and the values', async (name) => {
    const kind = getKind(name);
    const text = (await rawText(outputs.get(name)!)).replace(/\s+/g, '');
    for (const value of printed(kind, fixture(kind))) expect(text).toContain(value.replace(/\s+/g, ''));
  });

  it('the committed templates are the ones the layouts build (run `npm run templates` after a wording change)', () => {
    for (const kind of allKinds()) {
      expect(existsSync(templatePath(kind)), kind.name).toBe(true);
      const committed = documentXml(readFileSync(templatePath(kind)));
      expect(committed, kind.name).toBe(templateFiles(kind)['word/document.xml']);
    }
  });

  it('application: same labels as the PDF, merged cells, ticked and empty boxes in a symbol font', () => {
    const kind = getKind('application');
    const bytes = outputs.get('application')!;
    const xml = documentXml(bytes);
    const text = wordText(bytes);
    for (const label of ['申请单位基本情况', '申请单位名称', '(盖章)', '统一社会信用代码', '经办人联系电话', '以下内容由行政审批工作人员(帮办代办人员)填写', '法律责任']) expect(text).toContain(label);
    expect(text).toContain('2026年3月2日');
    expect(text).toContain('张\u3000伟');
    expect(xml).toContain('<w:vMerge w:val="restart"/>');
    expect(xml).toContain('<w:vMerge/>');
    expect(xml).toContain('<w:gridSpan w:val="5"/>');
    const record = fixture(kind) as { services: string[] };
    for (const option of ['大厅综合窗口受理', '大厅综合窗口办结领证', '上门送达办理结果', '邮寄送达办理结果', '事前辅导']) {
      expect(text).toContain(`${record.services.includes(option) ? '☑' : '☐'} ${option}`);
    }
    expect(xml).toMatch(/<w:rFonts w:ascii="Segoe UI Symbol"[^>]*\/>(?:(?!<\/w:r>).)*☑/);
  });

  it('fonts are named per role with east-Asian attributes, sizes in 号', () => {
    const zip = new PizZip(outputs.get('notice')!);
    const styles = zip.file('word/styles.xml')!.asText();
    expect(styles).toContain('w:eastAsia="仿宋_GB2312"');
    expect(styles).toContain('w:eastAsia="方正小标宋简体"');
    expect(styles).toContain('w:eastAsia="黑体"');
    expect(styles).toMatch(/w:styleId="BangbanTitle">(?:(?!<\/w:style>).)*<w:sz w:val="44"\/>/); // 2号
    expect(styles).toMatch(/<w:rPrDefault>(?:(?!<\/w:rPrDefault>).)*<w:sz w:val="32"\/>/); // 3号 body
    const xml = zip.file('word/document.xml')!.asText();
    expect(xml).toContain('<w:pStyle w:val="BangbanTitle"/>');
    // GB/T 9704 margins: top 37, left 28, bottom 35, right 26 mm
    expect(xml).toContain('<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
    expect(zip.file('word/footer1.xml')!.asText()).toContain('PAGE');
  });

  it('--fonts names replace the role fonts', async () => {
    const fonts = defaultFonts();
    fonts.body.name = '宋体';
    const styles = new PizZip(await renderDocx(getKind('application'), fixture(getKind('application')), { fonts })).file('word/styles.xml')!.asText();
    expect(styles).toContain('w:eastAsia="宋体"');
    expect(styles).not.toContain('仿宋_GB2312');
  });

  it('notice: the 发文字号 printed as the PDF prints it (normalised by the layout)', () => {
    expect(wordText(outputs.get('notice')!)).toContain('宛环审告〔2026〕37号');
  });

  it('roster: one row per department under a repeating header, members in one cell', () => {
    const bytes = outputs.get('roster')!;
    const xml = documentXml(bytes);
    expect(xml).toContain('<w:tblHeader/>');
    const doc = parseXml(xml);
    const rows = Array.from(doc.getElementsByTagNameNS(W, 'tr'));
    expect(rows).toHaveLength(1 + 5 + 2);
    const cells = (r: Element) => Array.from(r.getElementsByTagNameNS(W, 'tc')).map((c) => c.textContent);
    // The layout's separator stands between members, not after the last ({^$last}…{/$last}).
    expect(cells(rows[1])).toEqual(['1', '行政审批服务科', '李锦锦  李智斌  李广佳  丁选香']);
    expect(cells(rows[5])).toEqual(['5', '水科', '王\u3000玉']);
  });

  it('notice: numbered material rows, the cut line and the 回执', async () => {
    const text = wordText(outputs.get('notice')!);
    expect(text).toContain('回\u3000执');
    expect(text).toContain('沿此线剪开');
    expect(documentXml(outputs.get('notice')!)).toContain('w:val="dashed"');
    const kind = getKind('notice');
    const record = fixture(kind) as { materials: { name: string }[] };
    const doc = parseXml(documentXml(outputs.get('notice')!));
    const rows = Array.from(doc.getElementsByTagNameNS(W, 'tr')).slice(1);
    expect(rows).toHaveLength(record.materials.length);
    rows.forEach((r, i) => expect(r.getElementsByTagNameNS(W, 'tc')[0].textContent).toBe(String(i + 1)));
  });

  it('authorization: optional wording appears only with its field', async () => {
    const kind = getKind('authorization');
    const record = fixture(kind) as { principal: Record<string, string>; trustee: Record<string, string> };
    const with_ = wordText(await renderDocx(kind, { ...record, principal: { ...record.principal, phone: '0377-61234567' }, trustee: { ...record.trustee, position: '办公室主任' } }));
    expect(with_).toContain('单位联系电话'.slice(2) + '：0377-61234567');
    expect(with_).toContain('（办公室主任）');
    const { phone: _p, address: _a, ...principal } = record.principal;
    const { position: _q, ...trustee } = record.trustee;
    const without = wordText(await renderDocx(kind, { ...record, principal, trustee }));
    expect(without).not.toContain('单位地址');
    expect(without).toContain('受托人：刘芳\n');
    expect(without).not.toContain('（）');
  });
});

describe('the same wording as the PDF, for every fixture', () => {
  const cases = allKinds().flatMap((kind) => {
    const dir = join(fixturesDir, kind.name);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [kind.name, f] as const);
  });
  it.each(cases)('%s %s: every line of the PDF model is a paragraph of the DOCX', async (name, file) => {
    const kind = getKind(name);
    const record = JSON.parse(readFileSync(join(fixturesDir, name, file), 'utf8'));
    const paragraphs = new Set(wordText(await renderDocx(kind, record)).split('\n'));
    const lines = documentModel(kind, record).blocks.flatMap((b) =>
      b.type === 'paragraph' || b.type === 'title' || b.type === 'docNumber' ? [b.spans] : b.type === 'list' ? b.items : b.type === 'signature' ? b.lines : [],
    );
    for (const spans of lines) expect(paragraphs).toContain(spans.map((s) => s.text).join('').replace(/\n/g, ''));
  });
});

describe('forms stay on one page', () => {
  const tableSize = (bytes: Uint8Array) => Number(/w:styleId="BangbanTable"[\s\S]*?<w:sz w:val="(\d+)"/.exec(new PizZip(bytes).file('word/styles.xml')!.asText())![1]) / 2;
  it('long values make the table text smaller, as in the PDF; ordinary ones keep 小四', async () => {
    const kind = getKind('application');
    const load = (f: string) => JSON.parse(readFileSync(join(fixturesDir, 'application', f), 'utf8'));
    expect(tableSize(await renderDocx(kind, load('typical.json')))).toBe(12);
    const long = await renderDocx(kind, load('long-values.json'));
    expect(tableSize(long)).toBeLessThan(12);
    const heights = (b: Uint8Array) => [...documentXml(b).matchAll(/w:trHeight w:val="(\d+)"/g)].map((m) => Number(m[1]));
    const typical = heights(await renderDocx(kind, load('typical.json')));
    heights(long).forEach((h, i) => expect(h).toBeLessThan(typical[i]));
  });
});

describe('blank forms', () => {
  it('application: labels and empty boxes, no tags', async () => {
    const bytes = await renderDocument(getKind('application'), null, 'docx');
    const text = wordText(bytes);
    expect(text).toContain('申请单位名称');
    expect(text).toContain('☐ 事前辅导');
    expect(text).not.toContain('☑');
    expect(text).not.toMatch(/[{}]/);
  });

  it('a kind without a blank form asks for data', async () => {
    const kind = allKinds().find((k) => !k.def.blankForm)!;
    expect((await failure(renderDocx(kind, null))).message).toContain('没有空白表');
  });
});

describe('user templates', () => {
  it('renders with a template edited outside the code (wording changed, saved by LibreOffice)', async () => {
    const kind = getKind('application');
    const bytes = await renderDocx(kind, fixture(kind), { template: join(fixturesDir, 'docx', 'application-edited.docx') });
    const text = await rawText(bytes);
    expect(text).toContain('申请提交日期');
    expect(text).toContain('法律责任与承诺');
    expect(text).toContain('(请在此处加盖单位公章)');
    expect(text).not.toMatch(/(^|\n)申请日期/);
    for (const value of printed(kind, fixture(kind))) expect(text.replace(/\s+/g, '')).toContain(value.replace(/\s+/g, ''));
    expect(text).toContain('☑ 事前辅导');
  });

  it('an unknown tag names the tag and the template', async () => {
    const kind = getKind('application');
    const file = editedTemplate(kind, (x) => x.replace('{applicant.address}', '{applicant.adress}'), 'unknown-tag.docx');
    const e = await failure(renderDocx(kind, fixture(kind), { template: file }));
    expect(e.message).toContain('unknown-tag.docx');
    expect(e.message).toContain('{applicant.adress}');
    expect(e.message).toContain('不是本文书的字段');
  });

  it('a checkbox tag with an option the schema does not have', async () => {
    const kind = getKind('application');
    const file = editedTemplate(kind, (x) => x.replace('{services=事前辅导}', '{services=上门服务}'), 'bad-option.docx');
    expect((await failure(renderDocx(kind, fixture(kind), { template: file }))).message).toContain('没有选项“上门服务”');
  });

  it('a broken tag', async () => {
    const kind = getKind('application');
    const file = editedTemplate(kind, (x) => x.replace('{serviceItem}', '{serviceItem'), 'broken-tag.docx');
    const e = await failure(renderDocx(kind, fixture(kind), { template: file }));
    expect(e.message).toContain('broken-tag.docx');
    expect(e.message).toContain('serviceItem');
    expect(e.message).not.toMatch(/\n\s+at /);
  });

  it('a loop left open', async () => {
    const kind = getKind('roster');
    const file = editedTemplate(kind, (x) => x.replace('{/entries}', ''), 'open-loop.docx');
    const e = await failure(renderDocx(kind, fixture(kind), { template: file }));
    expect(e.message).toContain('open-loop.docx');
    expect(e.message).toContain('{#entries}');
    expect(e.message).toContain('没有结束标记');
  });

  it('a file that is not a .docx', async () => {
    const file = join(tmp, 'not.docx');
    writeFileSync(file, 'hello');
    expect((await failure(renderDocx(getKind('application'), null, { template: file }))).message).toContain('不是有效的 .docx');
  });
});

describe('values', () => {
  it('are XML-escaped and never read as tags', async () => {
    const kind = getKind('application');
    const record = fixture(kind) as { applicant: Record<string, string>; serviceItem: string };
    record.applicant.name = '{applicant.address}<w:t>&"公司"</w:t>';
    record.serviceItem = '{#services}{/services}{x}';
    const bytes = await renderDocx(kind, record);
    const xml = documentXml(bytes);
    parseXml(xml);
    expect(xml).toContain('{applicant.address}&lt;w:t&gt;&amp;');
    const text = await rawText(bytes);
    expect(text).toContain('{applicant.address}<w:t>&"公司"</w:t>');
    expect(text).toContain('{#services}{/services}{x}');
  });

  it('invalid records are refused before rendering', async () => {
    const kind = getKind('application');
    await expect(renderDocx(kind, { ...fixture(kind), applicationDate: '2026-13-40' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('the same record gives byte-identical files', async () => {
    const kind = getKind('roster');
    expect(Buffer.from(await renderDocx(kind, fixture(kind))).equals(Buffer.from(await renderDocx(kind, fixture(kind))))).toBe(true);
  });
});

describe('any layout, no kind by name', () => {
  // A layout of its own over the notice's schema: numbered list items with an optional part, an
  // inline list with a separator between items, and a paragraph shown only with an optional field.
  const kind = new Kind({
    name: 'docx-synthetic',
    title: '测试文书',
    schemaFile: 'notice.schema.json',
    page: 'official',
    blankForm: true,
    demoFixture: 'notice/six-materials.json',
    layout: (v) => [
      { type: 'title', spans: [{ text: '测试' }] },
      {
        type: 'list',
        items: v.items('materials').map((m) => [{ text: `第${m.number}项：` }, m.span('name'), ...(m.raw('requirement') ? [{ text: '（' }, m.span('requirement'), { text: '）' }] : [])]),
      },
      { type: 'paragraph', spans: [{ text: '材料：' }, ...v.items('materials').flatMap((m, i) => [...(i ? [{ text: '、' }] : []), m.span('name')])] },
      ...(v.raw('applicant/creditCode') ? [{ type: 'paragraph' as const, spans: [{ text: '代码：' }, v.span('applicant/creditCode')] }] : []),
    ],
  });
  // Its own copy of the schema, without the $id the notice's validator has registered.
  const { $id: _id, ...schema } = getKind('notice').schema.schema;
  Object.assign(kind, { schema: new KindSchema(schema) });
  const record = fixture(getKind('notice')) as { materials: { name: string; requirement?: string }[]; applicant: Record<string, string> };

  it('loops over list items, numbers them, drops optional parts and puts separators only between', async () => {
    const text = wordText(await renderDocx(kind, record));
    record.materials.forEach((m, i) => expect(text).toContain(`第${i + 1}项：${m.name}${m.requirement ? `（${m.requirement}）` : ''}\n`));
    expect(text.split('\n')).toContain(`材料：${record.materials.map((m) => m.name).join('、')}`);
    expect(text.includes('代码：')).toBe(!!record.applicant.creditCode);
    const { creditCode: _c, ...applicant } = record.applicant;
    expect(wordText(await renderDocx(kind, { ...record, applicant }))).not.toContain('代码：');
    expect(wordText(await renderDocx(kind, { ...record, applicant: { ...applicant, creditCode: '91411300MA44ABCD5J' } }))).toContain('代码：91411300MA44ABCD5J');
  });
});

describe('special tags', () => {
  it('$number and $last are accepted only inside a loop', async () => {
    const kind = getKind('application');
    const file = editedTemplate(kind, (x) => x.replace('{serviceItem}', '{serviceItem}{$number}{^$last}、{/$last}'), 'outside-loop.docx');
    const e = await failure(renderDocx(kind, fixture(kind), { template: file }));
    expect(e.message).toContain('{$number} 只能用在循环里');
    expect(e.message).toContain('{^$last} 只能用在循环里');
  });

  it('a list printed without a loop, and a group of fields, are refused', async () => {
    const kind = getKind('roster');
    const file = editedTemplate(kind, (x) => x.replace('{appointmentPhone}', '{entries}'), 'list-tag.docx');
    expect((await failure(renderDocx(kind, fixture(kind), { template: file }))).message).toContain('{entries} 是列表');
  });
});
