/** Two desk servers on one SQLite data folder issue notices at once: one sequence, no gap, no number twice. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { client, serve } from './helpers/desk.js';

const root = new URL('..', import.meta.url).pathname;
const app = JSON.parse(readFileSync(join(root, 'fixtures/application/typical.json'), 'utf8'));
const { docNumber: _, applicant: __, serviceItem: ___, ...notice } = JSON.parse(readFileSync(join(root, 'fixtures/notice/one-material.json'), 'utf8'));
const data = mkdtempSync(join(tmpdir(), 'bangban-seq-'));
const procs: { proc: { kill: (s: string) => void } }[] = [];
afterAll(() => {
  for (const p of procs) p.proc.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
});

it('two server processes on the same SQLite file take consecutive 文号 without duplicates', async () => {
  spawnSync(process.execPath, [join(root, 'bin/bangban.js'), 'user', 'add', 'staff', '--data', data], { input: 'staff-pass-1\n' });
  const servers = [await serve(data), await serve(data)];
  procs.push(...servers);
  const clients = await Promise.all(
    servers.map(async (s) => {
      const c = client(s.base);
      await c.json('/api/login', { method: 'POST', json: { name: 'staff', password: 'staff-pass-1' } });
      return c;
    }),
  );
  const id = (await clients[0].json('/api/cases', { method: 'POST', json: { record: app } })).body.case.id;
  const issued = await Promise.all(Array.from({ length: 30 }, (_, i) => clients[i % 2].json(`/api/cases/${id}/documents/notice`, { method: 'POST', json: { record: notice } })));
  expect(issued.every((r) => r.status === 201)).toBe(true);
  const seqs = issued.map((r) => Number(/〕(\d+)号/.exec(r.body.document.docNumber)![1])).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
}, 120_000);
