import { describe, it, expect, vi, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { getKind, renderDocument, templateBlocks, UserError } from '../src/index.js';
import { cli, noStack } from './helpers/cli.js';
import { pdfPages, squash } from './helpers/pdf.js';

const notice = getKind('notice');
const dir = mkdtempSync(join(tmpdir(), 'bangban-wording-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const ORIGINAL = '逾期未补正的，视为放弃申请。';
const CHANGED = '逾期未补正的，本机关将依法作出不予受理决定。';
const shipped = readFileSync('templates/notice.hbs', 'utf8');
const NOTICE_DATA = 'fixtures/notice/one-material.json';
const record = JSON.parse(readFileSync(NOTICE_DATA, 'utf8'));

/** A copy of the shipped notice template with an edit, saved as a user would. */
function template(name: string, edit: (t: string) => string = (t) => t): string {
  const file = join(dir, name);
  writeFileSync(file, edit(shipped));
  return file;
}
const reworded = template('我的告知书.hbs', (t) => t.replace(ORIGINAL, CHANGED));

describe('a custom wording template', () => {
  it('the shipped template has the sentence the tests change', () => expect(shipped).toContain(ORIGINAL));

  it('bangban render notice data.json --wording my.hbs -o out.pdf prints the changed wording', async () => {
    const out = join(dir, 'out.pdf');
    const r = await cli('render', 'notice', NOTICE_DATA, '--wording', reworded, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const text = squash((await pdfPages(readFileSync(out))).join(''));
    expect(text).toContain(squash(CHANGED));
    expect(text).not.toContain(squash(ORIGINAL));
    expect(text).toContain(squash(record.serviceItem)); // values still printed
    expect(text).not.toContain('\uFFFD');
  });

  it('…and as DOCX, the Word template built from the custom wording', async () => {
    const out = join(dir, 'out.docx');
    const r = await cli('render', 'notice', NOTICE_DATA, '--wording', reworded, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const text = (await mammoth.extractRawText({ buffer: readFileSync(out) })).value;
    expect(text).toContain(CHANGED);
    expect(text).not.toContain(ORIGINAL);
    expect(text).toContain(record.serviceItem);
    expect(text).not.toMatch(/[{}]/);
  });

  it('without --wording the shipped wording is used (the override does not leak)', async () => {
    const text = squash((await pdfPages(await renderDocument(notice, record, 'pdf'))).join(''));
    expect(text).toContain(squash(ORIGINAL));
  });

  it('library API: renderDocument({ wording }), Kind.withWording and templateBlocks', async () => {
    const pdf = await renderDocument(notice, record, 'pdf', { wording: reworded });
    expect(squash((await pdfPages(pdf)).join(''))).toContain(squash(CHANGED));
    const blocks = templateBlocks('notice', notice.values(record), notice, { file: reworded });
    expect(JSON.stringify(blocks)).toContain(CHANGED);
    const kind = notice.withWording(reworded);
    expect(JSON.stringify(kind.def.layout(kind.values(record), kind))).toContain(CHANGED);
    expect(notice.wordingFile).toBeUndefined();
  });

  it('works for the blank authorization letter too', async () => {
    const file = join(dir, 'auth.hbs');
    writeFileSync(file, readFileSync('templates/authorization.hbs', 'utf8').replace('# 授权委托书', '# 法人授权委托书'));
    const out = join(dir, 'auth-blank.pdf');
    const r = await cli('render', 'authorization', '--wording', file, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(squash((await pdfPages(readFileSync(out)))[0])).toContain('法人授权委托书');
  });
});

describe('errors in a user template: one Chinese line naming the template, exit 2, no stack, no file', () => {
  const cases: [string, (t: string) => string, RegExp][] = [
    ['unknown field', (t) => t.replace('{{serviceItem}}', '{{serviceItm}}'), /模板 坏1\.hbs 第 \d+ 行：\{\{serviceItm\}\} 中的“serviceItm”不是本文书的字段/],
    ['unknown nested field', (t) => t.replace('{{contact.phone}}', '{{contact.telephone}}'), /模板 坏2\.hbs 第 \d+ 行：\{\{contact\.telephone\}\} 中的“telephone”不是本文书的字段/],
    ['broken tag', (t) => t.replace('{{deadline}}', '{{deadline}'), /模板 坏3\.hbs 第 \d+ 行语法错误：“\{\{deadline\}”处/],
    ['block never closed', (t) => t.replace('{{/if}}', ''), /模板 坏4\.hbs 第 \d+ 行的 \{\{#if …\}\} 没有结束标记 \{\{\/if\}\}/],
    ['block closed with another name', (t) => t.replace('{{/if}}', '{{/each}}'), /模板 坏5\.hbs 第 \d+ 行：块 \{\{#if\}\} 的结束标记写成了 \{\{\/each\}\}/],
    ['unknown directive', (t) => t.replace(/^@signature$/m, '@signatur'), /模板 坏6\.hbs：不认识的指令“@signatur”/],
  ];
  cases.forEach(([what, edit, message], i) => {
    it(what, async () => {
      const file = template(`坏${i + 1}.hbs`, edit);
      for (const ext of ['pdf', 'docx']) {
        const out = join(dir, `never-${i}.${ext}`);
        const r = await cli('render', 'notice', NOTICE_DATA, '--wording', file, '-o', out);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        noStack(r.stderr);
        expect(existsSync(out)).toBe(false);
      }
    });
  });

  it('the line number points at the mistake', async () => {
    const file = template('坏行.hbs', (t) => t.replace('{{serviceItem}}', '{{serviceItm}}'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('{{serviceItm}}')) + 1;
    await expect(renderDocument(notice, record, 'pdf', { wording: file })).rejects.toThrow(`第 ${line} 行`);
  });

  it('a missing file, a .docx given to --wording, a .hbs given to --template, a kind without wording', async () => {
    const out = join(dir, 'never.pdf');
    const missing = await cli('render', 'notice', NOTICE_DATA, '--wording', join(dir, '没有.hbs'), '-o', out);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('无法读取模板')]);
    const docx = await cli('render', 'notice', NOTICE_DATA, '--wording', 'templates/docx/notice.docx', '-o', out);
    expect([docx.code, docx.stderr]).toEqual([2, expect.stringContaining('--template')]);
    const hbs = await cli('render', 'notice', NOTICE_DATA, '--template', reworded, '-o', join(dir, 'never.docx'));
    expect([hbs.code, hbs.stderr]).toEqual([2, expect.stringContaining('--wording')]);
    const both = await cli('render', 'notice', NOTICE_DATA, '--template', 'templates/docx/notice.docx', '--wording', reworded, '-o', join(dir, 'never.docx'));
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('不能同时用')]);
    const app = await cli('render', 'application', 'fixtures/application/typical.json', '--wording', reworded, '-o', out);
    expect([app.code, app.stderr]).toEqual([2, expect.stringContaining('--wording 只用于')]);
    for (const r of [missing, docx, hbs, both, app]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(() => getKind('roster').withWording(reworded)).toThrow(UserError);
  });
});
