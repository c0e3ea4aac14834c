/**
 * `bangban ingest --queue`: text PDFs (valid, invalid, a notice with a list, a broken file, two files
 * of the same name in different folders) and a scanned photo read by OCR, through one `bangban worker`
 * process against the real Redis, give the same report, JSONL, CSV and XLSX as the local run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { getKind, renderDocument, renderPdf } from '../src/index.js';
import { fixturesDir } from '../src/core/paths.js';
import { queueStatus } from '../src/queue/status.js';
import { cli } from './helpers/cli.js';
import { dropPrefix, requireRedis, SHARED_REDIS as url, startWorkerProcess, stop, uniquePrefix } from './helpers/queue.js';

const up = await requireRedis();
const load = (kind: string, name: string) => JSON.parse(readFileSync(join(fixturesDir, kind, `${name}.json`), 'utf8'));

/** Every sheet of a workbook: its name and its rows' values. */
async function cells(xlsx: Buffer): Promise<[string, unknown[]][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx);
  return wb.worksheets.map((ws) => [ws.name, ws.getSheetValues()]);
}

async function forms(): Promise<{ dir: string; files: number }> {
  const application = getKind('application');
  const dir = mkdtempSync(join(tmpdir(), 'bangban-queue-ingest-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.pdf'), await renderPdf(application, load('application', 'typical')));
  // the same name in another folder: each file's record names its own path
  writeFileSync(join(dir, 'sub', 'a.pdf'), await renderPdf(application, load('application', 'landline-no-guidance')));
  writeFileSync(join(dir, 'notice.pdf'), await renderPdf(getKind('notice'), load('notice', 'six-materials')));
  writeFileSync(join(dir, 'broken.pdf'), 'not a pdf at all');
  // invalid: a fillable form with a bad phone number
  const doc = await PDFDocument.load(await renderDocument(application, load('application', 'typical'), 'pdf', { fillable: true }));
  doc.getForm().getTextField('handler.phone').setText('1234-99');
  writeFileSync(join(dir, 'c.pdf'), await doc.save({ updateFieldAppearances: false }));
  // a photographed form, read by OCR
  copyFileSync(join(fixturesDir, 'scans', 'application-photo.jpg'), join(dir, 'photo.jpg'));
  return { dir, files: 6 };
}

describe.skipIf(!up)('ingest --queue (Redis at 127.0.0.1:6379)', () => {
  const prefix = uniquePrefix();
  afterAll(() => dropPrefix(prefix));

  it('reads through one worker process exactly what a local run reads: report, JSONL, CSV, XLSX', async () => {
    const { dir, files } = await forms();
    const outputs = mkdtempSync(join(tmpdir(), 'bangban-queue-ingest-out-'));
    const run = async (name: string, ...args: string[]) => {
      const out = join(outputs, name);
      mkdirSync(out);
      const r = await cli('ingest', dir, '-o', join(out, 'records.jsonl'), '--csv', join(out, 'records.csv'), '--xlsx', join(out, 'records.xlsx'), '--include-invalid', '--progress', 'none', ...args);
      expect(r.stderr).not.toMatch(/错误/);
      // one file of each kind per output (records.application.jsonl, …) and a CSV per list
      const written = readdirSync(out).sort();
      return { code: r.code, stdout: r.stdout, written, bytes: written.map((f) => readFileSync(join(out, f))) };
    };
    const local = await run('local', '-j', '2');
    // the local run found what the forms hold (so that agreeing with it means something)
    expect(local.code).toBe(1);
    expect(local.stdout).toMatch(/读取 6 个文件：有效 4，无效 1，无法读取 1/);
    expect(local.stdout).toMatch(/broken\.pdf：无法读取/);
    expect(local.stdout).toMatch(/c\.pdf：无效 — 经办人联系电话/);
    expect(local.written.filter((f) => f.endsWith('.jsonl'))).toEqual(['records.application.jsonl', 'records.notice.jsonl']);
    expect(local.written.filter((f) => f.endsWith('.xlsx'))).toEqual(['records.xlsx']); // a sheet per kind
    const jsonl = (r: typeof local) => r.written.flatMap((f, i) => (f.endsWith('.jsonl') ? r.bytes[i].toString().trim().split('\n') : []));
    expect(jsonl(local)).toHaveLength(5);

    const worker = await startWorkerProcess(url, prefix);
    process.env.BANGBAN_QUEUE_PREFIX = prefix;
    try {
      const queued = await run('queued', '--queue', url);
      expect(queued.code).toBe(local.code);
      expect(queued.stdout).toBe(local.stdout);
      expect(queued.written).toEqual(local.written);
      expect(jsonl(queued)).toEqual(jsonl(local));
      // byte for byte, but the workbook (its zip and properties carry the time it was written): cell by cell
      for (const [i, f] of local.written.entries()) {
        if (f.endsWith('.xlsx')) expect(await cells(queued.bytes[i]), f).toEqual(await cells(local.bytes[i]));
        else expect(queued.bytes[i].equals(local.bytes[i]), f).toBe(true);
      }
      // the worker read every file, one job each, nothing failed or retried
      const s = await queueStatus({ url, prefix });
      expect(s.queues).toHaveLength(1);
      expect(s.queues[0]).toMatchObject({ waiting: 0, active: 0, failed: 0, completed: files });
      expect(worker.log()).not.toMatch(/失败/);
    } finally {
      delete process.env.BANGBAN_QUEUE_PREFIX;
      expect(await stop(worker)).toBe(0);
    }
  }, 300_000);
});
