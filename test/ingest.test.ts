import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { getKind, renderDocument, renderPdf } from '../src/index.js';
import { collectPdfs, ingestFiles, problemReport, writeOutputs } from '../src/parse/ingest.js';
import { openSource } from '../src/batch/sources.js';

const kind = getKind('application');
const load = (n: string) => JSON.parse(readFileSync(`fixtures/application/${n}.json`, 'utf8'));

describe('ingest', () => {
  it('reads a folder: valid, invalid and unreadable files, one bad file never stops the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.pdf'), await renderPdf(kind, load('typical')));
    writeFileSync(join(dir, 'sub', 'b.PDF'), await renderPdf(kind, load('landline-no-guidance')));
    writeFileSync(join(dir, 'broken.pdf'), 'not a pdf at all');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    // invalid: a fillable form with a bad phone number, filled by pdf-lib
    const doc = await PDFDocument.load(await renderDocument(kind, load('typical'), 'pdf', { fillable: true }));
    doc.getForm().getTextField('handler.phone').setText('1234-99');
    writeFileSync(join(dir, 'c.pdf'), await doc.save({ updateFieldAppearances: false }));

    const files = collectPdfs([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.pdf', 'broken.pdf', 'c.pdf', join('sub', 'b.PDF')]);
    const r = await ingestFiles(files, { jobs: 1 });
    expect(r.summary).toEqual({ read: 4, forms: 3, valid: 2, invalid: 1, unreadable: 1 });
    const report = problemReport(r);
    expect(report).toHaveLength(2);
    expect(report.join('\n')).toMatch(/broken\.pdf：无法读取 — 不是 PDF 文件，也不是可识别的图像/);
    expect(report.join('\n')).toMatch(/c\.pdf：无效 — 经办人联系电话 \(\/handler\/phone\)/);

    const out = join(dir, 'out');
    const written = await writeOutputs(r, { jsonl: join(out, 'records.jsonl'), csv: join(out, 'records.csv'), xlsx: join(out, 'records.xlsx') });
    expect(written).toHaveLength(3);
    const lines = readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([load('typical'), load('landline-no-guidance')]);
    const csv = readFileSync(join(out, 'records.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('\uFEFF序号,文件,状态,申请单位名称,申请单位地址,法人或主要负责人,申请单位统一社会信用代码,经办人,经办人联系电话,申请办理政务服务事项名称,全程辅导事项名称,代办内容,申请日期,代办人,代办申请接收时间,问题'.replace('申请单位统一社会信用代码', kind.fieldTitle('/applicant/creditCode')));
    expect(csv).toContain('1234-99');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'records.xlsx'));
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(4).value).toBe('申请单位名称');
    expect(ws.rowCount).toBe(4);
    expect(wb.getWorksheet('无法读取')?.rowCount).toBe(2);
  });

  it('keeps every item of a list (the materials of a notice) in its own sheet and CSV, readable by batch', async () => {
    const notice = getKind('notice');
    const six = JSON.parse(readFileSync('fixtures/notice/six-materials.json', 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
    writeFileSync(join(dir, 'n.pdf'), await renderPdf(notice, six));
    const r = await ingestFiles([join(dir, 'n.pdf')], { jobs: 1 });
    expect(r.summary.valid).toBe(1);
    const parsed = (r.outcomes[0] as Extract<(typeof r.outcomes)[number], { ok: true }>).result.record as typeof six;
    expect(parsed.materials).toEqual(six.materials);
    const out = join(dir, 'out');
    const written = await writeOutputs(r, { csv: join(out, 'n.csv'), xlsx: join(out, 'n.xlsx') });
    expect(written.map((f) => f.slice(out.length + 1))).toEqual(['n.csv', 'n-需补正材料.csv', 'n.xlsx']);
    expect(readFileSync(join(out, 'n-需补正材料.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + six.materials.length);
    for (const input of [join(out, 'n.xlsx'), join(out, 'n.csv')]) {
      const s = await openSource(notice, input, input.endsWith('.csv') ? [join(out, 'n-需补正材料.csv')] : []);
      const back: unknown[] = [];
      for await (const row of s.rows()) back.push(row.record);
      expect(back, input).toEqual([parsed]);
    }
  });
});
