import { describe, it, expect, vi, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import mammoth from 'mammoth';
import { DOMParser } from '@xmldom/xmldom';
import { documentModel, getKind, renderDocument } from '../src/index.js';
import type { Block, Span } from '../src/core/model.js';
import { blankFor, blankPieces, FILL } from '../src/core/blank.js';
import { modelToPdf } from '../src/pdf/render.js';
import { spansOf } from '../src/docx/view.js';
import { underlineBlanks, underlineTrailingSpaces } from '../src/docx/blank.js';
import { cli } from './helpers/cli.js';
import { pdfPages, squash } from './helpers/pdf.js';

const authorization = getKind('authorization');
const application = getKind('application');
const dir = mkdtempSync(join(tmpdir(), 'bangban-blank-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const docXml = (bytes: Uint8Array, part = 'word/document.xml') => new PizZip(bytes).file(part)!.asText();
const rawText = async (bytes: Uint8Array) => (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
function wellFormed(xml: string): void {
  const problems: string[] = [];
  new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
  expect(problems).toEqual([]);
}

/** Labels and wording the blank letter prints (from templates/authorization.hbs and the schema). */
const LABELS = ['授权委托书', '委托单位：', '统一社会信用代码：', '法定代表人：', '受托人：', '身份证号码：', '联系电话：', '现委托', '以本单位名义办理', '委托权限如下', '委托期限：自', '起至', '法定代表人（签字或盖章）', '受托人（签字）', '委托单位（盖章）'];
const POWERS = authorization.schema.at('/powers')!.default as string[];
/** Values of the demo letter: none may appear on the blank one. */
const VALUES = ['绿源', '91411300MA44ABCD5J', '411302199001011236', '13837712345', '刘', '张', '2026', '建设项目'];

describe('blank values', () => {
  it('a blank form gives each empty value a fill-in line shaped by its schema', () => {
    const v = authorization.values(null, true);
    expect(v.span('principal/creditCode')).toEqual({ text: '', field: '/principal/creditCode', blank: [18] });
    expect(v.span('trustee/idNumber').blank).toEqual([18]);
    expect(v.span('trustee/phone').blank).toEqual([9]);
    expect(v.span('trustee/name').blank).toEqual([8]);
    expect(v.span('date').blank).toEqual([2, '年', 1, '月', 1, '日']);
    expect(v.span('matter').blank![0]).toBeGreaterThan(28); // more than a line
    expect(blankFor({ type: 'string', format: 'date-minute' })).toEqual([2, '年', 1, '月', 1, '日', 1, '时', 1, '分']);
    expect(blankPieces([2, '年'])).toEqual([{ text: FILL + FILL, line: true }, { text: '年', line: false }]);
  });

  it('a filled record has no blanks, nor does a blank form where a value is given', () => {
    expect(authorization.values({ matter: 'x' }, false).span('date').blank).toBeUndefined();
    expect(authorization.values({ matter: 'x' }, true).span('matter')).toEqual({ text: 'x', field: '/matter' });
  });

  it('the blank letter: every required field a fill-in line, optional wording left out, the standard powers printed', () => {
    const blocks = documentModel(authorization, null).blocks;
    const spans = spansOf(blocks);
    const blanks = spans.filter((s) => s.blank);
    expect(new Set(blanks.map((s) => s.field))).toEqual(
      new Set(['/principal/name', '/principal/creditCode', '/principal/legalRepresentative', '/trustee/name', '/trustee/idNumber', '/trustee/phone', '/matter', '/period/from', '/period/to', '/date']),
    );
    expect(blanks.every((s) => s.text === '')).toBe(true);
    const text = spans.map((s) => s.text).join('');
    expect(text).not.toContain('单位地址');
    for (const p of POWERS) expect(text).toContain(p);
  });
});

describe('blank authorization letter, PDF', () => {
  it('renders one page with every label, the powers and signature lines, and no values', async () => {
    const bytes = await renderDocument(authorization, null, 'pdf');
    const pages = await pdfPages(bytes);
    expect(pages).toHaveLength(1);
    const text = squash(pages[0]);
    for (const l of [...LABELS, ...POWERS]) expect(text).toContain(squash(l));
    for (const v of VALUES) expect(text).not.toContain(v);
    expect(text).not.toContain('\uFFFD');
    expect(text).not.toContain('单位地址');
    // Fill-in lines around 年 月 日: three dates (period from/to, signature date).
    expect(pages[0].match(/年/g)).toHaveLength(3);
  });

  it('draws the fill-in lines (underlines) the filled letter does not have', async () => {
    const blank = await renderDocument(authorization, null, 'pdf');
    const filled = await renderDocument(authorization, JSON.parse(readFileSync('fixtures/authorization/typical.json', 'utf8')), 'pdf');
    // pdfmake draws an underline as a filled rectangle: `x y w h re`.
    const rects = async (b: Uint8Array) => {
      const page = (await PDFDocument.load(b)).getPage(0);
      const streams = [page.node.Contents()].flatMap((c) => (c instanceof PDFArray ? c.asArray().map((r) => page.doc.context.lookup(r)) : [c]));
      const ops = streams.map((st) => Buffer.from(decodePDFRawStream(st as PDFRawStream).decode()).toString('latin1')).join('\n');
      return (ops.match(/ re\b/g) ?? []).length;
    };
    expect(await rects(filled)).toBe(0);
    expect(await rects(blank)).toBeGreaterThanOrEqual(17);
  });

  it('the blank application form prints exactly as without fill-in lines (the cell is the space)', async () => {
    const model = documentModel(application, null);
    const strip = (blocks: Block[]): Block[] =>
      JSON.parse(JSON.stringify(blocks), (k, v) => (k === 'blank' ? undefined : v)) as Block[];
    expect(spansOf(model.blocks).some((s: Span) => s.blank)).toBe(true);
    const plain = await modelToPdf(application, { ...model, blocks: strip(model.blocks) });
    expect(Buffer.from(await renderDocument(application, null, 'pdf')).equals(Buffer.from(plain))).toBe(true);
  });
});

describe('blank authorization letter, DOCX', () => {
  it('prints labels, powers and underlined fill-in lines; no tags, no values', async () => {
    const bytes = await renderDocument(authorization, null, 'docx');
    const xml = docXml(bytes);
    wellFormed(xml);
    wellFormed(docXml(bytes, 'word/settings.xml'));
    const text = await rawText(bytes);
    for (const l of [...LABELS, ...POWERS]) expect(squash(text)).toContain(squash(l));
    for (const v of VALUES) expect(text).not.toContain(v);
    expect(text).not.toMatch(/[{}\uE000-\uF8FF\uFFFD]/);
    expect(text).not.toContain('单位地址');
    // 委托单位： then an underlined run of 18 fill characters (with break points between them).
    expect(xml).toMatch(/委托单位：<\/w:t><\/w:r>(?:<w:r>(?:<w:rPr>(?:(?!<w:u ).)*?<\/w:rPr>)?<\/w:r>)?<w:r><w:rPr>[^]*?<w:u w:val="single"\/><\/w:rPr><w:t xml:space="preserve">((?:\u3000\u200B){17}\u3000)<\/w:t>/);
    expect(xml.match(/<w:u w:val="single"\/>/g)!.length).toBe(17); // 8 plain blanks (受托人 twice) + 3 dates × 3
    expect(docXml(bytes, 'word/settings.xml')).toContain('<w:compat><w:ulTrailSpace/>');
  });

  it('the blank application form is as before: nothing underlined, settings untouched', async () => {
    const bytes = await renderDocument(application, null, 'docx');
    const xml = docXml(bytes);
    expect(xml).not.toContain('<w:u ');
    expect(xml).not.toMatch(/[\u200B\u3000\uE000-\uF8FF]/);
    expect(docXml(bytes, 'word/settings.xml')).not.toContain('ulTrailSpace');
    expect(docXml(bytes, 'word/settings.xml')).toBe(new PizZip(readFileSync('templates/docx/application.docx')).file('word/settings.xml')!.asText());
  });

  it('underlines in any run: formatting kept, w:u placed in schema order, text around kept', () => {
    const out = underlineBlanks('<w:p><w:r w:rsidR="00AB"><w:rPr><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t>自\uE120\u3000\u3000\uE121年止</w:t><w:br/></w:r></w:p>');
    wellFormed(`<w:document xmlns:w="urn:w">${out}</w:document>`);
    expect(out).toBe(
      '<w:p><w:r w:rsidR="00AB"><w:rPr><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t xml:space="preserve">自</w:t></w:r>' +
        '<w:r><w:rPr><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="32"/><w:u w:val="single"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t xml:space="preserve">\u3000\u3000</w:t></w:r>' +
        '<w:r><w:rPr><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr><w:t xml:space="preserve">年止</w:t><w:br/></w:r></w:p>',
    );
    expect(underlineTrailingSpaces('<w:settings><w:compat><w:spaceForUL/><w:compatSetting/></w:compat></w:settings>')).toBe('<w:settings><w:compat><w:spaceForUL/><w:ulTrailSpace/><w:compatSetting/></w:compat></w:settings>');
  });
});

describe('command line', () => {
  it('bangban render authorization -o blank.pdf / blank.docx writes the blank letter', async () => {
    for (const ext of ['pdf', 'docx']) {
      const out = join(dir, `blank.${ext}`);
      const r = await cli('render', 'authorization', '-o', out);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(out)).toBe(true);
    }
    expect(squash((await pdfPages(readFileSync(join(dir, 'blank.pdf'))))[0])).toContain('统一社会信用代码：');
    expect(await rawText(readFileSync(join(dir, 'blank.docx')))).toContain('身份证号码：');
  });

  it('demo writes authorization-blank.pdf and .docx', async () => {
    const out = join(dir, 'demo');
    const r = await cli('demo', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['authorization-blank.pdf', 'authorization-blank.docx', 'application-blank.pdf', 'application-blank.docx']) expect(existsSync(join(out, f)), f).toBe(true);
  }, 120_000);
});
