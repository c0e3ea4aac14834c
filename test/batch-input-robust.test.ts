/** Batch input as a new user makes it: broken workbooks, odd values, Excel errors, empty sheets. */
import { describe, it, expect, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { getKind } from '../src/kinds/index.js';
import { readJsonFile } from '../src/core/io.js';
import { fixturesDir } from '../src/core/paths.js';
import { validateRecord } from '../src/core/records.js';
import { compileNamePattern } from '../src/batch/naming.js';
import { openSource } from '../src/batch/sources.js';
import { templateSheets } from '../src/batch/template.js';
import { cli, noStack } from './helpers/cli.js';

vi.setConfig({ testTimeout: 300_000 });

const tmp = () => mkdtempSync(join(tmpdir(), 'bangban-input-'));
const application = getKind('application');
const notice = getKind('notice');
const typical = readJsonFile(join(fixturesDir, 'application/typical.json')) as Record<string, any>;
const oneMaterial = readJsonFile(join(fixturesDir, 'notice/one-material.json')) as Record<string, any>;

async function rows(kind: typeof application, file: string) {
  const out = [];
  for await (const r of (await openSource(kind, file)).rows()) out.push(r);
  return out;
}

describe('broken or empty input files', () => {
  it('an empty, a random and a cut .xlsx: exit 2 with a Chinese reason', async () => {
    const d = tmp();
    const files = { 'empty.xlsx': Buffer.alloc(0), 'random.xlsx': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 256)), 'zip.xlsx': Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(600, 1)]) };
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(d, name), bytes);
      const r = await cli('batch', 'notice', join(d, name), '-o', join(d, 'out'), '--progress', 'none');
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(/^错误：.*(空文件|不是有效的 Excel 工作簿)/);
      noStack(r.stderr);
    }
  });

  it('a header-only CSV and an empty JSON Lines file warn that there are no rows and exit 1', async () => {
    const d = tmp();
    const [sheet] = templateSheets(application);
    writeFileSync(join(d, 'header.csv'), stringify([['序号', ...sheet.columns.map((c) => c.header)]]));
    writeFileSync(join(d, 'empty.jsonl'), '\n');
    for (const f of ['header.csv', 'empty.jsonl']) {
      const r = await cli('batch', 'application', join(d, f), '-o', join(d, `out-${f}`), '--progress', 'none');
      expect(r.code, f).toBe(1);
      expect(r.stderr).toContain(`提示：${f} 里没有数据行（空的或只有表头），没有生成任何文书`);
      expect(r.stdout).toContain('生成 0 份');
    }
  });
});

describe('values', () => {
  it('control characters are refused with the field named', () => {
    for (const [ch, code] of [['\u0000', '0000'], ['\u0007', '0007'], ['\u001b', '001B']]) {
      const r = validateRecord(application, { ...typical, applicant: { ...typical.applicant, address: `南阳市${ch}卧龙区` } });
      expect(r.valid).toBe(false);
      expect(r.errors).toContainEqual({ path: '/applicant/address', label: '申请单位地址', message: `含有不可见的控制字符 U+${code}（第 4 个字符），请删除` });
    }
    expect(validateRecord(application, { ...typical, applicant: { ...typical.applicant, address: '南阳市\t卧龙区' } }).valid).toBe(true);
  });

  it('"." and ".." are no company names', () => {
    for (const name of ['.', '..', ' .. ']) {
      const r = validateRecord(application, { ...typical, applicant: { ...typical.applicant, name } });
      expect(r.errors.map((e) => `${e.path} ${e.message}`)).toContain(`/applicant/name 不能只是“${name.trim()}”`);
    }
  });

  it('a list past 500 items is refused before rendering, the limit named', () => {
    const materials = Array.from({ length: 20_000 }, (_, i) => ({ ...oneMaterial.materials[0], name: `材料${i}` }));
    const r = validateRecord(notice, { ...oneMaterial, materials });
    expect(r.errors).toContainEqual({ path: '/materials', label: '需补正材料', message: '最多 500 项，现有 20000 项（更长的列表请分成几份文书）' });
  });

  it('--name {constructor} or {__proto__} is no field', () => {
    for (const t of ['constructor', '__proto__', 'applicant.constructor', 'toString']) expect(() => compileNamePattern(application, `{${t}}`)).toThrow(/不是.*的字段/);
    expect(compileNamePattern(application, '{applicant.name}').name(typical, 1)).toBe(typical.applicant.name);
  });
});

describe('spreadsheets', () => {
  async function workbook(file: string, fill: (ws: ExcelJS.Worksheet, header: string[]) => void) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('记录');
    const [sheet] = templateSheets(application);
    const header = ['序号', ...sheet.columns.map((c) => c.header)];
    ws.addRow(header);
    for (let i = 0; i < 3; i++) ws.addRow(sheet.rows[0].map((v, k) => (k === 0 ? 101 + i : v)));
    fill(ws, header);
    await wb.xlsx.writeFile(file);
  }

  it('an Excel error value (#DIV/0!, a formula’s #REF!) is reported as such, not as missing', async () => {
    const d = tmp();
    const file = join(d, 'errors.xlsx');
    await workbook(file, (ws, header) => {
      ws.getCell(2, header.indexOf('申请单位地址') + 1).value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue;
      ws.getCell(3, header.indexOf('申请单位名称') + 1).value = { formula: 'A1/0', result: { error: '#REF!' } } as ExcelJS.CellFormulaValue;
    });
    const [first, second, third] = await rows(application, file);
    expect(first.errors).toEqual([{ path: '/applicant/address', label: '申请单位地址', message: '单元格是 Excel 错误值 #DIV/0!（公式出错或引用无效），请改成实际的值' }]);
    // exceljs's streaming reader keeps a formula but drops its error result: said as such
    expect(second.errors?.[0]).toMatchObject({ path: '/applicant/name', message: expect.stringContaining('单元格是公式，文件里没有它的结果') });
    expect(third.errors).toBeUndefined();
    // and in a CSV exported from Excel, where the error is text
    const [sheet] = templateSheets(application);
    const header = ['序号', ...sheet.columns.map((c) => c.header)];
    const row = [...sheet.rows[0]];
    row[header.indexOf('申请单位地址')] = '#N/A';
    writeFileSync(join(d, 'e.csv'), stringify([header, row]));
    expect((await rows(application, join(d, 'e.csv')))[0].errors?.[0].message).toContain('#N/A');
  });

  it('an Excel error value in a list sheet (a material’s row) is reported with the record, not dropped', async () => {
    const file = join(tmp(), 'notice-errors.xlsx');
    const wb = new ExcelJS.Workbook();
    for (const sheet of templateSheets(notice)) {
      const ws = wb.addWorksheet(sheet.name);
      ws.addRow(['序号', ...sheet.columns.map((c) => c.header)]);
      for (const r of sheet.rows) ws.addRow(r);
      if (sheet.name !== templateSheets(notice)[0].name) ws.getCell(2, 2).value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue;
    }
    await wb.xlsx.writeFile(file);
    const [first] = await rows(notice, file);
    expect(first.errors).toEqual([{ path: '/materials', label: '需补正材料', message: '材料名称：单元格是 Excel 错误值 #DIV/0!（公式出错或引用无效），请改成实际的值' }]);
    // the other materials are kept
    expect((first.record as typeof oneMaterial).materials.length).toBe(templateSheets(notice)[1].rows.filter((r) => r[0] === 1).length - 1);
  });

  it('a cell merged over two rows gives both rows its value (not “missing” for the second)', async () => {
    const d = tmp();
    const file = join(d, 'merged.xlsx');
    let address = '';
    await workbook(file, (ws, header) => {
      const col = header.indexOf('申请单位地址') + 1;
      address = String(ws.getCell(2, col).value);
      ws.getCell(3, col).value = null;
      ws.mergeCells(2, col, 3, col);
    });
    const read = await rows(application, file);
    expect(read.map((r) => (r.record as typeof typical).applicant.address)).toEqual([address, address, address]);
    expect(read.map((r) => validateRecord(application, r.record).valid)).toEqual([true, true, true]);
  });

  it('problem lines follow the 序号 column where the sheet has one', async () => {
    const d = tmp();
    const file = join(d, 'serial.xlsx');
    await workbook(file, (ws, header) => {
      ws.getCell(3, header.indexOf('申请单位名称') + 1).value = null;
    });
    const r = await cli('batch', 'application', file, '-o', join(d, 'out'), '--progress', 'none', '-j', '1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^序号 102（输入第 3 行）：申请单位名称 \(\/applicant\/name\): 必填/m);
  });
});

describe('commander in Chinese', () => {
  it('--version, an unknown command, an unknown option, a missing option, Usage', async () => {
    const v = await cli('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await cli('frob')).toMatchObject({ code: 2, stderr: '错误：没有“frob”这个命令；bangban --help 列出全部命令\n' });
    expect((await cli('parse', '--bogus', 'x.pdf')).stderr).toBe('错误：不认识的选项 --bogus；加 --help 查看可用选项\n');
    expect((await cli('batch', 'notice', 'a.jsonl')).stderr).toBe('错误：缺少必需的选项 -o, --output <folder>\n');
    expect((await cli('validate', 'application')).stderr).toBe('错误：缺少参数 <file>；加 --help 查看用法\n');
    const help = await cli('batch', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^用法：bangban batch \[选项\] <kind> <input>/);
    expect(help.stdout).toContain('\n选项：\n');
    expect(help.stdout).not.toMatch(/Usage|Options:|Arguments:|display help/);
  });
});
