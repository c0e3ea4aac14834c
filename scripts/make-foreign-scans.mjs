#!/usr/bin/env node
// Scans and phone photos of application forms laid out by OTHER producers than bangban (issue 13),
// for bench/ocr-accuracy.js. Each class is one folder <producer>-<condition>.
//
//   npm run build && node scripts/make-foreign-scans.mjs [--out out/foreign-scans] [--records 3]
//       [--conditions 300,200-noisy,150-noisy,200-seal,200-hand,200-photo] [--seed 11]
//       [--pdf a.pdf --expected a.expected.json --producer name]… [--no-fixtures] [--no-office]
//
// Sources:
// - `office`: an HTML page laid out like the form as an office suite makes it (a Word table: a group
//   cell 申请单位基本情况 over two rows, label cells so narrow that 申请单位名称（盖章） wraps over four
//   lines, ■/□ boxes, values wrapping in their cells), filled with --records records (long-values.json,
//   then generated ones), printed by Chromium with Noto Serif CJK (fonts-noto-cjk). In `200-hand` its
//   values are in a handwriting-style font (Ma Shan Zheng) and its boxes ticked by a pen stroke.
// - every fixtures/foreign/application-*.pdf with its .expected.json (producer: the file's name without
//   `application-` and a trailing number), and any --pdf/--expected pairs given (every page: a form of several pages is scanned into an image-only PDF).
// Conditions (scripts/lib/scan-degrade.mjs does the degrading):
//   300         300 dpi, up to ±2°, light noise, JPEG 90
//   200-noisy   200 dpi, up to ±2°, noise, slight blur, JPEG 60–90;  150-noisy: the same at 150 dpi
//   200-seal    200 dpi, a red seal stamped across the applicant's name (found with pdftotext -bbox), ±1.5°, JPEG 80
//   200-hand    (office only) handwriting-style values, pen ticks, a red seal over the name, ±1.5°, JPEG 80
//   200-photo   a phone photo: perspective (corners ±6%), ±3°, on a desk, uneven light, JPEG 70–85
//   200-hand-photo  (office only) a phone photo of the handwriting-style page (no seal)
//   small-seal  150 dpi, a seal over the name, little noise, JPEG 70: the committed test scan
//               (node scripts/make-foreign-scans.mjs --out out/fixture-scans --records 1 --no-fixtures --conditions small-seal,small-not-a-form)
//   not-a-form  pages that are not the form, which must be refused (truth: {"refused": true}): a phone
//               photo of a page of plain text (an article printed by Chromium) and a picture with no text
// Needs poppler-utils (pdftoppm, pdftotext) and chromium for the office source.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, basename } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { getKind } from '../dist/index.js';
import { OPTIONS, randomStream, mulberry32, generatedRecord, raster, sealSvg, degrade, photo, scratch, HAND_FONT } from './lib/scan-degrade.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const all = (name) => args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]] : []));
const OUT = opt('out', 'out/foreign-scans');
const N = Number(opt('records', 3));
const CONDITIONS = opt('conditions', '300,200-noisy,150-noisy,200-seal,200-hand,200-photo,200-hand-photo,not-a-form').split(',');
const seed = Number(opt('seed', 11));
const stream = randomStream(seed);
const { rand, int, gauss } = stream;
const photoRand = mulberry32(seed ^ 0x50484f54);
const kind = getKind('application');

const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;');
const chineseDate = (iso) => iso.replace(/^(\d{4})-(\d\d)-(\d\d)$/, (_, y, m, d) => `${y}年${Number(m)}月${Number(d)}日`);
const chineseTime = (iso) => iso.replace(/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)$/, (_, y, m, d, h, mi) => `${y}年${Number(m)}月${Number(d)}日 ${h}:${mi}`);

/** A pen tick over a box, as an inline SVG laid over the □ (hand-filled pages). */
const PEN_TICK = `<svg class="tick" viewBox="0 0 20 20"><path d="M2 10 Q5 13 7 17 Q11 8 19 1" stroke="#1a1a5a" stroke-width="2.2" fill="none" stroke-linecap="round"/></svg>`;

/**
 * The form as a Word user lays it out: 五号 (10.5 pt) serif, a seven-column table with a vertical
 * group cell, label cells three characters wide, ■/□ boxes after a label. `hand`: the values in a
 * handwriting-style font and the boxes empty □ with a pen tick over the chosen ones.
 */
function officeHtml(rec, hand) {
  const v = (s) => `<span class="v">${esc(s)}</span>`;
  const box = (o) => {
    const on = (rec.services ?? []).includes(o);
    return hand ? `<span class="opt"><span class="b">□${on ? PEN_TICK : ''}</span>${o}</span>` : `<span class="opt">${on ? '■' : '□'}${o}</span>`;
  };
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
  @font-face { font-family: "Hand"; src: url("file://${HAND_FONT}"); }
  @page { size: A4; margin: 25.4mm 31.8mm 25.4mm 31.8mm; }
  body { font-family: "Noto Serif CJK SC", serif; font-size: 10.5pt; line-height: 1.5; }
  p.att { font-family: "Noto Sans CJK SC", sans-serif; font-size: 16pt; margin: 0 0 6pt; }
  h1 { text-align: center; font-size: 18pt; font-weight: bold; margin: 0 0 12pt; line-height: 1.35; }
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  td { border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: middle; word-break: break-all; }
  td.l { text-align: center; }
  td.g { text-align: center; padding: 2pt 1pt; }
  .v { ${hand ? 'font-family: "Hand"; font-size: 13pt;' : ''} }
  .opt { display: inline-block; margin-right: 8pt; white-space: nowrap; }
  .b { position: relative; }
  .tick { position: absolute; left: -0.1em; top: -0.55em; width: 1.5em; height: 1.5em; }
</style></head><body>
<p class="att">附件2</p>
<h1>南阳市生态环境局政务服务事项<br>“全程辅导、帮办代办”申请表</h1>
<table>
<colgroup><col style="width:7%"><col style="width:10%"><col style="width:23%"><col style="width:10%"><col style="width:20%"><col style="width:10%"><col style="width:20%"></colgroup>
<tr><td class="g" rowspan="2">申请单位基本情况</td><td class="l">申请单位名称（盖章）</td><td>${v(rec.applicant.name)}</td><td class="l">申请单位地址</td><td>${v(rec.applicant.address)}</td><td class="l">法人或主要负责人</td><td>${v(rec.applicant.legalRepresentative)}</td></tr>
<tr><td class="l">申请单位统一社会信用代码</td><td>${v(rec.applicant.creditCode)}</td><td class="l">经办人</td><td>${v(rec.handler.name)}</td><td class="l">经办人联系电话</td><td>${v(rec.handler.phone)}</td></tr>
<tr><td class="l" colspan="2">申请办理政务服务事项名称</td><td colspan="5">${v(rec.serviceItem)}</td></tr>
<tr><td class="l" colspan="2">全程辅导事项名称（选填）</td><td colspan="5">${v(rec.guidanceItem)}</td></tr>
<tr><td class="l" colspan="2">代办内容</td><td colspan="5">${OPTIONS.map(box).join('')}</td></tr>
<tr><td class="l" colspan="2">申请日期</td><td colspan="5">${v(chineseDate(rec.applicationDate))}</td></tr>
<tr><td class="l" colspan="7">以下内容由行政审批工作人员（帮办代办人员）填写</td></tr>
<tr><td class="l" colspan="2">代办人</td><td colspan="5">${v(rec.proxy?.name)}</td></tr>
<tr><td class="l" colspan="2">代办申请接收时间</td><td colspan="5">${v(rec.proxy ? chineseTime(rec.proxy.receivedAt) : '')}</td></tr>
<tr><td class="l" colspan="2">法律责任</td><td colspan="5">1.申请人填报本表格视为同意授权委托审批工作人员（帮办代办人员）开展相关服务，相关服务产生的法律后果及法律责任由申请人承担。<br>2.经办人非单位法人的，应当提交授权委托书。</td></tr>
</table></body></html>`;
}

/** Print an HTML page to PDF with headless Chromium (a fresh profile, no header or footer). */
function chromiumPdf(html, tag) {
  const h = join(scratch, `${tag}.html`),
    pdf = join(scratch, `${tag}.pdf`);
  writeFileSync(h, html);
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files', `--user-data-dir=${join(scratch, 'chromium-profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${h}`], { stdio: 'ignore' });
  return readFileSync(pdf);
}

/**
 * Where the applicant's name is: its page and point, in points from the top left (pdftotext -bbox): the word
 * holding its first characters (compared after NFKC, since some producers' text maps 目 to ⽬);
 * else the label 申请单位名称 (or its first line, 申请单位), moved right by a cell; undefined when neither is there.
 */
function namePoint(pdf, name) {
  for (let page = 1; page <= pageCount(pdf); page++) {
    const point = namePointOn(pdf, name, page);
    if (point) return { page, point };
  }
  return undefined;
}

function pageCount(pdf) {
  const f = join(scratch, 'count.pdf');
  writeFileSync(f, pdf);
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [f], { encoding: 'utf8' }))[1]);
}

/** Scanned pages as an image-only PDF, each page the size the image has at `dpi`. */
async function imagePdf(pages, dpi) {
  const doc = await PDFDocument.create();
  for (const p of pages) {
    const img = await doc.embedJpg(p.jpg);
    const w = (p.width * 72) / dpi, h = (p.height * 72) / dpi;
    doc.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
  }
  return doc.save();
}

function namePointOn(pdf, name, page) {
  const f = join(scratch, 'where.pdf');
  writeFileSync(f, pdf);
  const xml = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), f, '-'], { encoding: 'utf8' });
  const words = [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ box: m.slice(1, 5).map(Number), text: m[5].normalize('NFKC') }));
  const centre = (w, dx = 0) => [(w.box[0] + w.box[2]) / 2 + dx, (w.box[1] + w.box[3]) / 2];
  const head = name.normalize('NFKC').slice(0, 3);
  // the leftmost hit: the name's cell comes before the address's, which may start alike (河南省…)
  const hit = words.filter((w) => w.text.includes(head)).sort((a, b) => a.box[0] - b.box[0])[0];
  if (hit) return centre(hit);
  const label = words.find((w) => w.text.startsWith('申请单位名称')) ?? words.find((w) => w.text.startsWith('申请单位'));
  if (label) return centre(label, 80);
  return undefined;
}

/** The sources: [producer, name, pdf bytes, record, hand-filled pdf or undefined]. */
function sources() {
  const out = [];
  if (!args.includes('--no-office')) {
    const recs = [['long-values', JSON.parse(readFileSync('fixtures/application/long-values.json', 'utf8'))]];
    for (let i = 1; recs.length < N; i++) recs.push(generatedRecord(i, stream));
    for (const [name, rec] of recs.slice(0, N)) out.push({ producer: 'office', name, rec, pdf: chromiumPdf(officeHtml(rec, false), name), hand: () => chromiumPdf(officeHtml(rec, true), `${name}-hand`) });
  }
  const pairs = args.includes('--no-fixtures')
    ? []
    : readdirSync('fixtures/foreign')
        .filter((f) => /^application-.*\.pdf$/.test(f))
        .sort()
        .map((f) => [join('fixtures/foreign', f), join('fixtures/foreign', f.replace(/\.pdf$/, '.expected.json'))]);
  const given = all('pdf').map((p, i) => [p, all('expected')[i], all('producer')[i]]);
  for (const [pdf, expected, producer] of [...pairs, ...given]) {
    const name = basename(pdf, '.pdf');
    out.push({ producer: producer ?? name.replace(/^application-/, '').replace(/-\d+$/, ''), name, rec: JSON.parse(readFileSync(expected, 'utf8')), pdf: readFileSync(pdf) });
  }
  return out;
}

const COND = {
  '300': () => ({ dpi: 300, angle: (rand() * 2 - 1) * 2, noise: 5, quality: 90 }),
  '200-noisy': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 2, noise: 14, blur: 0.6, quality: int(60, 90) }),
  '150-noisy': () => ({ dpi: 150, angle: (rand() * 2 - 1) * 2, noise: 14, blur: 0.5, quality: int(60, 90) }),
  '200-seal': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 1.5, noise: 8, quality: 80, seal: true }),
  '200-hand': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 1.5, noise: 8, quality: 80, seal: true, hand: true }),
  '200-photo': () => ({ dpi: 200, photo: true }),
  '200-hand-photo': () => ({ dpi: 200, photo: true, hand: true }),
  'small-seal': () => ({ dpi: 150, angle: (rand() * 2 - 1) * 1.5, noise: 3, quality: 70, seal: true }),
};

/** A page of running text that is no form: an article on the river, printed by Chromium. */
const ARTICLE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>@page { size: A4; margin: 30mm 26mm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.8; } h1 { text-align: center; font-size: 20pt; } p { text-indent: 2em; margin: 0; }</style></head><body>
<h1>白河两岸的春天</h1>${Array.from({ length: 6 }, (_, i) => `<p>${['清晨的白河水面平静，薄雾从河心慢慢散开，沿岸的柳树已经抽出新芽。', '晨练的人们沿着步道慢跑，孩子们在草地上放风筝，远处的桥上车流渐渐多了起来。', '河边的湿地公园里，白鹭在浅水中觅食，偶尔振翅掠过芦苇丛，引得游人驻足观看。', '近年来，沿河的排污口逐一整治，河水一年比一年清澈，鱼群又回到了城市的河段。'][i % 4].repeat(2)}</p>`).join('')}
</body></html>`;

/** A picture with no text at all: shapes and a gradient, like a photo of a desk or a wall. */
function picture(width, height) {
  const r = () => Math.round(rand() * 255);
  const shapes = Array.from({ length: 12 }, () => `<circle cx="${rand() * width}" cy="${rand() * height}" r="${20 + rand() * width * 0.2}" fill="rgb(${r()},${r()},${r()})" opacity="0.6"/>`).join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c8b89a"/><stop offset="1" stop-color="#5a4a3a"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`);
}

/** The not-a-form class: [name, jpeg bytes]. */
async function refusals(dpi) {
  const page = await raster(chromiumPdf(ARTICLE, 'article'), dpi, 'A');
  const { default: sharp } = await import('sharp');
  return [
    ['article-photo', await photo(page, dpi, photoRand)],
    ['picture', await sharp(picture(Math.round(dpi * 8), Math.round(dpi * 6))).jpeg({ quality: 80 }).toBuffer()],
  ];
}

const list = CONDITIONS.some((c) => COND[c]) ? sources() : [];
const made = new Set();
for (const cond of CONDITIONS) {
  if (cond === 'not-a-form' || cond === 'small-not-a-form') {
    const dir = join(OUT, cond);
    rmSync(dir, { recursive: true, force: true }), mkdirSync(dir, { recursive: true });
    for (const [name, jpg] of await refusals(cond === 'not-a-form' ? 200 : 120)) writeFileSync(join(dir, `${name}.jpg`), jpg), writeFileSync(join(dir, `${name}.truth.json`), '{ "refused": true }\n');
    continue;
  }
  if (!COND[cond]) throw new Error(`unknown condition ${cond}`);
  for (const s of list) {
    const c = COND[cond]();
    if (c.hand && !s.hand) continue; // handwriting only where the values can be set in another font
    const dir = join(OUT, `${s.producer}-${cond}`);
    if (!made.has(dir)) rmSync(dir, { recursive: true, force: true }), mkdirSync(dir, { recursive: true }), made.add(dir);
    const pdf = c.hand ? s.hand() : s.pdf;
    // every page of the form: a form of two pages is scanned as two (an image-only PDF)
    const pages = [];
    const at = c.seal ? namePoint(pdf, s.rec.applicant.name) : undefined;
    if (c.seal && !at) {
      process.stderr.write(`(${s.producer}-${cond}/${s.name}: the name not found, no seal scan) `);
      continue;
    }
    for (let n = 1; n <= pageCount(pdf); n++) {
      const img = await raster(pdf, c.dpi, 'P', n);
      let svg;
      if (at && at.page === n) {
        const [x, y] = at.point.map((v) => (v * c.dpi) / 72);
        svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${img.width}" height="${img.height}">${sealSvg(x, y, c.dpi, s.rec.applicant.name.slice(0, 18))}</svg>`);
      }
      pages.push({ jpg: c.photo ? await photo(img, c.dpi, photoRand) : await degrade(img, gauss, { ...c, svg }), width: img.width, height: img.height });
    }
    if (pages.length === 1) writeFileSync(join(dir, `${s.name}.jpg`), pages[0].jpg);
    else writeFileSync(join(dir, `${s.name}.pdf`), await imagePdf(pages, c.dpi));
    writeFileSync(join(dir, `${s.name}.truth.json`), JSON.stringify(s.rec, null, 1) + '\n');
    process.stderr.write(`${s.producer}-${cond}/${s.name} `);
  }
  process.stderr.write('\n');
}
rmSync(scratch, { recursive: true, force: true });
