/** The reader with unlucky input: several forms in one file, damaged and encrypted PDFs, limits. */
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile } from '../src/core/io.js';
import { fixturesDir } from '../src/core/paths.js';
import { runBatch } from '../src/batch/run.js';
import { isFormFailure, parseFile, parseFileForms, ParseFailure } from '../src/parse/index.js';
import { ingestFiles, writeOutputs } from '../src/parse/ingest.js';
import { cli, noStack } from './helpers/cli.js';

// spawns the CLI and renders: slow on a busy machine
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const dir = mkdtempSync(join(tmpdir(), 'bangban-robust-'));
const typical = readJsonFile(join(fixturesDir, 'application/typical.json')) as Record<string, any>;
const names = Array.from({ length: 6 }, (_, i) => `南阳市测试环保科技有限公司${i + 1}号`);

function bangban(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/bangban.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Debian tool for making test files; a test needing it skips without it, unless CI requires it. */
function tool(name: string): boolean {
  const ok = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!ok && process.env.BANGBAN_REQUIRE_TOOLS) throw new Error(`${name} is required (BANGBAN_REQUIRE_TOOLS)`);
  return ok;
}

let several: string;
let single: string;
beforeAll(async () => {
  // six applications and a four-page notice, merged into one file as a desk would scan or print them
  const input = join(dir, 'apps.jsonl');
  const notice = readJsonFile(join(fixturesDir, 'notice/thirty-materials.json'));
  writeFileSync(input, names.map((name) => JSON.stringify({ ...typical, applicant: { ...typical.applicant, name } })).join('\n'));
  const r = await runBatch({ kind: 'application', input, output: join(dir, 'apps'), merge: true, jobs: 1 });
  several = r.merged!;
  single = join(dir, 'apps', readdirPdf(join(dir, 'apps'))[0]);
  const n = join(dir, 'n.jsonl');
  writeFileSync(n, JSON.stringify(notice));
  const withNotice = await runBatch({ kind: 'notice', input: n, output: join(dir, 'notice'), merge: true, jobs: 1 });
  const { PDFDocument } = await import('pdf-lib');
  const out = await PDFDocument.create();
  for (const f of [several, withNotice.merged!]) {
    const src = await PDFDocument.load(readFileSync(f));
    for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  }
  several = join(dir, 'several.pdf');
  writeFileSync(several, await out.save());
});

function readdirPdf(d: string): string[] {
  return readdirSync(d).filter((f) => f.endsWith('.pdf') && f !== 'merged.pdf');
}

describe('a PDF holding several forms', () => {
  it('is read form by form, one record each with its pages', async () => {
    const forms = await parseFileForms(several);
    expect(forms).toHaveLength(7);
    expect(forms.map((f) => f.pageRange)).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 10]]);
    expect(forms.slice(0, 6).map((f) => !isFormFailure(f) && (f.record.applicant as { name: string }).name)).toEqual(names);
    const notice = forms[6];
    expect(!isFormFailure(notice) && notice.kind).toBe('notice');
    expect(!isFormFailure(notice) && (notice.record.materials as unknown[]).length).toBe(30);
    // parseFile (one form) refuses such a file instead of returning the first form
    await expect(parseFile(several)).rejects.toThrow(/文件里有 7 份表单（第 1–1 页、.*第 7–10 页）/);
  });

  it('parse prints a JSON array for it and an object, as before, for a one-form file', async () => {
    const r = await cli('parse', several);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout);
    expect(all).toHaveLength(7);
    expect(all[1]).toMatchObject({ kind: 'application', valid: true, pageRange: [2, 2] });
    const one = JSON.parse((await cli('parse', single)).stdout);
    expect(Array.isArray(one)).toBe(false);
    expect(one.pageRange).toBeUndefined();
  });

  it('ingest writes one record per form, naming its pages', async () => {
    const r = await ingestFiles([several, single], { jobs: 1 });
    expect(r.summary).toMatchObject({ read: 2, forms: 8, valid: 8 });
    const csv = join(dir, 'r.csv');
    await writeOutputs(r, { jsonl: join(dir, 'r.jsonl'), csv });
    expect(readFileSync(join(dir, 'r.application.jsonl'), 'utf8').trim().split('\n')).toHaveLength(7);
    expect(readFileSync(join(dir, 'r.application.csv'), 'utf8')).toContain('several.pdf（第 3–3 页）');
    const c = bangban('ingest', several, '-o', join(dir, 'cli.jsonl'), '--progress', 'lines');
    expect(c.stdout).toMatch(/读取 1 个文件（7 份表单）：有效 7/);
    expect(c.stderr).toMatch(/进度：1\/1（100%）/);
  });

  it('a file over the page limit is refused, the limit named', async () => {
    const e = await parseFileForms(several, { limits: { maxPages: 5 } }).catch((x) => x);
    expect(e).toBeInstanceOf(ParseFailure);
    expect(e.code).toBe('too-many-pages');
    expect(e.message).toBe('PDF 共 10 页，超过一次读取的上限 5 页：请拆分成几个文件再读');
  });
});

describe('damaged files: exit 0, 1 or 2, always with a Chinese reason', () => {
  it('truncated, a flipped byte in an uncompressed content stream, garbage, empty', async () => {
    const bytes = readFileSync(single);
    const cases: Record<string, Buffer> = {
      'truncated.pdf': bytes.subarray(0, bytes.length >> 1),
      'head-only.pdf': bytes.subarray(0, 600),
      'garbage.pdf': Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256))]),
      'empty.pdf': Buffer.alloc(0),
      'bad.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), Buffer.alloc(300, 7)]),
    };
    if (tool('qpdf')) {
      spawnSync('qpdf', ['--qdf', '--object-streams=disable', single, join(dir, 'qdf.pdf')]);
      const q = readFileSync(join(dir, 'qdf.pdf'));
      const at = q.indexOf('stream\n', q.indexOf('/Length')) + 40;
      const flipped = Buffer.from(q);
      flipped[at] ^= 0xff;
      cases['flipped.pdf'] = flipped;
    }
    for (const [name, b] of Object.entries(cases)) {
      writeFileSync(join(dir, name), b);
      const r = await cli('parse', join(dir, name));
      expect([0, 1, 2], name).toContain(r.code);
      noStack(r.stderr);
      if (r.code === 2) {
        expect(JSON.parse(r.stdout).error, name).toMatch(/[\u4e00-\u9fff]/);
        // no library English left in the reason
        expect(r.stderr.replace(join(dir, name), ''), name).not.toMatch(/[A-Za-z]{5,}/);
      }
    }
  });
});

describe('owner-password-only PDFs (open without a password)', () => {
  it('are read: text layer and form fields, AES-256, AES-128 and RC4', async () => {
    if (!tool('qpdf')) return;
    const fillable = join(dir, 'fillable.pdf');
    expect((await cli('render', 'application', 'fixtures/application/typical.json', '--fillable', '-o', fillable)).code).toBe(0);
    for (const [how, args] of Object.entries({ aes256: ['256'], aes128: ['128', '--use-aes=y'], rc4: ['128', '--use-aes=n'] })) {
      for (const [what, src, source] of [['text', single, 'text'], ['fields', fillable, 'fields']] as const) {
        const enc = join(dir, `${how}-${what}.pdf`);
        expect(spawnSync('qpdf', ['--allow-weak-crypto', '--encrypt', '', 'owner', ...args, '--', src, enc]).status).toBe(0);
        const j = await parseFile(enc);
        expect(j.source, `${how} ${what}`).toBe(source);
        expect(j.record.applicant.name).toBe(what === 'text' ? names[0] : typical.applicant.name);
      }
    }
    // a user password is still a user password
    const locked = join(dir, 'locked.pdf');
    spawnSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', single, locked]);
    const r = await cli('parse', locked);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PDF 需要密码才能打开');
  });
});

describe('scans of several forms in one PDF', () => {
  it('are refused with the pages named, never read into one record', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const one = await PDFDocument.load(readFileSync(join(fixturesDir, 'scans/application-scan.pdf')));
    const two = await PDFDocument.create();
    for (let i = 0; i < 2; i++) for (const p of await two.copyPages(one, one.getPageIndices())) two.addPage(p);
    const file = join(dir, 'two-scanned-forms.pdf');
    writeFileSync(file, await two.save());
    const e = await parseFileForms(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParseFailure);
    expect((e as ParseFailure).code).toBe('several-forms');
    expect((e as ParseFailure).message).toMatch(/2 份表单（第 1、2 页各起一份）/);
  });
});
