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

it('bangban user add: one-line Chinese refusals (short password, taken name, bad role), the password from standard input', () => {
  const run = (args: string[], input: string) => spawnSync(process.execPath, [join(root, 'bin/bangban.js'), 'user', ...args, '--data', data], { input, encoding: 'utf8' });
  const short = run(['add', '张三'], 'short\n');
  expect(short.status).toBe(2);
  expect(short.stderr.trim()).toBe('错误：密码至少 8 个字符');
  expect(run(['add', '张三', '--role', 'boss'], 'long-enough-1\n').stderr.trim()).toBe('错误：角色应为 staff 或 admin');
  expect(run(['add', '张三', '--role', 'admin'], 'long-enough-1\n').stdout.trim()).toBe('已添加管理员 张三');
  const again = run(['add', '张三'], 'long-enough-1\n');
  expect(again.status).toBe(2);
  expect(again.stderr.trim()).toBe('错误：用户 张三 已存在');
  expect(run(['list'], '').stdout).toMatch(/^张三\tadmin\t/m);
  const port = spawnSync(process.execPath, [join(root, 'bin/bangban.js'), 'serve', '--port', '99999', '--data', data], { encoding: 'utf8' });
  expect(port.status).toBe(2);
  expect(port.stderr.trim()).toBe('错误：端口应为 0–65535 的整数');
});
