/** Uploads to the desk over HTTP: scans to review, batches with progress, and the bad files of issue 15. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { startDesk, client, serve } from './helpers/desk.js';
import { getKind, writeSpreadsheetTemplate } from '../src/index.js';

const root = new URL('..', import.meta.url).pathname;
const notice = JSON.parse(readFileSync(join(root, 'fixtures/notice/one-material.json'), 'utf8'));
const truth = JSON.parse(readFileSync(join(root, 'fixtures/scans/application-hand-seal.truth.json'), 'utf8'));

function form(files: [string, Uint8Array | string][], field = 'files'): FormData {
  const fd = new FormData();
  for (const [name, bytes] of files) fd.append(field, new Blob([bytes]), name);
  return fd;
}

const noticeRows = (n: number, bad: number[] = []) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ ...notice, docNumber: `宛环审告〔2026〕${i + 1}号`, contact: bad.includes(i + 1) ? { name: '李智斌', phone: '123' } : notice.contact })).join('\n');

/** A PNG whose header says 20,000 × 20,000 pixels (the pixels themselves never come). */
function hugePng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr[8] = 8; // 8 bits, greyscale
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(20001 * 4))), chunk('IEND', Buffer.alloc(0))]);
}

/** A one-page PDF whose content stream inflates from ~150 KB to 150 MB. */
function flateBomb(): Buffer {
  const data = deflateSync(Buffer.alloc(150 * 1024 * 1024, 0x20), { level: 9 });
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let len = 0;
  const push = (b: Buffer | string) => {
    const x = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(x);
    len += x.length;
  };
  push('%PDF-1.4\n');
  const obj = (n: number, body: string, stream?: Buffer) => {
    offsets[n] = len;
    push(`${n} 0 obj\n${body}\n`);
    if (stream) (push('stream\n'), push(stream), push('\nendstream\n'));
    push('endobj\n');
  };
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>');
  obj(4, `<< /Length ${data.length} /Filter /FlateDecode >>`, data);
  const xref = len;
  push(`xref\n0 5\n0000000000 65535 f \n${[1, 2, 3, 4].map((n) => `${String(offsets[n]).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

describe('desk uploads', () => {
  let d: Awaited<ReturnType<typeof startDesk>>;
  beforeAll(async () => {
    d = await startDesk();
  });
  afterAll(async () => d?.close());

  it('ingest: a scan is read in a worker, flagged fields listed; corrected and accepted it becomes a case (once); a rejected file keeps its reason', async () => {
    const c = await d.login();
    const scan = readFileSync(join(root, 'fixtures/scans/application-hand-seal.jpg'));
    const pdf = await (await c.fetch('/api/documents/application?format=pdf', { method: 'POST', json: truth })).arrayBuffer();
    const r = await c.json('/api/ingest', { method: 'POST', body: form([['申请表扫描.jpg', scan], ['申请表.pdf', new Uint8Array(pdf)]]) });
    expect(r.status).toBe(201);
    const [s, p] = r.body.items;
    expect(s.status).toBe('parsed');
    expect(s.kind).toBe('application');
    expect(s.result.source).toBe('ocr');
    expect(s.result.needsReview.length).toBeGreaterThan(0);
    for (const ptr of s.result.needsReview) if (s.result.fields[ptr]) expect(s.result.fields[ptr].page).toBe(1);
    expect(p.result.source).toBe('text');
    expect(p.result.record).toEqual(truth);
    const img = await c.fetch(`/api/ingest/${s.id}/image`);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    const bad = await c.json(`/api/ingest/${s.id}/accept`, { method: 'POST', json: { record: { ...truth, applicant: { ...truth.applicant, creditCode: '91411300MA44ABCD5K' } } } });
    expect(bad.status).toBe(422);
    expect(bad.body[0].message).toBe('校验码错误，应为 J');
    const twice = await Promise.all([1, 2].map(() => c.json(`/api/ingest/${s.id}/accept`, { method: 'POST', json: { record: truth } })));
    expect(twice[0].body.caseId).toBe(twice[1].body.caseId);
    expect((await c.json(`/api/cases/${twice[0].body.caseId}`)).body.case.record).toEqual(truth);
    expect((await c.json(`/api/ingest/${p.id}/reject`, { method: 'POST', json: { reason: '缺少公章' } })).status).toBe(200);
    const list = (await c.json('/api/ingest')).body;
    expect(list.find((i: any) => i.id === p.id)).toMatchObject({ status: 'rejected', reason: '缺少公章' });
  });

  it('bad files: a name that lies about the content, ../ in names, a 20,000×20,000 image, a 500-page PDF, a flate bomb — refused with reasons, the desk stays up, nothing written outside the data folder', async () => {
    const c = await d.login();
    const many = await PDFDocument.create();
    for (let i = 0; i < 500; i++) many.addPage();
    const started = Date.now();
    const r = await c.json('/api/ingest', {
      method: 'POST',
      body: form([
        ['scan.pdf', 'this is a text file, not a PDF'],
        ['../../../../tmp/evil-upload.jpg', '<html><script>alert(1)</script></html>'],
        ['big.png', hugePng()],
        ['many.pdf', await many.save()],
        ['bomb.pdf', flateBomb()],
      ]),
    });
    expect(r.status).toBe(201);
    const [lie, dots, huge, pages, bomb] = r.body.items;
    expect(lie).toMatchObject({ status: 'failed', fileName: 'scan.pdf' });
    expect(lie.reason).toMatch(/文件内容不是 PDF 或图像/);
    expect(dots.fileName).toBe('evil-upload.jpg');
    expect(dots.status).toBe('failed');
    expect(existsSync('/tmp/evil-upload.jpg')).toBe(false);
    expect(huge.reason).toMatch(/图像尺寸过大（20000×20000 像素/);
    expect(pages.reason).toMatch(/页数过多（500 页/);
    expect(bomb.status).toBe('failed');
    expect(bomb.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(Date.now() - started).toBeLessThan(60_000);
    // stored under ids the desk made, nothing else
    expect(readdirSync(join(d.dataDir, 'ingest')).every((f) => /^[0-9a-f-]{36}$/.test(f))).toBe(true);
    expect((await c.json('/api/me')).status).toBe(200);
    // over the size limit: refused while reading the upload
    const big = await c.json('/api/ingest', { method: 'POST', body: form([['big.pdf', Buffer.alloc(21 * 1024 * 1024)]]) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/上传文件过大/);
    const notMultipart = await c.json('/api/ingest', { method: 'POST', json: {} });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.body.error).toBe('请用 multipart/form-data 上传文件');

  }, 120_000);

  it('batch inputs by content: the spreadsheet template as .xlsx and .csv is read and checked', async () => {
    const c = await d.login();
    const dir = mkdtempSync(join(tmpdir(), 'desk-tpl-'));
    try {
      for (const ext of ['.xlsx', '.csv']) {
        const [file] = await writeSpreadsheetTemplate(getKind('application'), join(dir, `申请表${ext}`));
        const r = await c.json('/api/batches?kind=application', { method: 'POST', body: form([[`数据.txt`, readFileSync(file)]], 'file') });
        expect(r.status, ext).toBe(201);
        expect(r.body.batch.inputExt).toBe(ext);
        expect(r.body.batch.total).toBe(1);
        expect(r.body.batch.result.check.invalid, JSON.stringify(r.body.batch.result.check.problems)).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('batch: rows checked before rendering (row number and label), run with server-sent progress to 100 %, downloads', async () => {
    const c = await d.login();
    const up = await c.json('/api/batches?kind=notice', { method: 'POST', body: form([['告知书.jsonl', noticeRows(30, [4, 17])]], 'file') });
    expect(up.status).toBe(201);
    const b = up.body.batch;
    expect(b.total).toBe(30);
    expect(b.result.check.invalid).toBe(2);
    expect(b.result.check.problems.map((p: any) => [p.number, p.issues[0].label])).toEqual([
      [4, '联系电话'],
      [17, '联系电话'],
    ]);
    expect((await c.json(`/api/batches/${b.id}/run`, { method: 'POST' })).status).toBe(200);
    const events = await c.fetch(`/api/batches/${b.id}/events`);
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const seen: any[] = [];
    const reader = events.body!.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      for (const m of text.matchAll(/^data: (.*)$/gm)) seen.push(JSON.parse(m[1]));
      text = text.slice(text.lastIndexOf('\n\n') + 2);
    }
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ status: 'done', done: 30, total: 30 });
    const done = (await c.json(`/api/batches/${b.id}`)).body.batch;
    expect(done.result.summary).toMatchObject({ ok: 28, invalid: 2 });
    const zip = Buffer.from(await (await c.fetch(`/api/batches/${b.id}/download/zip`)).arrayBuffer());
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    const merged = await c.fetch(`/api/batches/${b.id}/download/merged`);
    expect((await PDFDocument.load(await merged.arrayBuffer())).getPageCount()).toBeGreaterThanOrEqual(28);
    expect(await (await c.fetch(`/api/batches/${b.id}/download/manifest-csv`)).text()).toMatch(/invalid/);
    expect((await c.json(`/api/batches/${b.id}/download/..%2F..%2Fpackage.json`)).status).toBe(404);
    // a file that is not what its name says
    const png = await c.json('/api/batches?kind=notice', { method: 'POST', body: form([['data.csv', hugePng()]], 'file') });
    expect(png.status).toBe(415);
    expect(png.body.error).toMatch(/按内容判断/);
  }, 120_000);
});

describe('a server stopped in the middle of a batch', () => {
  const data = mkdtempSync(join(tmpdir(), 'bangban-crash-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  /** Starts a 300-row batch, stops the server with `signal` once 30 rows are done, restarts, resumes. */
  async function stopAndResume(signal: NodeJS.Signals) {
    let s = await serve(data);
    let c = client(s.base);
    await c.json('/api/login', { method: 'POST', json: { name: 'staff', password: 'staff-pass-1' } });
    const b = (await c.json('/api/batches?kind=notice', { method: 'POST', body: form([['n.jsonl', noticeRows(300)]], 'file') })).body.batch;
    await c.json(`/api/batches/${b.id}/run`, { method: 'POST' });
    let done = 0;
    while (done < 30) {
      await new Promise((r) => setTimeout(r, 200));
      done = (await c.json(`/api/batches/${b.id}`)).body.batch.done;
    }
    s.proc.kill(signal);
    await new Promise((r) => s.proc.once('exit', r));

    s = await serve(data);
    c = client(s.base);
    await c.json('/api/login', { method: 'POST', json: { name: 'staff', password: 'staff-pass-1' } });
    const after = (await c.json(`/api/batches/${b.id}`)).body.batch;
    await c.json(`/api/batches/${b.id}/run`, { method: 'POST' });
    let st = after;
    while (st.status !== 'done' && st.status !== 'failed') {
      await new Promise((r) => setTimeout(r, 500));
      st = (await c.json(`/api/batches/${b.id}`)).body.batch;
    }
    const pdfs = readdirSync(join(data, 'batches', b.id, 'out')).filter((f) => f.endsWith('.pdf') && f !== 'merged.pdf');
    s.proc.kill('SIGTERM');
    await new Promise((r) => s.proc.once('exit', r));
    return { after, st, pdfs };
  }

  it('killed (SIGKILL): reported as interrupted after the restart; resumed, every row is rendered', async () => {
    const add = spawnSync(process.execPath, [join(root, 'bin/bangban.js'), 'user', 'add', 'staff', '--data', data], { input: 'staff-pass-1\n', encoding: 'utf8' });
    expect(add.stdout).toMatch(/已添加工作人员 staff/);
    const { after, st, pdfs } = await stopAndResume('SIGKILL');
    expect(after.status).toBe('interrupted');
    expect(after.error).toMatch(/服务在批量生成过程中停止/);
    expect(st.status).toBe('done');
    expect(st.result.summary.ok + st.result.summary.unchanged).toBe(300);
    expect(pdfs).toHaveLength(300);
  }, 240_000);

  it('stopped (SIGTERM): the rows done are kept and skipped when resumed', async () => {
    const { after, st, pdfs } = await stopAndResume('SIGTERM');
    expect(after.status).toBe('interrupted');
    expect(after.done).toBeGreaterThanOrEqual(30);
    expect(st.status).toBe('done');
    expect(st.result.summary.unchanged).toBeGreaterThanOrEqual(30);
    expect(st.result.summary.ok + st.result.summary.unchanged).toBe(300);
    expect(pdfs).toHaveLength(300);
  }, 240_000);
});
