// Fuzzes the reader: mutated PDFs (byte flips, truncations, duplicated chunks) and images go
// through the CLI's `bangban parse` in a child process (CaseRunner), each case with a 10 s (CPU)
// timeout and a 1 GB memory cap. The contract: every exit is 0, 1 or 2, with a Chinese reason on stderr for 2; no
// hang; no more than 1 GB resident. Prints the count per outcome; exits 1 when any case broke it.
//
//   npm run build && node bench/fuzz-reader.js [--cases 1000] [--jobs 2] [--seed 1]
//
// Failing inputs are kept in out/fuzz-failures/ to reproduce with `bangban parse <file>`.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 10_000;
const MEMORY_CAP = 1024 * 1024 * 1024;

/** mulberry32: a small seeded generator, so a run can be repeated case for case. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The files mutated: forms of every kind as bangban prints them (compressed and not), a fillable form, several forms in one file, a scan as PNG, JPEG and image-only PDF. */
export async function seeds(dir) {
  const { allKinds } = await import(join(root, 'dist/kinds/index.js'));
  const { renderDocument } = await import(join(root, 'dist/render.js'));
  const { readJsonFile } = await import(join(root, 'dist/core/io.js'));
  const { fixturesDir } = await import(join(root, 'dist/core/paths.js'));
  const { readdirSync } = await import('node:fs');
  const { PDFDocument } = await import('pdf-lib');
  const sharp = (await import('sharp')).default;
  const out = {};
  for (const kind of allKinds()) {
    const f = readdirSync(join(fixturesDir, kind.name)).find((n) => n.endsWith('.json'));
    out[`${kind.name}.pdf`] = await renderDocument(kind, readJsonFile(join(fixturesDir, kind.name, f)), 'pdf');
  }
  const notice = allKinds().find((k) => k.name === 'notice');
  if (notice && existsSync(join(fixturesDir, 'notice/thirty-materials.json'))) out['notice-4-pages.pdf'] = await renderDocument(notice, readJsonFile(join(fixturesDir, 'notice/thirty-materials.json')), 'pdf');
  const application = allKinds().find((k) => k.name === 'application');
  out['fillable.pdf'] = await renderDocument(application, readJsonFile(join(fixturesDir, 'application/typical.json')), 'pdf', { fillable: true });
  // several forms in one file
  const several = await PDFDocument.create();
  for (const name of Object.keys(out)) {
    const src = await PDFDocument.load(out[name]);
    for (const p of await several.copyPages(src, src.getPageIndices())) several.addPage(p);
  }
  out['several.pdf'] = await several.save();
  // uncompressed copies (a flipped byte then lands in the drawing operators themselves), when qpdf is there
  for (const name of ['application.pdf', 'notice.pdf']) {
    try {
      writeFileSync(join(dir, name), out[name]);
      execFileSync('qpdf', ['--qdf', '--object-streams=disable', join(dir, name), join(dir, `qdf-${name}`)], { stdio: 'ignore' });
      out[`qdf-${name}`] = readFileSync(join(dir, `qdf-${name}`));
    } catch {
      /* no qpdf: compressed seeds only */
    }
  }
  // a scan: the application page as a small grey image, and as an image-only PDF
  const { createCanvas } = await import('@napi-rs/canvas').catch(() => ({}));
  let png;
  try {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    if (createCanvas) {
      const doc = await getDocument({ data: new Uint8Array(out['application.pdf']), verbosity: 0 }).promise;
      const page = await doc.getPage(1);
      const vp = page.getViewport({ scale: 100 / 72 });
      const canvas = createCanvas(Math.round(vp.width), Math.round(vp.height));
      await page.render({ canvasContext: canvas.getContext('2d'), viewport: vp, canvas }).promise;
      png = await sharp(canvas.toBuffer('image/png')).flatten({ background: '#ffffff' }).grayscale().png().toBuffer();
    }
  } catch {
    png = undefined;
  }
  png ??= await sharp({ create: { width: 827, height: 1169, channels: 3, background: '#ffffff' } }).png().toBuffer();
  out['scan.png'] = png;
  out['scan.jpg'] = await sharp(png).jpeg({ quality: 70 }).toBuffer();
  const scanPdf = await PDFDocument.create();
  const img = await scanPdf.embedPng(png);
  scanPdf.addPage([595, 842]).drawImage(img, { x: 0, y: 0, width: 595, height: 842 });
  out['scan.pdf'] = await scanPdf.save();
  return Object.entries(out).map(([name, bytes]) => ({ name, bytes: Buffer.from(bytes) }));
}

/** One mutation of a seed: some flipped bytes, a cut, a chunk repeated, or two of these. */
export function mutate(bytes, rnd) {
  let b = Buffer.from(bytes);
  const ops = [];
  const steps = 1 + Math.floor(rnd() * 2);
  for (let s = 0; s < steps; s++) {
    const r = rnd();
    if (r < 0.5) {
      const n = 1 + Math.floor(rnd() * (rnd() < 0.7 ? 3 : 40));
      for (let i = 0; i < n; i++) {
        const at = Math.floor(rnd() * b.length);
        b[at] ^= 1 << Math.floor(rnd() * 8) || 0xff;
      }
      ops.push(`flip×${n}`);
    } else if (r < 0.75) {
      const at = Math.floor(rnd() * b.length);
      b = b.subarray(0, at);
      ops.push(`cut@${at}`);
    } else {
      const from = Math.floor(rnd() * b.length);
      const len = 1 + Math.floor(rnd() * Math.min(b.length - from, 1 + rnd() * 20000));
      const at = Math.floor(rnd() * b.length);
      const times = rnd() < 0.8 ? 1 : 1 + Math.floor(rnd() * 20);
      const chunk = Buffer.concat(Array(times).fill(b.subarray(from, from + len)));
      b = Buffer.concat([b.subarray(0, at), chunk, b.subarray(at)]);
      ops.push(`dup ${len}B×${times}@${at}`);
    }
  }
  return { bytes: b, what: ops.join(' + ') };
}

/** Resident memory (bytes) and CPU time (s) of a process so far (Linux /proc). */
function usage(pid) {
  try {
    const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { rss, cpu: (Number(stat[11]) + Number(stat[12])) / 100 };
  } catch {
    return { rss: 0, cpu: 0 };
  }
}

/**
 * A child process that runs the CLI's `parse` for one file after another (bench/fuzz-child.js):
 * starting Node for each case would cost more than most cases. A case is stopped, and the child
 * replaced, past 10 s of CPU time (the machine is shared: wall time would count other people's
 * work; a case also stops at 60 s of wall time, in case it waits without working) or 1 GB resident.
 */
export class CaseRunner {
  async start() {
    this.child = spawn(process.execPath, [join(root, 'bench/fuzz-child.js')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise((resolve) => this.child.once('message', resolve));
  }
  async run(file) {
    if (!this.child) await this.start();
    const child = this.child;
    const t0 = performance.now();
    const cpu0 = usage(child.pid).cpu;
    let peak = 0;
    let cpu = 0;
    const r = await new Promise((resolve) => {
      const watch = setInterval(() => {
        const u = usage(child.pid);
        peak = Math.max(peak, u.rss);
        cpu = u.cpu - cpu0;
        if (peak > MEMORY_CAP) stop('memory');
        else if (cpu > TIMEOUT_MS / 1000) stop('timeout');
        else if (performance.now() - t0 > 60_000) stop('hang');
      }, 50);
      const done = (v) => {
        clearInterval(watch);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(v);
      };
      const stop = (why) => {
        child.kill('SIGKILL');
        this.child = undefined;
        done({ killed: why });
      };
      const onMessage = (m) => done(m);
      const onExit = (code, signal) => {
        this.child = undefined;
        done({ killed: signal ? `signal ${signal}` : `process exit ${code}` });
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ file });
    });
    const ms = performance.now() - t0;
    if (r.killed) return { outcome: r.killed, ms, cpu, peak, stderr: '' };
    let outcome = typeof r.code === 'number' ? `exit ${r.code}` : String(r.code);
    // the contract's details: 2 says why in Chinese and prints { error } JSON; 0/1 print a record
    if (outcome === 'exit 2' && !(/[\u4e00-\u9fff]/.test(r.stderr) && /"error"/.test(r.stdout))) outcome = 'exit 2 without a Chinese reason';
    if ((outcome === 'exit 0' || outcome === 'exit 1') && !/"kind"/.test(r.stdout)) outcome = `${outcome} without a record`;
    if (/\n\s+at .+:\d+:\d+/.test(r.stderr)) outcome = `${outcome} with a stack trace`;
    return { outcome, ms, cpu, peak, stderr: r.stderr.slice(0, 300) };
  }
  stop() {
    this.child?.kill();
    this.child = undefined;
  }
}

export const GOOD = new Set(['exit 0', 'exit 1', 'exit 2']);

/** Run `cases` mutated inputs, `jobs` at a time; returns counts per outcome and the failures. */
export async function fuzz({ cases = 1000, jobs = 2, seed = 1, keep = join(root, 'out/fuzz-failures'), log = () => undefined } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bangban-fuzz-'));
  const pool = await seeds(dir);
  const rnd = random(seed);
  const counts = {};
  const failures = [];
  const bySeed = {};
  let slowest = 0;
  let slowestCpu = 0;
  let peak = 0;
  let next = 0;
  const worker = async () => {
    const runner = new CaseRunner();
    for (;;) {
      const i = next++;
      if (i >= cases) return runner.stop();
      const s = pool[i % pool.length];
      const m = mutate(s.bytes, rnd);
      const file = join(dir, `case-${i}-${s.name}`);
      writeFileSync(file, m.bytes);
      // a fresh process now and then, so that one case's memory is not counted against the next
      if (i % 25 === 0) runner.stop();
      const r = await runner.run(file);
      counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
      (bySeed[s.name] ??= {})[r.outcome] = (bySeed[s.name][r.outcome] ?? 0) + 1;
      slowest = Math.max(slowest, r.ms);
      slowestCpu = Math.max(slowestCpu, r.cpu);
      peak = Math.max(peak, r.peak);
      if (!GOOD.has(r.outcome)) {
        mkdirSync(keep, { recursive: true });
        writeFileSync(join(keep, `case-${i}-${s.name}`), m.bytes);
        failures.push({ case: i, seed: s.name, what: m.what, ...r });
      }
      if ((i + 1) % 50 === 0) log(`${i + 1}/${cases} …`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return { counts, bySeed, failures, slowest, slowestCpu, peak, seeds: pool.map((s) => s.name) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, d) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : d;
  };
  const cases = arg('cases', 1000);
  const t0 = performance.now();
  const r = await fuzz({ cases, jobs: arg('jobs', 2), seed: arg('seed', 1), log: (s) => process.stderr.write(s + '\n') });
  console.log(`fuzz-reader: ${cases} cases from ${r.seeds.length} seeds (${r.seeds.join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  for (const [k, v] of Object.entries(r.counts).sort()) console.log(`  ${k}: ${v}`);
  console.log(`  slowest case ${r.slowestCpu.toFixed(1)} s CPU (limit ${TIMEOUT_MS / 1000} s), ${(r.slowest / 1000).toFixed(1)} s wall; peak RSS ${(r.peak / 1048576).toFixed(0)} MB (limit ${MEMORY_CAP / 1048576} MB)`);
  console.log('  per seed:');
  for (const [s, c] of Object.entries(r.bySeed)) console.log(`    ${s}: ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const f of r.failures.slice(0, 20)) console.log(`  FAILED case ${f.case} (${f.seed}, ${f.what}): ${f.outcome} — ${f.stderr.replace(/\n/g, ' ')}`);
  process.exitCode = r.failures.length ? 1 : 0;
}
