import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';
import { PDFDocument } from 'pdf-lib';
import { allKinds, getKind } from '../src/kinds/index.js';
import { readJsonFile } from '../src/core/io.js';
import { fixturesDir, packageRoot } from '../src/core/paths.js';
import { runBatch, type BatchOptions } from '../src/batch/run.js';
import { openSource } from '../src/batch/sources.js';
import { columnPlan } from '../src/batch/columns.js';
import { KindSchema } from '../src/core/schema.js';
import type { Kind } from '../src/core/kind.js';
import { readManifest, type ManifestRow } from '../src/batch/manifest.js';
import { safeFileName, UniqueNames, compileNamePattern, MAX_NAME_BYTES } from '../src/batch/naming.js';
import { templateSheets, writeTemplate } from '../src/batch/template.js';
import { lineProgress } from '../src/batch/progress.js';
import { detectEncoding } from '../src/batch/decode.js';
import { convertCell } from '../src/batch/convert.js';

const application = getKind('application');
const typical = readJsonFile(join(fixturesDir, 'application/typical.json')) as Record<string, any>;
const tmp = () => mkdtempSync(join(tmpdir(), 'bangban-batch-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const companies = ['南阳市宛城区绿源环保科技有限公司', '南阳市卧龙区清源水务有限公司', '南阳市镇平县玉雕工艺品有限公司', '南阳市方城县建材有限公司', '南阳市西峡县香菇食品有限公司'];

/** The application template's header and one row per company, varying the name. */
function applicationRows(n: number): { header: string[]; rows: unknown[][] } {
  const [sheet] = templateSheets(application);
  const header = ['序号', ...sheet.columns.map((c) => c.header)];
  const nameIndex = sheet.columns.findIndex((c) => c.pointer === '/applicant/name') + 1;
  const rows = Array.from({ length: n }, (_, i) => {
    const row = [...sheet.rows[0]];
    row[0] = i + 1;
    row[nameIndex] = `${companies[i % companies.length]}${i + 1}号`;
    return row;
  });
  return { header, rows };
}

async function batch(o: Omit<BatchOptions, 'kind'> & { kind?: string }) {
  const r = await runBatch({ kind: 'application', jobs: 1, ...o });
  return { ...r, manifest: readManifest(r.folder) };
}

const pdfsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.pdf') && f !== 'merged.pdf');

describe('batch input', () => {
  it('reads dates as people type them, full-width digits and seconds included', () => {
    for (const v of ['2026/3/2', '2026.3.2', '2026年3月2日', '２０２６年３月２日']) expect(convertCell(v, { type: 'string', format: 'date' })).toBe('2026-03-02');
    for (const v of ['2026-03-02 14:40', '2026年3月2日 14时40分', '2026-03-02 14:40:00', '２０２６-０３-０２ １４：４０']) expect(convertCell(v, { type: 'string', format: 'date-minute' })).toBe('2026-03-02T14:40');
    expect(convertCell('3月2日', { type: 'string', format: 'date' })).toBe('3月2日'); // kept as typed: validation names it
  });

  const csvText = () => {
    const { header, rows } = applicationRows(3);
    return stringify([header, ...rows]);
  };

  it('reads UTF-8 CSV without BOM, with BOM, and GB18030 (Excel on Chinese Windows) alike', async () => {
    const dir = tmp();
    const text = csvText();
    const files = {
      plain: join(dir, 'plain.csv'),
      bom: join(dir, 'bom.csv'),
      gb: join(dir, 'gb.csv'),
    };
    writeFileSync(files.plain, text, 'utf8');
    writeFileSync(files.bom, '\uFEFF' + text, 'utf8');
    writeFileSync(files.gb, iconv.encode(text, 'gb18030'));
    expect(await detectEncoding(files.plain)).toBe('utf-8');
    expect(await detectEncoding(files.bom)).toBe('utf-8');
    expect(await detectEncoding(files.gb)).toBe('gb18030');
    const read = async (f: string) => {
      const s = await openSource(application, f);
      const out: unknown[] = [];
      for await (const r of s.rows()) out.push(r.record);
      return { total: s.total, records: out };
    };
    const plain = await read(files.plain);
    expect(plain.total).toBe(3);
    expect((plain.records[1] as any).applicant.name).toBe(`${companies[1]}2号`);
    expect((plain.records[0] as any).services).toEqual(typical.services);
    expect(await read(files.bom)).toEqual(plain);
    expect(await read(files.gb)).toEqual(plain);
    // Excel's “Unicode text”: UTF-16LE with BOM, tab-separated
    const utf16 = join(dir, 'u16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(stringify([applicationRows(3).header, ...applicationRows(3).rows], { delimiter: '\t' }), 'utf-16le')]));
    expect(await detectEncoding(utf16)).toBe('utf-16le');
    expect(await read(utf16)).toEqual(plain);

    const r = await batch({ input: files.gb, output: join(dir, 'out') });
    expect(r.summary.ok).toBe(3);
    expect(pdfsIn(join(dir, 'out')).sort()).toEqual([1, 2, 3].map((i) => `${companies[i - 1]}${i}号.pdf`).sort());
  });

  it('turns the template back into the demo record, for every kind (list sheets joined by 序号)', async () => {
    for (const kind of allKinds()) {
      const dir = tmp();
      await writeTemplate(kind, join(dir, 't.xlsx'));
      const s = await openSource(kind, join(dir, 't.xlsx'));
      const records: unknown[] = [];
      for await (const r of s.rows()) records.push(r.record);
      expect(records, kind.name).toEqual([readJsonFile(join(fixturesDir, kind.def.demoFixture))]);
    }
  });

  it('disambiguates fields that share a title with their parent title, or else the dotted path', () => {
    const schema = new KindSchema({
      type: 'object',
      properties: {
        applicant: { title: '申请人', type: 'object', properties: { name: { title: '名称', type: 'string' } } },
        agent: { title: '代理人', type: 'object', properties: { name: { title: '名称', type: 'string' }, phone: { title: '电话', type: 'string' } } },
        a: { title: '甲', type: 'object', properties: { phone: { title: '电话', type: 'string' } } },
        b: { title: '甲', type: 'object', properties: { phone: { title: '电话', type: 'string' } } },
        copies: { title: '份数', type: 'integer' },
      },
    });
    const plan = columnPlan({ schema } as unknown as Kind);
    expect(plan.main.map((c) => c.header)).toEqual(['申请人·名称', '代理人·名称', '代理人·电话', 'a.phone', 'b.phone', '份数']);
    expect(plan.main[0].aliases).toContain('applicant.name');
    expect(plan.main[0].aliases).not.toContain('名称');
  });

  it('reads an xlsx whose list field comes from a second sheet keyed by 序号, numbers converted to integers', async () => {
    const kind = getKind('roster');
    const plan = columnPlan(kind);
    const list = plan.lists.find((l) => !l.scalar)!;
    const wb = new ExcelJS.Workbook();
    const main = wb.addWorksheet('名单');
    main.addRow(['序号', ...plan.main.map((c) => c.header)]);
    main.addRow([1, '南阳市生态环境局', 61387687, '南阳市行政审批服务中心 413 室']);
    main.addRow([2, '南阳市自然资源局', '0377-63136025', '南阳市行政审批服务中心 5 楼']);
    const items = wb.addWorksheet(list.title);
    items.addRow(['序号', ...list.columns.map((c) => c.header)]);
    items.addRow([2, '国土空间规划科', '王玉']);
    items.addRow([1, '行政审批服务科', '李锦锦、李智斌;丁选香']);
    items.addRow([1, '综合科', '赵东丽']);
    const dir = tmp();
    const file = join(dir, 'roster.xlsx');
    await wb.xlsx.writeFile(file);
    const s = await openSource(kind, file);
    const records: any[] = [];
    for await (const r of s.rows()) records.push(r.record);
    expect(records[0].appointmentPhone).toBe('61387687');
    expect(records[0].entries).toEqual([
      { department: '行政审批服务科', members: ['李锦锦', '李智斌', '丁选香'] },
      { department: '综合科', members: ['赵东丽'] },
    ]);
    expect(records[1].entries).toEqual([{ department: '国土空间规划科', members: ['王玉'] }]);
    const r = await batch({ kind: 'roster', input: file, output: join(dir, 'out'), name: '{organization}' });
    expect(r.summary.ok).toBe(2);
    expect(pdfsIn(join(dir, 'out')).sort()).toEqual(['南阳市生态环境局.pdf', '南阳市自然资源局.pdf']);
  });

  // exceljs's streaming reader decoded each chunk of XML on its own: a character split between two
  // chunks became "��" (about one row in 400 of a large sheet).
  it('reads every Chinese character of a large xlsx whole, in shared strings and in the sheet', async () => {
    const kind = getKind('roster');
    const plan = columnPlan(kind);
    const names = Array.from({ length: 3000 }, (_, i) => `${companies[i % companies.length]}第${i + 1}分公司`);
    for (const sharedStrings of [true, false]) {
      const file = join(tmp(), 'big.xlsx');
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: sharedStrings });
      const main = wb.addWorksheet('名单');
      main.addRow(['序号', ...plan.main.map((c) => c.header)]).commit();
      names.forEach((name, i) => main.addRow([i + 1, name, '61387687', `南阳市行政审批服务中心${i + 1}室`]).commit());
      main.commit();
      await wb.commit();
      const s = await openSource(kind, file);
      const read: string[] = [];
      for await (const r of s.rows()) read.push((r.record as { organization: string }).organization);
      expect(read.filter((n) => n.includes('\uFFFD')), `shared strings: ${sharedStrings}`).toEqual([]);
      expect(read).toEqual(names);
    }
  });

  it('joins list rows in step with the records when 序号 rise, in memory when they do not — same records', async () => {
    const kind = getKind('roster');
    const plan = columnPlan(kind);
    const list = plan.lists.find((l) => !l.scalar)!;
    const write = async (items: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const main = wb.addWorksheet('名单');
      main.addRow(['序号', ...plan.main.map((c) => c.header)]);
      for (const n of [1, 3, 4]) main.addRow([n, `单位${n}`, '61387687', '地址']);
      const sheet = wb.addWorksheet(list.title);
      sheet.addRow(['序号', ...list.columns.map((c) => c.header)]);
      for (const r of items) sheet.addRow(r);
      const file = join(tmp(), 'r.xlsx');
      await wb.xlsx.writeFile(file);
      const s = await openSource(kind, file);
      const out: any[] = [];
      for await (const r of s.rows()) out.push(r.record);
      return out;
    };
    const rows = [
      [1, '甲科', '张三'],
      [1, '乙科', '李四'],
      [2, '无主科', '王五'], // no record 2: passed over
      [4, '丁科', '赵六'],
    ];
    const inStep = await write(rows);
    expect(inStep.map((r) => r.entries?.map((e: any) => e.department))).toEqual([['甲科', '乙科'], undefined, ['丁科']]);
    expect(await write([rows[3], rows[0], rows[2], rows[1]])).toEqual(inStep);
  });

  it('takes a CSV list file (--items) and integer columns', async () => {
    if (!allKinds().some((k) => k.name === 'notice')) return; // the notice kind arrives separately
    const notice = getKind('notice');
    const [main, materials] = templateSheets(notice);
    const dir = tmp();
    writeFileSync(join(dir, 'n.csv'), stringify([['序号', ...main.columns.map((c) => c.header)], ...main.rows, [2, ...main.rows[0].slice(1)]]));
    writeFileSync(join(dir, 'm.csv'), stringify([['序号', ...materials.columns.map((c) => c.header)], ...materials.rows, [2, '营业执照副本复印件', '2', '', '单位自行复印']]));
    const s = await openSource(notice, join(dir, 'n.csv'), [join(dir, 'm.csv')]);
    const records: any[] = [];
    for await (const r of s.rows()) records.push(r.record);
    expect(records[0]).toEqual(readJsonFile(join(fixturesDir, notice.def.demoFixture)));
    expect(records[1].materials).toEqual([{ name: '营业执照副本复印件', copies: 2, howToObtain: '单位自行复印' }]);
    const r = await batch({ kind: 'notice', input: join(dir, 'n.csv'), items: [join(dir, 'm.csv')], output: join(dir, 'out') });
    expect(r.summary.ok).toBe(2);
    expect(pdfsIn(join(dir, 'out'))).toHaveLength(2);
  });

  it('reads JSON Lines and a JSON array', async () => {
    const dir = tmp();
    const recs = [0, 1, 2].map((i) => ({ ...typical, applicant: { ...typical.applicant, name: companies[i] } }));
    writeFileSync(join(dir, 'a.jsonl'), recs.map((r) => JSON.stringify(r)).join('\n') + '\n\n');
    writeFileSync(join(dir, 'a.json'), JSON.stringify(recs));
    const a = await batch({ input: join(dir, 'a.jsonl'), output: join(dir, 'jsonl') });
    const b = await batch({ input: join(dir, 'a.json'), output: join(dir, 'json') });
    expect(a.summary.ok).toBe(3);
    expect(b.summary.ok).toBe(3);
    // same data, byte-identical PDFs
    expect(a.manifest.rows.map((r) => r.files[0].sha256)).toEqual(b.manifest.rows.map((r) => r.files[0].sha256));
  });
});

describe('batch output formats', () => {
  it('writes PDF and DOCX with --format both; --duplex pads odd documents in the merged PDF', async () => {
    const dir = tmp();
    const recs = [0, 1].map((i) => ({ ...typical, applicant: { ...typical.applicant, name: companies[i] } }));
    writeFileSync(join(dir, 'a.jsonl'), recs.map((r) => JSON.stringify(r)).join('\n'));
    const r = await batch({ input: join(dir, 'a.jsonl'), output: join(dir, 'out'), format: 'both', merge: true, duplex: true });
    expect(r.summary.ok).toBe(2);
    expect(r.manifest.rows[0].files.map((f) => f.file)).toEqual([`${companies[0]}.pdf`, `${companies[0]}.docx`]);
    expect(readFileSync(join(dir, 'out', `${companies[0]}.docx`)).subarray(0, 2).toString()).toBe('PK');
    const merged = await PDFDocument.load(readFileSync(join(dir, 'out', 'merged.pdf')));
    expect(merged.getPageCount()).toBe(4); // two one-page forms, each followed by a blank back
    await expect(runBatch({ kind: 'application', input: join(dir, 'a.jsonl'), output: join(dir, 'x'), format: 'docx', merge: true })).rejects.toThrow(/--merge/);
    await expect(runBatch({ kind: 'application', input: join(dir, 'a.jsonl'), output: join(dir, 'x'), format: 'odt' })).rejects.toThrow(/不支持的输出格式/);
  });
});

describe('batch validation', () => {
  it('reports invalid rows with their row number and the field label, renders the others, exits non-zero', async () => {
    const dir = tmp();
    const { header, rows } = applicationRows(4);
    const nameCol = header.indexOf('申请单位名称');
    const codeCol = header.indexOf('统一社会信用代码');
    rows[1][nameCol] = '';
    rows[3][codeCol] = '91411300MA44ABCD5X';
    const file = join(dir, 'a.csv');
    writeFileSync(file, stringify([header, ...rows]));
    const r = await batch({ input: file, output: join(dir, 'out') });
    expect(r.summary).toEqual({ ok: 2, unchanged: 0, invalid: 2, failed: 0 });
    expect(r.problems.some((p) => p.startsWith('序号 2（输入第 3 行）') && p.includes('申请单位名称'))).toBe(true);
    expect(r.problems.some((p) => p.startsWith('序号 4（输入第 5 行）') && p.includes('统一社会信用代码'))).toBe(true);
    const bad = r.manifest.rows.find((x) => x.number === 2)!;
    expect(bad.status).toBe('invalid');
    expect(bad.errors[0]).toMatchObject({ path: '/applicant/name', label: '申请单位名称' });
    expect(pdfsIn(join(dir, 'out'))).toHaveLength(2);

    const cli = spawnSync(process.execPath, [join(packageRoot, 'bin/bangban.js'), 'batch', 'application', file, '-o', join(dir, 'cli'), '--progress', 'lines'], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('序号 2（输入第 3 行）：申请单位名称');
    expect(cli.stderr).toMatch(/进度：4\/4（100%）/);
  }, 180_000); // renders twice, once through the CLI: slow on a busy machine

  it('reports a malformed JSON line by its line number', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.jsonl'), JSON.stringify(typical) + '\n{oops\n');
    const r = await batch({ input: join(dir, 'a.jsonl'), output: join(dir, 'out') });
    expect(r.summary.ok).toBe(1);
    expect(r.problems[0]).toMatch(/^第 2 条（输入第 2 行）：第 2 行: 不是有效的 JSON：第 2 列附近有语法错误/);
  });
});

describe('file names', () => {
  it('are safe on every OS', () => {
    expect(safeFileName('../../etc/x')).toBe('_.._etc_x');
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeFileName('名\u0000称\u001f\u007f')).toBe('名_称__');
    expect(safeFileName('...hidden')).toBe('hidden');
    expect(safeFileName('trailing. ')).toBe('trailing');
    for (const r of ['CON', 'nul', 'Com1', 'LPT9', 'aux.tar']) expect(safeFileName(r)).toBe('_' + r);
    expect(safeFileName('CONSOLE')).toBe('CONSOLE');
    expect(safeFileName('///')).toBe('');
    const long = safeFileName('很长的单位名称'.repeat(40));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(long.startsWith('很长的单位名称')).toBe(true);
    expect(long).not.toContain('\uFFFD');
  });

  it('are unique within a batch, as case-insensitive file systems compare them', () => {
    const u = new UniqueNames(['manifest']);
    expect(['甲', '甲', 'Ab', 'aB', '甲', 'manifest'].map((n) => u.take(n))).toEqual(['甲', '甲-2', 'Ab', 'aB-2', '甲-3', 'manifest-2']);
    const long = '名'.repeat(100);
    const a = u.take(safeFileName(long));
    const b = u.take(safeFileName(long));
    expect(b).not.toBe(a);
    expect(Buffer.byteLength(b)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  });

  it('follow the pattern, by default the one the kind declares', () => {
    expect(compileNamePattern(application).pattern).toBe('{applicant.name}');
    expect(compileNamePattern(getKind('notice')).pattern).toBe('{docNumber}-{applicant.name}');
    expect(compileNamePattern(getKind('authorization')).name(readJsonFile(join(fixturesDir, 'authorization/typical.json')), 1)).toMatch(/^[^-{}]+-[^-{}]+$/);
    const p = compileNamePattern(application, '{序号}-{申请单位名称}-{applicationDate}');
    expect(p.name(typical, 7)).toBe(`7-${typical.applicant.name}-2026-03-02`);
    expect(compileNamePattern(application, '{applicant.name}').name({}, 5)).toBe('5');
    expect(() => compileNamePattern(application, '{nope}')).toThrow(/nope/);
  });

  it('never leave the output folder, whatever the data says', async () => {
    const dir = tmp();
    const out = join(dir, 'deep', 'out');
    const names = ['../../etc/x', '../../etc/x', 'CON', '...', 'a:b*c?', '甲公司', '甲公司']; // "." and ".." are refused by validation
    const recs = names.map((name) => ({ ...typical, applicant: { ...typical.applicant, name } }));
    writeFileSync(join(dir, 'a.jsonl'), recs.map((r) => JSON.stringify(r)).join('\n'));
    const r = await batch({ input: join(dir, 'a.jsonl'), output: out, name: '{applicant.name}' });
    expect(r.summary.ok).toBe(7);
    const files = r.manifest.rows.map((x) => x.files[0].file);
    expect(files).toEqual(['_.._etc_x.pdf', '_.._etc_x-2.pdf', '_CON.pdf', '4.pdf', 'a_b_c_.pdf', '甲公司.pdf', '甲公司-2.pdf']);
    expect(readdirSync(join(dir, 'deep'))).toEqual(['out']);
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'deep']);
    for (const f of files) expect(resolve(out, f).startsWith(resolve(out) + '/')).toBe(true);
  });
});

describe('manifest, resume, merge', () => {
  let dir: string;
  let input: string;
  beforeAll(() => {
    dir = tmp();
    input = join(dir, 'a.csv');
    const { header, rows } = applicationRows(6);
    writeFileSync(input, stringify([header, ...rows]));
  });

  it('lists every row with its files and their SHA-256, in CSV and JSON', async () => {
    const out = join(dir, 'out');
    const r = await batch({ input, output: out, merge: true, jobs: 2 });
    expect(r.summary.ok).toBe(6);
    expect(r.manifest.complete).toBe(true);
    expect(r.manifest.rows.map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const row of r.manifest.rows) {
      expect(row.row).toBe(row.number + 1);
      const f = row.files[0];
      expect(f.format).toBe('pdf');
      const bytes = readFileSync(join(out, f.file));
      expect(sha(bytes)).toBe(f.sha256);
      expect(bytes.byteLength).toBe(f.bytes);
    }
    const csv = readFileSync(join(out, 'manifest.csv'), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('number,row,status,files,sha256,errors,warnings');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain(`1,2,ok,${r.manifest.rows[0].files[0].file},${r.manifest.rows[0].files[0].sha256}`);
    expect(lines[1]).toContain('经办人 (/handler/name)'); // the rule's warning rides along
    expect(readdirSync(out).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('merges the batch into one PDF, in input order, page for page', async () => {
    const out = join(dir, 'out');
    const m = readManifest(out);
    const merged = await PDFDocument.load(readFileSync(join(out, 'merged.pdf')));
    let pages = 0;
    for (const row of m.rows) pages += (await PDFDocument.load(readFileSync(join(out, row.files[0].file)))).getPageCount();
    expect(merged.getPageCount()).toBe(pages);
    expect(sha(readFileSync(join(out, 'merged.pdf')))).toBe(m.merged!.sha256);
  });

  it('a merged PDF that cannot be written is reported in Chinese after the rows are recorded', async () => {
    const out = join(tmp(), 'out');
    mkdirSync(join(out, 'merged.pdf'), { recursive: true }); // a folder where the file should go
    await expect(batch({ input, output: out, merge: true })).rejects.toThrow(/merged\.pdf/);
    expect(readManifest(out).rows.map((r) => r.status)).toContain('ok');
    expect(readdirSync(out).filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('skips outputs that are complete and identical; renders changed, missing or tampered ones again', async () => {
    const out = join(dir, 'out');
    const before = readManifest(out);
    const again = await batch({ input, output: out });
    expect(again.summary).toEqual({ ok: 0, unchanged: 6, invalid: 0, failed: 0 });
    expect(again.manifest.rows.map((x) => x.files[0].sha256)).toEqual(before.rows.map((x) => x.files[0].sha256));

    unlinkSync(join(out, before.rows[0].files[0].file));
    writeFileSync(join(out, before.rows[1].files[0].file), 'half a file');
    const { header, rows } = applicationRows(6);
    rows[2][header.indexOf('申请单位地址')] = '南阳市宛城区仲景路 2000 号';
    mkdirSync(join(dir, 'edited'), { recursive: true });
    const changed = join(dir, 'edited', 'a.csv'); // the same spreadsheet, edited: the same batch
    writeFileSync(changed, stringify([header, ...rows]));
    const third = await batch({ input: changed, output: out });
    expect(third.summary).toEqual({ ok: 3, unchanged: 3, invalid: 0, failed: 0 });
    expect(third.manifest.rows.filter((x) => x.status === 'ok').map((x) => x.number)).toEqual([1, 2, 3]);
    expect(sha(readFileSync(join(out, before.rows[1].files[0].file)))).toBe(before.rows[1].files[0].sha256);
  });

  it('a changed wording template (--wording) makes the outputs stale', async () => {
    const notice = allKinds().find((k) => k.name === 'notice');
    if (!notice?.def.wording) return; // the notice kind arrives separately
    const d = tmp();
    const rec = readJsonFile(join(fixturesDir, 'notice/one-material.json'));
    writeFileSync(join(d, 'n.jsonl'), JSON.stringify(rec));
    const wording = join(d, 'my.hbs');
    writeFileSync(wording, readFileSync(join(packageRoot, 'templates', `${notice.def.wording}.hbs`), 'utf8').replace('逾期未补正的', '逾期仍未补正的'));
    const o = { kind: 'notice', input: join(d, 'n.jsonl'), output: join(d, 'out') };
    const plain = await batch(o);
    expect(plain.summary.ok).toBe(1);
    const reworded = await batch({ ...o, wording });
    expect(reworded.summary.ok).toBe(1);
    expect(reworded.manifest.rows[0].files[0].sha256).not.toBe(plain.manifest.rows[0].files[0].sha256);
    expect((await batch({ ...o, wording })).summary.unchanged).toBe(1);
    writeFileSync(wording, readFileSync(wording, 'utf8').replace('逾期仍未补正的', '逾期未能补正的'));
    expect((await batch({ ...o, wording })).summary.ok).toBe(1);
    await expect(batch({ ...o, kind: 'application', wording })).rejects.toThrow(/--wording/);
  });

  it('an interrupted run leaves no partial file, records what finished, and the next run picks up', async () => {
    const out = join(dir, 'interrupted');
    const controller = new AbortController();
    const r = await batch({
      input,
      output: out,
      jobs: 1,
      progress: { start() {}, update: (n) => n >= 1 && controller.abort(), stop() {} },
      signal: controller.signal,
    });
    expect(r.interrupted).toBe(true);
    expect(r.manifest.complete).toBe(false);
    const finished = r.manifest.rows.filter((x: ManifestRow) => x.status === 'ok');
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(6);
    const files = readdirSync(out);
    expect(files.sort()).toEqual([...finished.map((x) => x.files[0].file), 'manifest.csv', 'manifest.json'].sort());
    for (const row of finished) expect(sha(readFileSync(join(out, row.files[0].file)))).toBe(row.files[0].sha256);
    const resumed = await batch({ input, output: out });
    expect(resumed.summary.unchanged).toBe(finished.length);
    expect(resumed.summary.ok).toBe(6 - finished.length);
  });
});

describe('template and progress', () => {
  it('writes an xlsx with headers, an example row and a notes sheet', async () => {
    const dir = tmp();
    const file = join(dir, 't.xlsx');
    await writeTemplate(application, file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const [records, notes] = wb.worksheets;
    expect((records.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['序号', '申请单位名称', '申请单位地址']);
    expect(records.getRow(2).getCell(2).value).toBe(typical.applicant.name);
    expect(notes.name).toBe('填写说明');
    expect(existsSync(file)).toBe(true);
  });

  it('writes a CSV template plus one CSV per list, which read back (--items) as the demo record', async () => {
    const kind = getKind('roster');
    const dir = tmp();
    const files = await writeTemplate(kind, join(dir, 'r.csv'));
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['r.csv', 'r-科室及人员.csv']);
    expect(readFileSync(files[1], 'utf8')).toMatch(/^\uFEFF序号,科室,人员\r?\n1,行政审批服务科,李锦锦、李智斌、李广佳、丁选香/);
    const s = await openSource(kind, files[0], [files[1]]);
    const records: unknown[] = [];
    for await (const r of s.rows()) records.push(r.record);
    expect(records).toEqual([readJsonFile(join(fixturesDir, kind.def.demoFixture))]);
  });

  it('prints plain progress lines when not on a terminal', () => {
    const lines: string[] = [];
    const p = lineProgress((s) => lines.push(s), 0);
    p.start(10);
    p.update(5);
    p.stop();
    expect(lines[0]).toMatch(/^进度：5\/10（50%），每秒 [\d.]+ 份，预计剩余/);
  });
});
