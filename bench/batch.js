// Batch throughput: notices per second, ms and bytes per notice, peak RSS, for 1,000 and 10,000
// one-page notices through `bangban batch` (worker threads), with the same notice made by
// @pdfme/generator (one thread, as its docs use it) in the same run as the reference.
//
// Run after `npm run build`:
//   node bench/batch.js [--sizes 1000,10000] [--pdfme-sizes 1000] [--jobs N] [--pipeline 100000] [--xlsx-sizes 100000] [--write docs/batch.md]
// --xlsx-sizes N renders N notices read from an .xlsx with a list sheet (--xlsx-items materials each,
// default 3), as staff would keep them: the end-to-end memory figure for large batches.
// --pipeline N runs N records from an .xlsx with a list sheet through the batch with a stub worker
// (bench/batch-stub-worker.js) that writes a small file instead of rendering: the pipeline's own cost.
// Each measurement runs in its own child process, so peak RSS is that run's alone.
// Until the notice kind is registered it benchmarks application forms.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

const COMPANIES = ['宛城区绿源环保科技有限公司', '卧龙区清源水务有限公司', '镇平县玉雕工艺品有限公司', '方城县建材有限公司', '西峡县香菇食品有限公司', '内乡县宝天曼旅游开发有限公司'];

/** The kind benchmarked and its one-page record. */
async function subject() {
  const { allKinds } = await import(join(root, 'dist/kinds/index.js'));
  const names = allKinds().map((k) => k.name);
  if (names.includes('notice') && existsSync(join(root, 'fixtures/notice/one-material.json'))) {
    return { kind: 'notice', record: JSON.parse(readFileSync(join(root, 'fixtures/notice/one-material.json'), 'utf8')) };
  }
  return { kind: 'application', record: JSON.parse(readFileSync(join(root, 'fixtures/application/typical.json'), 'utf8')) };
}

function oneRecord(kind, base, i) {
  const r = structuredClone(base);
  r.applicant.name = `南阳市${COMPANIES[i % COMPANIES.length]}${i}`;
  if (kind === 'notice') r.docNumber = `宛环审告〔2026〕${i}号`;
  return r;
}

function records(kind, base, n) {
  const out = [];
  for (let i = 1; i <= n; i++) out.push(JSON.stringify(oneRecord(kind, base, i)));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- children

async function childOurs(kind, input, out, jobs) {
  const { runBatch } = await import(join(root, 'dist/batch/run.js'));
  const { readManifest } = await import(join(root, 'dist/batch/manifest.js'));
  const { PDFDocument } = await import('pdf-lib');
  const t = performance.now();
  const c0 = process.cpuUsage();
  const r = await runBatch({ kind, input, output: out, jobs: jobs ? Number(jobs) : undefined, force: true });
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(c0);
  const m = readManifest(out);
  const bytes = m.rows.reduce((s, row) => s + row.files.reduce((a, f) => a + f.bytes, 0), 0);
  const first = await PDFDocument.load(readFileSync(join(out, m.rows[0].files[0].file)));
  const problems = m.rows.filter((row) => row.status === 'invalid' || row.status === 'failed').slice(0, 3).map((row) => `#${row.number} ${row.status}: ${row.errors.map((e) => `${e.label}: ${e.message}`).join('; ')}`);
  return { n: r.summary.ok, failed: r.summary.invalid + r.summary.failed, problems, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, pages: first.getPageCount(), maxRssKb: process.resourceUsage().maxRSS };
}

/** The same page for pdfme: text boxes, the materials table, lines; Noto Serif SC as for ours. */
function pdfmeNotice(fonts) {
  const text = (name, x, y, w, h, size, extra = {}) => ({ name, type: 'text', position: { x, y }, width: w, height: h, fontSize: size, fontName: 'serif', lineHeight: 1.5, ...extra });
  return {
    basePdf: { width: 210, height: 297, padding: [37, 26, 35, 28] },
    schemas: [
      [
        text('docNumber', 28, 37, 156, 8, 16, { alignment: 'center' }),
        text('title', 28, 50, 156, 12, 22, { alignment: 'center', fontName: 'serifBold' }),
        text('salutation', 28, 66, 156, 8, 16),
        text('body', 28, 74, 156, 40, 16, { characterSpacing: 0 }),
        {
          ...fonts.tableDefault,
          name: 'materials',
          position: { x: 28, y: 116 },
          width: 156,
          height: 30,
          showHead: true,
          head: ['序号', '材料名称', '份数', '要求', '补正途径或方法'],
          headWidthPercentages: [7, 30, 7, 26, 30],
          tableStyles: { borderColor: '#000000', borderWidth: 0.3 },
          headStyles: { ...fonts.tableDefault.headStyles, fontName: 'serif', fontSize: 10.5, fontColor: '#000000', backgroundColor: '', alignment: 'center', borderColor: '#000000', borderWidth: { top: 0.3, right: 0.3, bottom: 0.3, left: 0.3 } },
          bodyStyles: { ...fonts.tableDefault.bodyStyles, fontName: 'serif', fontSize: 10.5, alternateBackgroundColor: '', borderColor: '#000000', borderWidth: { top: 0.3, right: 0.3, bottom: 0.3, left: 0.3 } },
          columnStyles: {},
        },
        text('closing', 28, 150, 156, 16, 16),
        text('contact', 28, 168, 156, 8, 16),
        text('issuer', 110, 184, 70, 8, 16, { alignment: 'center' }),
        text('issueDate', 110, 192, 70, 8, 16, { alignment: 'center' }),
        { name: 'cut', type: 'line', position: { x: 28, y: 204 }, width: 156, height: 0.3, color: '#000000', readOnly: true },
        text('cutNote', 28, 205.5, 156, 6, 10.5, { alignment: 'center' }),
        text('receiptTitle', 28, 212, 156, 8, 16, { alignment: 'center' }),
        text('receipt', 28, 220, 156, 16, 16),
        text('receiptSign', 28, 236, 120, 8, 15),
        text('page', 150, 236, 34, 8, 14, { alignment: 'right' }),
      ],
    ],
  };
}

const cn = (d) => {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
};

function pdfmeInputs(r) {
  return {
    docNumber: r.docNumber,
    title: '补正材料一次性告知书',
    salutation: `${r.applicant.name}：`,
    body: `　　你单位（统一社会信用代码：${r.applicant.creditCode}）于${cn(r.receivedDate)}提交的“${r.serviceItem}”申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部材料如下：`,
    materials: JSON.stringify(r.materials.map((m, i) => [String(i + 1), m.name, String(m.copies ?? ''), m.requirement ?? '', m.howToObtain])),
    closing: `　　请于${cn(r.deadline)}前将上述材料一次补齐，提交至本机关政务服务窗口。逾期未补正的，视为放弃申请。`,
    contact: `　　联系人：${r.contact.name}　　联系电话：${r.contact.phone}`,
    issuer: r.issuer,
    issueDate: cn(r.issueDate),
    cutNote: '（沿此线剪开，回执由申请人签收后交回存档）',
    receiptTitle: '回　执',
    receipt: `　　${r.applicant.name}已收到${r.docNumber}《补正材料一次性告知书》。`,
    receiptSign: '申请人（签字或盖章）：　　　签收日期：　　年　　月　　日',
    page: '— 1 —',
  };
}

/** For application forms (before the notice kind lands): label/value table of every field. */
function pdfmeForm(fonts, kindTitle) {
  return {
    basePdf: { width: 210, height: 297, padding: [20, 20, 20, 20] },
    schemas: [
      [
        { name: 'title', type: 'text', position: { x: 20, y: 25 }, width: 170, height: 20, fontSize: 20, fontName: 'serifBold', alignment: 'center' },
        {
          ...fonts.tableDefault,
          name: 'fields',
          position: { x: 20, y: 50 },
          width: 170,
          height: 200,
          showHead: false,
          head: ['项目', '内容'],
          headWidthPercentages: [35, 65],
          bodyStyles: { ...fonts.tableDefault.bodyStyles, fontName: 'serif', fontSize: 12, alternateBackgroundColor: '' },
          headStyles: { ...fonts.tableDefault.headStyles, fontName: 'serif' },
        },
      ],
    ],
    kindTitle,
  };
}

async function childPdfme(kind, input, out) {
  const { generate } = await import('@pdfme/generator');
  const { text, table, line } = await import('@pdfme/schemas');
  const { PDFDocument } = await import('pdf-lib');
  const fontDir = join(root, 'node_modules/@expo-google-fonts/noto-serif-sc');
  const font = {
    serif: { data: readFileSync(join(fontDir, '400Regular/NotoSerifSC_400Regular.ttf')), fallback: true },
    serifBold: { data: readFileSync(join(fontDir, '700Bold/NotoSerifSC_700Bold.ttf')) },
  };
  const tableDefault = table.propPanel.defaultSchema;
  const lines = readFileSync(input, 'utf8').trim().split('\n');
  mkdirSync(out, { recursive: true });
  const plugins = { text, table, line };
  const template = kind === 'notice' ? pdfmeNotice({ tableDefault }) : pdfmeForm({ tableDefault });
  const { getKind } = await import(join(root, 'dist/kinds/index.js'));
  const { KindSchema } = await import(join(root, 'dist/core/schema.js'));
  const k = getKind(kind);
  const formInputs = (r) => ({
    title: k.title,
    fields: JSON.stringify(k.schema.leaves().map((l) => [l.label, String(l.pointer.split('/').slice(1).reduce((o, p) => o?.[p], r) ?? '')])),
  });
  void KindSchema;
  let bytes = 0;
  let pages = 0;
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < lines.length; i++) {
    const r = JSON.parse(lines[i]);
    const pdf = await generate({ template, inputs: [kind === 'notice' ? pdfmeInputs(r) : formInputs(r)], plugins, options: { font } });
    writeFileSync(join(out, `${i + 1}.pdf`), pdf);
    bytes += pdf.byteLength;
    if (i === 0) pages = (await PDFDocument.load(pdf)).getPageCount();
  }
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(c0);
  return { n: lines.length, failed: 0, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, pages, maxRssKb: process.resourceUsage().maxRSS };
}

/** The pipeline alone (stub worker): reading an xlsx with a list sheet, naming, hashing, manifest. */
async function childPipeline(kind, input, out) {
  const { runBatch } = await import(join(root, 'dist/batch/run.js'));
  const t = performance.now();
  const c0 = process.cpuUsage();
  const r = await runBatch({ kind, input, output: out, force: true, workerFile: join(root, 'bench/batch-stub-worker.js') });
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(c0);
  return { n: r.summary.ok, failed: r.summary.invalid + r.summary.failed, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes: 0, pages: 0, maxRssKb: process.resourceUsage().maxRSS };
}

/** N records as the template lays them out: records sheet plus a list sheet, three items each. */
async function writeXlsx(kind, base, n, file) {
  const { default: ExcelJS } = await import('exceljs');
  const { getKind } = await import(join(root, 'dist/kinds/index.js'));
  const { templateSheets } = await import(join(root, 'dist/batch/template.js'));
  const { columnPlan } = await import(join(root, 'dist/batch/columns.js'));
  const k = getKind(kind);
  const plan = columnPlan(k);
  const sheets = templateSheets(k);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const main = wb.addWorksheet(sheets[0].name);
  main.addRow(['序号', ...sheets[0].columns.map((c) => c.header)]).commit();
  const get = (o, pointer) => pointer.split('/').slice(1).reduce((x, p) => x?.[p], o);
  const cell = (v) => (Array.isArray(v) ? v.join('、') : v);
  for (let i = 1; i <= n; i++) {
    const r = oneRecord(kind, base, i);
    main.addRow([i, ...sheets[0].columns.map((c) => cell(get(r, c.pointer)))]).commit();
  }
  main.commit();
  for (const [s, list] of sheets.slice(1).map((s) => [s, plan.lists.find((l) => l.title.startsWith(s.name) || s.name.startsWith(l.title))])) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(['序号', ...s.columns.map((c) => c.header)]).commit();
    const items = (list && get(base, list.pointer)) || [];
    for (let i = 1; i <= n; i++) for (let j = 0; j < itemsPerRecord; j++) if (items.length) ws.addRow([i, ...s.columns.map((c) => cell(get(items[j % items.length], c.pointer)))]).commit();
    ws.commit();
  }
  await wb.commit();
}

// ---------------------------------------------------------------- orchestration

if (args[0] === '--child') {
  const [, which, kind, input, out, jobs] = args;
  const r = which === 'ours' || which === 'xlsx' ? await childOurs(kind, input, out, jobs) : which === 'pipeline' ? await childPipeline(kind, input, out) : await childPdfme(kind, input, out);
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
}

const sizes = opt('--sizes', '1000,10000').split(',').filter(Boolean).map(Number);
const pdfmeSizes = opt('--pdfme-sizes', '1000').split(',').filter(Boolean).map(Number);
const jobs = opt('--jobs', '');
const pipeline = Number(opt('--pipeline', '0'));
const xlsxSizes = opt('--xlsx-sizes', '').split(',').filter(Boolean).map(Number);
/** List items per record in the generated .xlsx (3 makes a notice two pages; 1 keeps it one). */
const itemsPerRecord = Number(opt('--xlsx-items', '3'));
const writeTo = opt('--write', '');
const { kind, record } = await subject();
const dir = mkdtempSync(join(tmpdir(), 'bangban-bench-'));
const results = [];
const load0 = loadavg()[0];

function run(which, n, input = join(dir, `${n}.jsonl`)) {
  if (!existsSync(input)) writeFileSync(input, records(kind, record, n));
  const out = join(dir, `${which}-${n}`);
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', which, kind, input, out, jobs], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`${which} ${n} failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop());
  rmSync(out, { recursive: true, force: true });
  const row = { which, n, rate: r.n / r.seconds, msPer: (r.seconds * 1000) / r.n, cpuMsPer: (r.cpuSeconds * 1000) / r.n, bytesPer: r.bytes / r.n, peakMb: r.maxRssKb / 1024, pages: r.pages, seconds: r.seconds, failed: r.failed };
  results.push(row);
  for (const p of r.problems ?? []) console.log(`  ${p}`);
  console.log(
    `${which === 'ours' ? 'bangban batch ' : which === 'xlsx' ? 'bangban batch (xlsx)' : which === 'pipeline' ? 'pipeline (stub)' : 'pdfme (1 thread)'}  ${String(n).padStart(6)} ${kind}s: ${row.rate.toFixed(1).padStart(6)}/s  ${row.msPer.toFixed(1).padStart(6)} ms each (CPU ${row.cpuMsPer.toFixed(1)} ms)  ${(row.bytesPer / 1024).toFixed(1).padStart(6)} KB each  peak RSS ${row.peakMb.toFixed(0)} MB  (${row.pages} page${row.pages > 1 ? 's' : ''}, ${row.seconds.toFixed(1)} s${row.failed ? `, ${row.failed} failed` : ''})`,
  );
  return row;
}

console.log(`${kind}, ${cpus().length} cores (${cpus()[0]?.model ?? ''}), load average at start ${load0.toFixed(2)}`);
if (pipeline) {
  const xlsx = join(dir, `${pipeline}.xlsx`);
  await writeXlsx(kind, record, pipeline, xlsx);
  run('pipeline', pipeline, xlsx);
}
for (const n of pdfmeSizes) run('pdfme', n);
for (const n of sizes) run('ours', n);
for (const n of xlsxSizes) {
  const xlsx = join(dir, `${n}-records.xlsx`);
  await writeXlsx(kind, record, n, xlsx);
  run('xlsx', n, xlsx);
}
const load1 = loadavg()[0];
rmSync(dir, { recursive: true, force: true });

const pdfmeRuns = results.filter((r) => r.which === 'pdfme');
const ratios = results
  .filter((r) => r.which === 'ours' || r.which === 'xlsx')
  .map((r) => {
    const ref = pdfmeRuns.find((p) => p.n === r.n) ?? pdfmeRuns[0];
    return ref ? `${r.n.toLocaleString('en')}: ${(r.rate / ref.rate).toFixed(1)}× by rate, ${(ref.cpuMsPer / r.cpuMsPer).toFixed(1)}× by CPU per notice (pdfme ${ref.n.toLocaleString('en')})` : '';
  })
  .filter(Boolean);
console.log(`bangban / pdfme — ${ratios.join('; ') || '—'} (targets: ≥ 100/s and ≥ 5× pdfme); load average at end ${load1.toFixed(2)}`);

if (writeTo) {
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node bench/batch.js\` on this ${cpus().length}-core machine (${kind}s, one page each; load average ${load0.toFixed(1)} → ${load1.toFixed(1)}):`,
    '',
    '| generator | notices | per second | ms per notice (wall) | CPU ms per notice | KB per notice | peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) => `| ${r.which === 'ours' ? 'bangban batch' : r.which === 'xlsx' ? 'bangban batch, from an .xlsx with a list sheet' : r.which === 'pipeline' ? 'pipeline only (xlsx + list sheet, stub worker)' : '@pdfme/generator, 1 thread'} | ${r.n.toLocaleString('en')} | ${r.rate.toFixed(1)} | ${r.msPer.toFixed(1)} | ${r.cpuMsPer.toFixed(1)} | ${(r.bytesPer / 1024).toFixed(1)} | ${r.peakMb.toFixed(0)} MB |`,
    ),
    '',
    `bangban / pdfme — ${ratios.join('; ') || '—'}.`,
  ].join('\n');
  const file = resolve(writeTo);
  const doc = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!doc.includes(start)) throw new Error(`${writeTo} has no ${start} marker`);
  writeFileSync(file, doc.slice(0, doc.indexOf(start) + start.length) + '\n' + table + '\n' + doc.slice(doc.indexOf(end)));
  console.log(`written to ${writeTo}`);
}
