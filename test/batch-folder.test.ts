/** Output folders: another batch's files are kept, one batch at a time, a killed run resumes. */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonFile } from '../src/core/io.js';
import { fixturesDir, packageRoot } from '../src/core/paths.js';
import { runBatch } from '../src/batch/run.js';
import { readManifest } from '../src/batch/manifest.js';
import { cli } from './helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'bangban-folder-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const notice = readJsonFile(join(fixturesDir, 'notice/one-material.json')) as Record<string, unknown>;

/** Notices numbered from..to, one JSON line each. */
function notices(file: string, from: number, to: number): string {
  const lines = [];
  for (let n = from; n <= to; n++) lines.push(JSON.stringify({ ...notice, docNumber: `宛环审告〔2026〕${n}号` }));
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
const pdfs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();

describe('an output folder already holding a batch', () => {
  it('refuses another batch (naming --clean and --force) and keeps every file of the first', async () => {
    const d = tmp();
    const out = join(d, 'out');
    const a = notices(join(d, 'A.jsonl'), 1, 3);
    const b = notices(join(d, 'B.jsonl'), 4, 6);
    expect((await cli('batch', 'notice', a, '-o', out, '--progress', 'none', '-j', '1')).code).toBe(0);
    const first = pdfs(out);
    const hashes = first.map((f) => sha(readFileSync(join(out, f))));
    expect(first).toHaveLength(3);

    const second = await cli('batch', 'notice', b, '-o', out, '--progress', 'none', '-j', '1');
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/另一批文书.*A\.jsonl.*3 个文件.*--clean.*--force/);
    expect(pdfs(out)).toEqual(first);
    expect(first.map((f) => sha(readFileSync(join(out, f))))).toEqual(hashes);
    expect(readManifest(out).input).toBe('A.jsonl');

    // --force: this batch beside the other, whose files stay
    expect((await cli('batch', 'notice', b, '-o', out, '--progress', 'none', '-j', '1', '--force')).code).toBe(0);
    expect(pdfs(out)).toHaveLength(6);
    expect(first.map((f) => sha(readFileSync(join(out, f))))).toEqual(hashes);
    // and the same batch again resumes as before
    expect((await cli('batch', 'notice', b, '-o', out, '--progress', 'none', '-j', '1')).stdout).toMatch(/未变跳过 3 份/);

    // --clean: the recorded batch's files go (others stay), then this one is written
    writeFileSync(join(out, '备注.txt'), 'mine');
    expect((await cli('batch', 'notice', a, '-o', out, '--progress', 'none', '-j', '1', '--clean')).code).toBe(0);
    expect(pdfs(out)).toEqual(first);
    expect(readManifest(out).rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(readFileSync(join(out, '备注.txt'), 'utf8')).toBe('mine');
  });

  it('lets one batch at a time write into a folder; the other is refused and nothing is lost', async () => {
    const d = tmp();
    const out = join(d, 'out');
    const a = notices(join(d, 'A.jsonl'), 1, 4);
    const runs = await Promise.allSettled([runBatch({ kind: 'notice', input: a, output: out, jobs: 1 }), runBatch({ kind: 'notice', input: a, output: out, jobs: 1 })]);
    const refused = runs.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(refused).toHaveLength(1);
    expect(String(refused[0].reason.message)).toMatch(/正由另一个 bangban batch 使用（进程 \d+/);
    expect(readManifest(out).rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(pdfs(out)).toHaveLength(4);
    expect(readdirSync(out).filter((f) => f.includes('lock') || f.includes('.partial'))).toEqual([]);
    // released: the next run gets the folder
    expect((await runBatch({ kind: 'notice', input: a, output: out, jobs: 1 })).summary.unchanged).toBe(4);
  });

  it('resumes from the rows a run killed (kill -9) before its first manifest finished', async () => {
    const ROWS = 400;
    const d = tmp();
    const out = join(d, 'out');
    // Enough rows, and the child at the lowest priority, that a busy machine starving this test's
    // polling cannot let the run finish before it is killed (CI once saw all 120 of 120 rows done).
    const a = notices(join(d, 'A.jsonl'), 1, ROWS);
    const child = spawn(process.execPath, [join(packageRoot, 'bin/bangban.js'), 'batch', 'notice', a, '-o', out, '-j', '1', '--progress', 'none'], { stdio: 'ignore' });
    try {
      setPriority(child.pid!, 19);
    } catch {
      /* not permitted here: the row count alone must do */
    }
    const partial = join(out, 'manifest.json.partial');
    const rowsIn = () => (existsSync(partial) ? readFileSync(partial, 'utf8').split('\n').filter((l) => l.includes('"number"')).length : 0);
    const t0 = Date.now();
    while (rowsIn() < 3 && Date.now() - t0 < 50_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const killedAt = rowsIn();
    expect(killedAt).toBeGreaterThanOrEqual(3);
    expect(killedAt).toBeLessThan(ROWS);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    expect(existsSync(join(out, '.bangban.lock'))).toBe(true); // left by the killed process: taken over

    const resumed = await runBatch({ kind: 'notice', input: a, output: out, jobs: 1 });
    expect(resumed.summary.unchanged).toBeGreaterThanOrEqual(killedAt);
    expect(resumed.summary.ok + resumed.summary.unchanged).toBe(ROWS);
    const m = readManifest(out);
    expect(m.rows).toHaveLength(ROWS);
    for (const r of m.rows) expect(sha(readFileSync(join(out, r.files[0].file)))).toBe(r.files[0].sha256);
    expect(readdirSync(out).filter((f) => !f.endsWith('.pdf')).sort()).toEqual(['manifest.csv', 'manifest.json']);
  });
});
