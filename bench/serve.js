// The desk under load (run `npm run build` first): `node bench/serve.js [seconds] [--render-only] [--threads N]`.
// 1. POST /api/documents/application?format=pdf at 20 concurrent clients: every request a different
//    record (no cache hit), then the same record (the render cache), latency p50/p95/p99 and errors.
// 2. The desk's pages (GET /api/cases, GET /, GET /app.js) at 5 clients while a 10,000-row batch
//    and OCR ingests of a scan run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { quantile, fmt } from './lib.js';

const root = new URL('..', import.meta.url).pathname;
const seconds = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 15);
const renderOnly = process.argv.includes('--render-only');
const threads = process.argv.includes('--threads') ? ['--threads', process.argv[process.argv.indexOf('--threads') + 1]] : [];
const app = JSON.parse(readFileSync(join(root, 'fixtures/application/typical.json'), 'utf8'));
const notice = JSON.parse(readFileSync(join(root, 'fixtures/notice/one-material.json'), 'utf8'));
const scan = readFileSync(join(root, 'fixtures/scans/application-hand-seal.jpg'));
const data = mkdtempSync(join(tmpdir(), 'bangban-bench-'));
const bin = join(root, 'bin/bangban.js');

spawnSync(process.execPath, [bin, 'user', 'add', 'bench', '--data', data], { input: 'bench-pass-1\n' });
// BENCH_SERVE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof": node options of the desk's process (to profile it)
const proc = spawn(process.execPath, [...(process.env.BENCH_SERVE_NODE_ARGS?.split(' ').filter(Boolean) ?? []), bin, 'serve', '--port', '0', '--data', data, ...threads], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve) => {
  let out = '';
  proc.stdout.on('data', (b) => {
    out += b;
    const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
});
const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'bench-pass-1' }) });
const cookie = login.headers.get('set-cookie').split(';')[0];

/** CPU seconds the desk's process has used (all its threads; Linux /proc). */
function deskCpu() {
  try {
    const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Runs autocannon, timing every response itself (autocannon's table has no p95); and the CPU the desk and this client used meanwhile (on one machine they share its cores). */
function load(opts) {
  const cpu0 = { desk: deskCpu(), bench: process.cpuUsage(), at: Date.now() };
  return new Promise((resolve, reject) => {
    const times = [];
    let non2xx = 0;
    const inst = autocannon({ url: base, duration: seconds, headers: { cookie }, ...opts }, (err, r) => {
      if (err) return reject(err);
      times.sort((a, b) => a - b);
      const wall = (Date.now() - cpu0.at) / 1000;
      const bench = process.cpuUsage(cpu0.bench);
      const cores = { desk: (deskCpu() - cpu0.desk) / wall, bench: (bench.user + bench.system) / 1e6 / wall };
      resolve({ n: times.length, rps: r.requests.average, errors: r.errors + r.timeouts, non2xx, p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), cores });
    });
    inst.on('response', (_c, status, _bytes, ms) => {
      times.push(ms);
      if (status < 200 || status > 299) non2xx++;
    });
  });
}
const line = (what, r) => console.log(`${what}: ${r.n} requests, ${fmt(r.rps)}/s, p50 ${fmt(r.p50)} ms, p95 ${fmt(r.p95)} ms, p99 ${fmt(r.p99)} ms, errors ${r.errors}, non-2xx ${r.non2xx}; cores used: desk ${fmt(r.cores.desk, 2)}, this client ${fmt(r.cores.bench, 2)}`);

console.log(`${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${seconds} s per run`);
const render = (body) => ({ method: 'POST', path: '/api/documents/application?format=pdf', headers: { 'content-type': 'application/json' }, body });
// warm the render threads
for (let i = 0; i < 20; i++) await fetch(`${base}/api/documents/application?format=pdf`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ ...app, serviceItem: `预热 ${i}` }) });
let n = 0;
line('render, 20 clients, a different record each time', await load({ connections: 20, requests: [{ ...render(), setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...app, applicant: { ...app.applicant, name: `南阳市第${++n}号环保科技有限公司` } }) }) }] }));
line('render, 20 clients, the same record (render cache)', await load({ connections: 20, requests: [render(JSON.stringify(app))] }));

async function stopDesk() {
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  rmSync(data, { recursive: true, force: true });
}
if (renderOnly) {
  await stopDesk();
  process.exit(0);
}

// 2. pages while a 10,000-row batch and OCR run
const rows = Array.from({ length: 10000 }, (_, i) => JSON.stringify({ ...notice, docNumber: `宛环审告〔2026〕${i + 1}号` })).join('\n');
const fd = new FormData();
fd.append('file', new Blob([rows]), '告知书.jsonl');
const up = await (await fetch(`${base}/api/batches?kind=notice`, { method: 'POST', headers: { cookie }, body: fd })).json();
const id = up.batch.id;
await fetch(`${base}/api/batches/${id}/run`, { method: 'POST', headers: { cookie } });
let ocr = 0;
let stopOcr = false;
const ocrLoop = (async () => {
  while (!stopOcr) {
    const f = new FormData();
    f.append('files', new Blob([scan]), 'scan.jpg');
    const r = await (await fetch(`${base}/api/ingest`, { method: 'POST', headers: { cookie }, body: f })).json();
    if (r.items?.[0]?.status === 'parsed') ocr++;
  }
})();
// measure once both are under way: the batch's first rows done, the OCR thread's models loaded
const batchDone = async () => (await (await fetch(`${base}/api/batches/${id}`, { headers: { cookie } })).json()).batch.done;
for (let t = Date.now(); Date.now() - t < 180_000 && ((await batchDone()) === 0 || ocr === 0); ) await new Promise((r) => setTimeout(r, 500));
const before = (await (await fetch(`${base}/api/batches/${id}`, { headers: { cookie } })).json()).batch.done;
const ocrBefore = ocr;
const pages = await load({ connections: 5, requests: [{ method: 'GET', path: '/api/cases?page=1&size=15' }, { method: 'GET', path: '/' }, { method: 'GET', path: '/app.js' }, { method: 'GET', path: '/api/batches' }] });
const after = await batchDone();
const ocrDuring = ocr - ocrBefore;
stopOcr = true;
line('pages (cases list, index, app.js, batches) at 5 clients during the batch and OCR', pages);
console.log(`meanwhile: batch ${before} → ${after} of 10,000 rows (${fmt((after - before) / seconds)}/s), ${ocrDuring} scans read by OCR`);
await ocrLoop;
await fetch(`${base}/api/batches/${id}/stop`, { method: 'POST', headers: { cookie } });
await stopDesk();
