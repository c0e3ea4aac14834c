import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { noStack } from './helpers/cli.js';

/** The built command (npm test builds first), as a user runs it. */
function bangban(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/bangban.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bangban parse / ingest / render --fillable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bangban-parse-'));

  it('parse: exit 0 and one JSON object for a valid form', () => {
    const pdf = join(dir, 'typical.pdf');
    expect(bangban('render', 'application', 'fixtures/application/typical.json', '-o', pdf).code).toBe(0);
    const r = bangban('parse', pdf);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['file', 'kind', 'source', 'record', 'valid', 'errors', 'warnings', 'fields', 'needsReview', 'pages']);
    expect(j.record).toEqual(JSON.parse(readFileSync('fixtures/application/typical.json', 'utf8')));
    // where it was read: its cell, as fractions of the page (test/parse-boxes-position.test.ts)
    expect(j.fields['/applicant/name']).toEqual({ confidence: 1, page: 1, box: { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) } });
    expect(j.pages).toEqual([{ index: 0, width: 595.28, height: 841.89, rotation: 0 }]);
  });

  it('parse: exit 1 with the record (bad values kept) when invalid; exit 2 with JSON error and one stderr line when unreadable', async () => {
    const form = join(dir, 'form.pdf');
    expect(bangban('render', 'application', '--fillable', '-o', form).code).toBe(0);
    const doc = await PDFDocument.load(readFileSync(form));
    doc.getForm().getTextField('applicant.name').setText('某公司');
    doc.getForm().getTextField('handler.phone').setText('1234-99');
    const bad = join(dir, 'bad.pdf');
    writeFileSync(bad, await doc.save({ updateFieldAppearances: false }));
    const r = bangban('parse', bad);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.source).toBe('fields');
    expect(j.record.handler.phone).toBe('1234-99');
    expect(j.errors.some((e: { path: string }) => e.path === '/handler/phone')).toBe(true);

    const junk = join(dir, 'junk.pdf');
    writeFileSync(junk, '%PDF-1.7\n garbage');
    const u = bangban('parse', junk);
    expect(u.code).toBe(2);
    expect(JSON.parse(u.stdout).error).toMatch(/\S/);
    expect(u.stderr).toContain(JSON.parse(u.stdout).error);
    expect(u.stderr.trim().split('\n')).toHaveLength(1);
    noStack(u.stderr);
    const missing = bangban('parse', join(dir, 'nope.pdf'));
    expect(missing.code).toBe(2);
    noStack(missing.stderr);
  });

  it('ingest: summary, problem report, outputs', () => {
    const out = join(dir, 'out');
    const r = bangban('ingest', dir, '-o', join(out, 'records.jsonl'), '--csv', join(out, 'r.csv'), '--xlsx', join(out, 'r.xlsx'), '-j', '1');
    // junk.pdf, and form.pdf: the fillable form left blank is no record
    expect(r.stdout).toMatch(/读取 \d+ 个文件：有效 1，无效 \d+，无法读取 2/);
    expect(r.stdout).toContain('junk.pdf');
    expect(r.stdout).toMatch(/form\.pdf：无法读取 — 这是一份空白的/);
    expect(r.code).toBe(1);
    for (const f of ['records.jsonl', 'r.csv', 'r.xlsx']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
