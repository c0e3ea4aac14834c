// Queue mode against the local pool: throughput with 1, 2 and 4 worker processes (one thread each)
// against the local worker-thread pool with as many threads, the queue's own cost per job, and a
// byte-for-byte check of a 1,000-row batch through 2 workers against the local run.
//
// Run after `npm run build`, with Redis at --redis (default redis://127.0.0.1:6379):
//   node bench/queue.js [--rows 300] [--runs 3] [--procs 1,2,4] [--stub-rows 2000] [--check 1000] [--write docs/scale-out.md]
// Rates are steady-state: rows from the first 10 % done to the last, so that neither side's start
// (threads parsing fonts, workers connecting) is counted. Medians of --runs runs, local and queue
// interleaved so that both see the same load.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fmt } from './lib.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const url = opt('--redis', 'redis://127.0.0.1:6379');
const ROWS = Number(opt('--rows', 300));
const RUNS = Number(opt('--runs', 3));
const PROCS = opt('--procs', '1,2,4').split(',').map(Number).filter((p) => p > 0); // --procs 0: no scaling runs
const STUB_ROWS = Number(opt('--stub-rows', 2000));
const CHECK = Number(opt('--check', 1000));
const prefix = `bbbench-${randomUUID().slice(0, 8)}`;

const { runBatch } = await import(join(root, 'dist/batch/run.js'));
const { queueExecutor } = await import(join(root, 'dist/queue/batch.js'));
const { removePrefix } = await import(join(root, 'dist/queue/status.js'));
const { Redis } = await import('ioredis');

const base = JSON.parse(readFileSync(join(root, 'fixtures/notice/one-material.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'bangban-bench-queue-'));
function input(n, tag) {
  const lines = [];
  for (let i = 1; i <= n; i++) {
    const r = structuredClone(base);
    r.applicant.name = `南阳市宛城区绿源环保科技有限公司${tag}${i}`;
    lines.push(JSON.stringify(r));
  }
  const file = join(work, `${tag}-${n}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let outputs = 0;
const out = () => join(work, `out-${++outputs}`);

/** CPU milliseconds used so far by a process (user + system, from /proc). */
const procCpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms
};
let redis;
const redisCpuMs = async () => {
  const info = await redis.info('cpu');
  return ['used_cpu_sys', 'used_cpu_user'].reduce((s, k) => s + Number(info.match(new RegExp(`${k}:([\\d.]+)`))[1]) * 1000, 0);
};

/** Steady-state rows per second of one batch, its CPU per row (this process, its threads and `pids`, and Redis), and its folder. */
async function timed(o, pids = []) {
  const n = o.rows;
  const k = Math.max(1, Math.floor(n / 10));
  let tk = 0;
  let tn = 0;
  const cpu0 = process.cpuUsage();
  const others0 = pids.map(procCpuMs);
  const redis0 = o.executor ? await redisCpuMs() : 0;
  const r = await runBatch({
    ...o,
    kind: 'notice',
    force: true,
    progress: {
      start() {},
      stop() {},
      update(done) {
        if (done === k) tk = performance.now();
        if (done === n) tn = performance.now();
      },
    },
  });
  const cpu = process.cpuUsage(cpu0);
  const others = pids.map(procCpuMs).reduce((s, c, i) => s + c - others0[i], 0);
  const redisMs = o.executor ? (await redisCpuMs()) - redis0 : 0;
  if (r.summary.ok !== n) throw new Error(`only ${r.summary.ok}/${n} rendered: ${r.problems.slice(0, 3).join('; ')}`);
  const own = (cpu.user + cpu.system) / 1000;
  return { rate: (n - k) / ((tn - tk) / 1000), msPerRow: (tn - tk) / (n - k), cpuMsPerRow: (own + others + redisMs) / n, submitterCpuMsPerRow: own / n, workersCpuMsPerRow: others / n, redisCpuMsPerRow: redisMs / n, folder: r.folder };
}

async function startWorkers(p, thread) {
  const ws = [];
  for (let i = 0; i < p; i++) {
    const c = spawn(process.execPath, [join(root, 'bench/queue-worker.js'), url, prefix, thread ?? ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((res, rej) => {
      c.stdout.once('data', res);
      c.once('exit', () => rej(new Error('worker exited')));
    });
    ws.push(c);
  }
  return ws;
}
/** Jobs and rows the workers have done so far (bench/queue-worker.js answers SIGUSR2). */
const workerStats = (ws) =>
  Promise.all(ws.map((c) => new Promise((res) => (c.stdout.once('data', (d) => res(JSON.parse(String(d)))), c.kill('SIGUSR2'))))).then((xs) =>
    xs.reduce((s, x) => ({ jobs: s.jobs + x.completed, rows: s.rows + x.rows }), { jobs: 0, rows: 0 }),
  );
const stopWorkers = (ws) => Promise.all(ws.map((c) => new Promise((res) => (c.once('exit', res), c.kill('SIGTERM')))));

async function queued(p, o, thread) {
  const ws = await startWorkers(p, thread);
  try {
    // warm the workers' threads (fonts parsed once per thread) before timing
    await runBatch({ kind: 'notice', input: input(p * 4, `warm${p}`), output: out(), executor: queueExecutor({ url, prefix }), workerFile: o.workerFile, force: true });
    const before = await workerStats(ws);
    const t = await timed({ ...o, executor: queueExecutor({ url, prefix }) }, ws.map((c) => c.pid));
    const after = await workerStats(ws);
    return { ...t, jobs: after.jobs - before.jobs, rows: after.rows - before.rows };
  } finally {
    await stopWorkers(ws);
  }
}

const load0 = loadavg()[0];
redis = new Redis(url);
const lines = [];
const log = (s) => (console.log(s), lines.push(s));

// --- scaling
const rowsFile = input(ROWS, 'scale');
const table = [];
for (const p of PROCS) {
  const local = [];
  const queue = [];
  for (let r = 0; r < RUNS; r++) {
    local.push(await timed({ input: rowsFile, rows: ROWS, output: out(), jobs: p }));
    queue.push(await queued(p, { input: rowsFile, rows: ROWS, output: out() }));
    console.error(`  ${p} process(es), run ${r + 1}: local ${fmt(local.at(-1).rate)}/s, queue ${fmt(queue.at(-1).rate)}/s; CPU ms/row local ${fmt(local.at(-1).cpuMsPerRow)}, queue ${fmt(queue.at(-1).cpuMsPerRow)}`);
  }
  const m = (xs, key) => median(xs.map((x) => x[key]));
  table.push({ p, local: m(local, 'rate'), queue: m(queue, 'rate'), ratios: local.map((l, i) => queue[i].rate / l.rate), localCpu: m(local, 'cpuMsPerRow'), queueCpu: m(queue, 'cpuMsPerRow') });
}

// --- the queue's own cost per job: stand-in renderers on both sides, 1 thread / 1 worker
const stubFile = input(STUB_ROWS, 'stub');
const stub = { local: [], queue: [], localCpu: [], queueCpu: [], submitterCpu: [], workersCpu: [], redisCpu: [], rowsPerJob: [] };
for (let r = 0; r < RUNS; r++) {
  const l = await timed({ input: stubFile, rows: STUB_ROWS, output: out(), jobs: 1, workerFile: join(root, 'bench/queue-stub-local.js') });
  const q = await queued(1, { input: stubFile, rows: STUB_ROWS, output: out() }, join(root, 'bench/queue-stub-thread.js'));
  stub.local.push(l.msPerRow);
  stub.queue.push(q.msPerRow);
  stub.localCpu.push(l.cpuMsPerRow);
  stub.queueCpu.push(q.cpuMsPerRow);
  stub.submitterCpu.push(q.submitterCpuMsPerRow);
  stub.workersCpu.push(q.workersCpuMsPerRow);
  stub.redisCpu.push(q.redisCpuMsPerRow);
  stub.rowsPerJob.push(q.rows / q.jobs);
}

// --- byte-for-byte: CHECK rows through 2 workers against the local run
let identical = 'not run';
if (CHECK) {
  const f = input(CHECK, 'check');
  const a = (await timed({ input: f, rows: CHECK, output: out(), jobs: 2 })).folder;
  const b = (await queued(2, { input: f, rows: CHECK, output: out() })).folder;
  const files = readdirSync(a).filter((x) => x.endsWith('.pdf') || x.startsWith('manifest.'));
  const same = files.every((x) => readFileSync(join(a, x)).equals(readFileSync(join(b, x)))) && readdirSync(b).length === readdirSync(a).length;
  identical = same ? `yes (${CHECK} rows, ${files.length} files)` : 'NO';
}
const load1 = loadavg()[0];

log(`Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/queue.js --rows ${ROWS} --runs ${RUNS} --procs ${PROCS.join(',') || 0} --stub-rows ${STUB_ROWS} --check ${CHECK}\` on this 2-core machine (one-page notices; Redis on the same machine; load average ${fmt(load0)} → ${fmt(load1)}, the machine being shared):`);
log('');
log('| processes | local pool, rows/s | queue, rows/s | queue / local (median) | per run | CPU ms per row, local / queue |');
log('| ---: | ---: | ---: | ---: | --- | ---: |');
for (const t of table) log(`| ${t.p} | ${fmt(t.local)} | ${fmt(t.queue)} | ${fmt((t.queue / t.local) * 100, 0)} % | ${t.ratios.map((x) => `${fmt(x * 100, 0)} %`).join(', ')} | ${fmt(t.localCpu)} / ${fmt(t.queueCpu)} |`);
log('');
const m = Object.fromEntries(Object.entries(stub).map(([key, xs]) => [key, median(xs)]));
const perJob = (x) => `${fmt(x * m.rowsPerJob, 2)}`;
log(`The queue's own cost (a stand-in renderer that returns a fixed 2.8 KB file at once, 1 worker process / 1 thread, ${STUB_ROWS} rows, ${fmt(m.rowsPerJob, 1)} rows per job, medians of ${RUNS}):`);
log('');
log('| | local pool, per row | queue, per row | overhead per row | overhead per job |');
log('| --- | ---: | ---: | ---: | ---: |');
log(`| wall ms | ${fmt(m.local, 2)} | ${fmt(m.queue, 2)} | ${fmt(m.queue - m.local, 2)} | ${perJob(m.queue - m.local)} |`);
log(`| CPU ms (all processes and Redis) | ${fmt(m.localCpu, 2)} | ${fmt(m.queueCpu, 2)} | ${fmt(m.queueCpu - m.localCpu, 2)} | ${perJob(m.queueCpu - m.localCpu)} |`);
log('');
log(`The queue's CPU per row by side: submitter ${fmt(m.submitterCpu, 2)} ms (it also writes the files, as the local pool's threads do), worker process ${fmt(m.workersCpu, 2)} ms, Redis ${fmt(m.redisCpu, 2)} ms.`);
log('');
log(`${CHECK} rows through 2 worker processes, byte for byte the same as the local run (PDFs and manifest): ${identical}.`);

const target = opt('--write');
if (target) {
  const doc = readFileSync(target, 'utf8');
  const s = doc.indexOf('<!-- bench:start -->');
  const e = doc.indexOf('<!-- bench:end -->');
  if (s < 0 || e < 0) throw new Error(`${target}: no bench markers`);
  writeFileSync(target, doc.slice(0, s) + '<!-- bench:start -->\n' + lines.join('\n') + '\n' + doc.slice(e));
}

// tidy up: our keys, our files
redis.disconnect();
await removePrefix({ url, prefix });
rmSync(work, { recursive: true, force: true });
