/** Redis servers and worker processes for the queue tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { fixturesDir, packageRoot } from '../../src/core/paths.js';
import { removePrefix } from '../../src/queue/status.js';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** Whether a Redis server answers at `url` (within a second). */
export async function redisAnswers(url = SHARED_REDIS): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** Tests against a real Redis skip when none answers, unless BANGBAN_REQUIRE_TOOLS=1 (CI). */
export async function requireRedis(): Promise<boolean> {
  const up = await redisAnswers();
  if (!up && process.env.BANGBAN_REQUIRE_TOOLS === '1') throw new Error(`no Redis at ${SHARED_REDIS} (BANGBAN_REQUIRE_TOOLS=1)`);
  return up;
}

/** A key prefix of this test run's own, so parallel runs never share a queue. */
export const uniquePrefix = () => `bbtest-${process.pid}-${randomUUID().slice(0, 8)}`;

const bin = join(packageRoot, 'bin', 'bangban.js');

/** A `bangban worker` process; resolves once it has connected. */
export async function startWorkerProcess(url: string, prefix: string, args: string[] = []): Promise<ChildProcess & { log: () => string }> {
  const child = spawn(process.execPath, [bin, 'worker', '--queue', url, '--lock', '3', ...args], { env: { ...process.env, BANGBAN_QUEUE_PREFIX: prefix }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => (log += String(d)));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (log.includes('已启动')) {
        clearInterval(t);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(t);
        reject(new Error(`worker exited: ${log}`));
      }
    }, 50);
  });
  return Object.assign(child, { log: () => log });
}

/** Stop a process and wait for it to be gone. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill(signal);
  return exited;
}

/** A private redis-server (no persistence) on a free port, which a test may stop and start again. */
export class PrivateRedis {
  readonly port = 20000 + Math.floor(Math.random() * 20000);
  readonly url = `redis://127.0.0.1:${this.port}`;
  private child?: ChildProcess;
  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await redisAnswers(this.url)); i++) await new Promise((r) => setTimeout(r, 50));
  }
  async stop(): Promise<void> {
    if (this.child) await stop(this.child, 'SIGKILL');
    this.child = undefined;
  }
}

export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/** A JSONL of `n` notices (names vary) with row `invalidRow` (1-based) missing its applicant. */
export function noticeInput(n: number, invalidRow?: number): string {
  const base = JSON.parse(readFileSync(join(fixturesDir, 'notice/one-material.json'), 'utf8'));
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const r = structuredClone(base);
    r.applicant.name = `南阳市宛城区绿源环保科技有限公司${i}`;
    if (i === invalidRow) delete r.applicant;
    lines.push(JSON.stringify(r));
  }
  const file = join(mkdtempSync(join(tmpdir(), 'bangban-queue-')), 'notices.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const pdfs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort();

/** Same manifest, same files, byte for byte. */
export function expectSameOutput(a: string, b: string): void {
  expect(readFileSync(join(b, 'manifest.json'))).toEqual(readFileSync(join(a, 'manifest.json')));
  expect(readFileSync(join(b, 'manifest.csv'))).toEqual(readFileSync(join(a, 'manifest.csv')));
  expect(pdfs(b)).toEqual(pdfs(a));
  for (const f of pdfs(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
}

/** Remove every key of a test's prefix. */
export const dropPrefix = (prefix: string, url = SHARED_REDIS) => removePrefix({ url, prefix });
