#!/usr/bin/env node
// Synthetic scans of filled application forms, for the OCR benchmark and tests (issue 7).
//
//   npm run build && node scripts/make-scans.mjs [--out out/scans] [--records 10] [--conditions 300,200-noisy,…] [--seed 7]
//
// Each record (fixtures/application/*.json, then generated ones) is rendered by bangban, rasterised
// with pdftoppm (poppler-utils: a maintainer's tool, not a dependency of bangban), then degraded with
// sharp: rotation, noise, blur, JPEG quality. Conditions:
//   300          300 dpi, rotated up to ±2°, light noise, JPEG 90
//   200-noisy    200 dpi, rotated up to ±2°, noise, slight blur, JPEG 60–90
//   150-noisy    150 dpi, the same
//   200-turned   200 dpi, turned 90/180/270° (and up to ±1°), JPEG 85
//   200-hand     200 dpi, values in a handwriting-style font (Ma Shan Zheng) on the printed form,
//                hand-drawn ticks instead of √, a red seal over the applicant's name, ±1.5°, JPEG 80
//   200-marks    as 200-hand, but each ticked box gets one of several pen marks (ticks of three
//                sizes, a large one overrunning the box, a cross, a scribbled fill; black or blue,
//                thin or thick) and empty boxes get specks of dust; noise 10, JPEG 65–85
//   150-marks    the same at 150 dpi (not in the default set)
//   pdf-200      an image-only PDF holding a 200 dpi JPEG scan
//   200-photo    a phone photo of the printed form: 200 dpi, perspective warp (each corner moved ±6%), ±3°, on a grey desk, uneven light, JPEG 70–85
//   small-hand, small-turned, small-pdf, small-photo: 150 dpi, little noise — the committed test fixtures
//                (node scripts/make-scans.mjs --out out/fixture-scans --records 7 --conditions small-hand,small-turned,small-pdf)
// Writes <out>/<condition>/<name>.{jpg,pdf} and <name>.truth.json (the record).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { getKind, renderPdf, documentModel, defaultFonts, creditCodeCheckChar, orgCodeCheckChar } from '../dist/index.js';
import { modelToPdf } from '../dist/pdf/render.js';
import { findSquares } from '../dist/ocr/geometry.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const OUT = opt('out', 'out/scans');
const N = Number(opt('records', 10));
const CONDITIONS = opt('conditions', '300,200-noisy,150-noisy,200-turned,200-hand,pdf-200,200-marks,200-photo').split(',');
let seed = Number(opt('seed', 7));
const only = opt('only'); // comma-separated record names

// Small deterministic PRNG (mulberry32), so the same command makes the same scans.
function rand() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (a, b) => a + Math.floor(rand() * (b - a + 1));
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
/**
 * A second, independent mulberry32 stream for the photo condition, so that adding it to a run leaves
 * the draws (and so the images) of every other condition unchanged.
 */
function mulberry32(s) {
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const photoRand = mulberry32(Number(opt('seed', 7)) ^ 0x50484f54);

const kind = getKind('application');
// The 代办内容 options, from the application schema.
const OPTIONS = getKind('application').options('/services');
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志宏海波晓东丹宁雪梅慧颖佳俊凯文博浩然思远欣怡雨晨子涵梓轩一鸣家豪嘉欣';
const PLACES = ['宛城区', '卧龙区', '南召县', '方城县', '西峡县', '镇平县', '内乡县', '淅川县', '社旗县', '唐河县', '新野县', '桐柏县', '邓州市'];
const ORGS = ['环保科技有限公司', '化工有限责任公司', '建材有限公司', '食品有限公司', '农民专业合作社', '医药有限公司', '纺织有限公司', '再生资源回收有限公司', '生态农业开发有限公司'];
const WORDS = ['绿源', '金桥', '宏达', '鑫盛', '华联', '天元', '中原', '恒通', '丰泰', '龙腾', '润泽', '瑞丰'];
const ROADS = ['仲景路', '人民路', '建设路', '光武路', '工业路', '滨河路', '中州路', '新华路', '独山大道', '范蠡路'];
const ITEMS = ['建设项目环境影响报告表审批', '建设项目环境影响报告书审批', '排污许可证核发', '固定污染源排污登记', '危险废物经营许可证核发', '辐射安全许可证核发'];
const GUIDE = ['环境影响评价文件编制辅导', '排污许可申请材料准备辅导', '排污登记表填报', '危险废物管理计划编制辅导'];
const CODE = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function name() {
  return pick([...SURNAMES]) + Array.from({ length: int(1, 2) }, () => pick([...GIVEN])).join('');
}
/** A credit code shaped like a real one: positions 9–17 an organisation code with its GB 11714 check. */
function creditCode() {
  let s = pick(['91', '92', '93', '12', '52']) + '4113' + String(int(0, 99)).padStart(2, '0');
  while (s.length < 17) s += pick([...CODE]);
  s = s.slice(0, 16) + orgCodeCheckChar(s.slice(8, 16));
  return s + creditCodeCheckChar(s);
}
function generated(i) {
  const place = pick(PLACES);
  const services = OPTIONS.filter(() => rand() < 0.45);
  const y = pick([2025, 2026]),
    m = int(1, 12),
    d = int(1, 28);
  const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const rec = {
    applicant: {
      name: `南阳市${place}${pick(WORDS)}${pick(ORGS)}`,
      address: `南阳市${place}${pick(ROADS)}${int(1, 2999)}号`,
      legalRepresentative: name(),
      creditCode: creditCode(),
    },
    handler: { name: name(), phone: rand() < 0.8 ? `1${pick(['3', '5', '8'])}${String(int(0, 999999999)).padStart(9, '0')}` : `0377-${int(6000000, 6999999)}` },
    serviceItem: pick(ITEMS),
    services: services.length ? services : [pick(OPTIONS)],
    applicationDate: date,
  };
  if (rand() < 0.7) rec.guidanceItem = pick(GUIDE);
  if (rand() < 0.7) rec.proxy = { name: name(), receivedAt: `${date}T${String(int(8, 17)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}` };
  return [`gen-${String(i).padStart(2, '0')}`, rec];
}

function records() {
  const dir = 'fixtures/application';
  const out = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8'))]);
  for (let i = 1; out.length < N; i++) out.push(generated(i));
  const list = out.slice(0, N);
  return only ? list.filter(([n]) => only.split(',').includes(n)) : list;
}

const tmp = mkdtempSync(join(tmpdir(), 'bangban-scans-'));
/** PDF → grey pixels at a resolution. */
async function raster(pdf, dpi, tag) {
  const f = join(tmp, `${tag}.pdf`);
  writeFileSync(f, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', '-f', '1', '-l', '1', f, join(tmp, tag)]);
  const { data, info } = await sharp(join(tmp, `${tag}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const require = createRequire(import.meta.url);
/**
 * The handwriting-style font with the body font's vertical metrics (hhea, OS/2), so lines are as high
 * as in the printed form and every value lands in its cell at the same place.
 */
let handFile;
const handFonts = () => {
  const f = defaultFonts();
  if (!handFile) {
    const hand = readFileSync(resolve(dirname(require.resolve('@expo-google-fonts/ma-shan-zheng/package.json')), '400Regular', 'MaShanZheng_400Regular.ttf'));
    const body = readFileSync(f.body.file);
    const tables = (b) => {
      const t = {};
      for (let i = 0; i < b.readUInt16BE(4); i++) t[b.toString('latin1', 12 + i * 16, 16 + i * 16)] = b.readUInt32BE(20 + i * 16);
      return t;
    };
    const th = tables(hand),
      tb = tables(body);
    for (const o of [4, 6, 8]) hand.writeInt16BE(body.readInt16BE(tb.hhea + o), th.hhea + o);
    for (const o of [68, 70, 72, 74, 76]) hand.writeUInt16BE(body.readUInt16BE(tb['OS/2'] + o), th['OS/2'] + o);
    handFile = join(tmp, 'hand.ttf');
    writeFileSync(handFile, hand);
  }
  f.body = { file: handFile, name: 'Ma Shan Zheng' };
  return f;
};

/**
 * The printed blank form with the values written in a handwriting-style font: ink of the filled
 * form in that font, minus the ink of its blank form in the same font, laid over the normal blank.
 * The ticks are drawn by hand (strokes), not typed.
 */
async function handFilled(rec, dpi) {
  const noTicks = { ...rec, services: [] };
  // One after another: pdfmake's fonts are global, so renders with different fonts must not overlap.
  const A = await raster(await modelToPdf(kind, withoutHints(documentModel(kind, noTicks)), { fonts: handFonts() }), dpi, 'A');
  const A0 = await raster(await modelToPdf(kind, withoutHints(documentModel(kind, null)), { fonts: handFonts() }), dpi, 'A0');
  const B = await raster(await renderPdf(kind, null), dpi, 'B');
  // Where the ticks go: the five drawn boxes of this layout, in the order of the options.
  const bin = A.data.map((v) => (v < 128 ? 1 : 0));
  const pt = dpi / 72;
  let squares = findSquares(bin, A.width, A.height, Math.round(6 * pt), Math.round(14 * pt)).map((q) => q.box);
  const side = (b) => Math.min(b[2] - b[0], b[3] - b[1]);
  const biggest = Math.max(...squares.map(side));
  squares = squares.filter((b) => side(b) >= biggest * 0.85); // boxes, not a square character such as 口
  const ys = squares.map((b) => b[1]).sort((a, b) => a - b);
  const mid = ys[Math.floor(ys.length / 2)];
  squares = squares.filter((b) => Math.abs(b[1] - mid) < biggest * 5); // all in the one cell of the options
  squares.sort((a, b) => (Math.abs(a[1] - b[1]) < 10 * pt ? a[0] - b[0] : a[1] - b[1]));
  if (squares.length !== OPTIONS.length) throw new Error(`hand-filled form: found ${squares.length} boxes, not ${OPTIONS.length}: ${JSON.stringify(squares)}`);
  const ticks = squares.filter((_, i) => rec.services.includes(OPTIONS[i]));
  const empty = squares.filter((_, i) => !rec.services.includes(OPTIONS[i]));
  // A long record shrinks the table text to keep the form on one page, so its layout differs from
  // the blank form's: then the whole page is in the handwriting font (labels too).
  const P = await raster(await renderPdf(kind, noTicks), dpi, 'P');
  let same = 0,
    dark = 0;
  for (let i = 0; i < B.data.length; i++)
    if (B.data[i] < 100) {
      dark++;
      if (P.data[i] < 160 && A0.data[i] < 160) same++;
    }
  if (same / dark < 0.85) return { ...A, ticks, empty, layout: 'hand font throughout' };
  const out = new Uint8Array(B.data);
  for (let i = 0; i < out.length; i++) if (A0.data[i] > 200 && A.data[i] < out[i]) out[i] = A.data[i];
  return { ...B, data: out, ticks, empty };
}

/** The printed hints, e.g. (本人手签), belong to the printed form, not to the handwriting. */
function withoutHints(model) {
  for (const b of model.blocks) if (b.type === 'table') for (const row of [...(b.head ?? []), ...b.body, ...(b.foot ?? [])]) for (const c of row) delete c.hint;
  return model;
}

/** Bounding boxes of ink present in a but not in b. */
function blobs(a, b) {
  const { width: w, height: h } = a;
  const diff = new Uint8Array(w * h);
  for (let i = 0; i < diff.length; i++) diff[i] = a.data[i] < 128 && b.data[i] > 200 ? 1 : 0;
  const seen = new Uint8Array(w * h);
  const out = [];
  for (let s = 0; s < diff.length; s++) {
    if (!diff[s] || seen[s]) continue;
    let x0 = w, y0 = h, x1 = 0, y1 = 0;
    const st = [s];
    seen[s] = 1;
    while (st.length) {
      const p = st.pop();
      const x = p % w, y = (p - x) / w;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      for (const q of [p - 1, p + 1, p - w, p + w, p - w - 1, p - w + 1, p + w - 1, p + w + 1]) if (q >= 0 && q < diff.length && diff[q] && !seen[q]) (seen[q] = 1), st.push(q);
    }
    if (x1 - x0 > 3 && y1 - y0 > 3) out.push([x0, y0, x1, y1]);
  }
  return out;
}

/**
 * SVG strokes: a hand tick in each box, a red seal over the applicant's name. With `marks`, each
 * ticked box gets one of several pen marks (tick, a large tick overrunning the box, a small tick,
 * a cross, a scribbled fill, in black or blue, thin or thick), and empty boxes get scan dust.
 */
function overlay(width, height, dpi, ticks, seal, marks) {
  const parts = [];
  const pt = dpi / 72;
  for (const [x0, y0, x1, y1] of ticks) {
    const s = Math.max(x1 - x0, y1 - y0) * 1.3;
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const j = () => (rand() - 0.5) * s * 0.15;
    if (!marks) {
      const p = `M ${cx - s * 0.45 + j()} ${cy + j()} Q ${cx - s * 0.2} ${cy + s * 0.25} ${cx - s * 0.1 + j()} ${cy + s * 0.4 + j()} Q ${cx + s * 0.15} ${cy - s * 0.2} ${cx + s * 0.6 + j()} ${cy - s * 0.7 + j()}`;
      parts.push(`<path d="${p}" stroke="#1a1a5a" stroke-width="${pt * 1.3}" fill="none" stroke-linecap="round"/>`);
      continue;
    }
    const colour = pick(['#111111', '#1a1a5a', '#1c3f9a']);
    const width = pt * (0.7 + rand() * 1.1);
    const stroke = (d) => parts.push(`<path d="${d}" stroke="${colour}" stroke-width="${width}" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`);
    const style = pick(['tick', 'big-tick', 'small-tick', 'cross', 'fill']);
    if (style === 'tick' || style === 'big-tick' || style === 'small-tick') {
      const k = style === 'big-tick' ? 1.6 + rand() * 0.6 : style === 'small-tick' ? 0.55 + rand() * 0.15 : 0.9 + rand() * 0.3;
      const t = s * k;
      const ox = cx + (style === 'small-tick' ? j() * 0.5 : j()), oy = cy + (style === 'big-tick' ? -t * 0.15 : 0);
      stroke(`M ${ox - t * 0.42 + j()} ${oy + j()} Q ${ox - t * 0.25} ${oy + t * 0.2} ${ox - t * 0.1 + j()} ${oy + t * 0.38} Q ${ox + t * 0.1} ${oy - t * 0.1} ${ox + t * 0.5 + j()} ${oy - t * 0.6 + j()}`);
    } else if (style === 'cross') {
      const r = s * (0.3 + rand() * 0.15);
      stroke(`M ${cx - r + j()} ${cy - r + j()} L ${cx + r + j()} ${cy + r + j()}`);
      stroke(`M ${cx + r + j()} ${cy - r + j()} L ${cx - r + j()} ${cy + r + j()}`);
    } else {
      // a box blacked in with a zigzag of the pen
      const r = (x1 - x0) * 0.42;
      let d = `M ${cx - r} ${cy - r}`;
      for (let k = 0, n = 5 + int(0, 3); k <= n; k++) d += ` L ${k % 2 ? cx + r + j() * 0.3 : cx - r + j() * 0.3} ${cy - r + (2 * r * k) / n}`;
      stroke(d);
    }
  }
  if (marks)
    // dust and specks in and around the empty boxes
    for (const [x0, y0, x1, y1] of marks.empty)
      for (let k = int(0, 3); k > 0; k--) {
        const x = x0 + (rand() * 1.4 - 0.2) * (x1 - x0), y = y0 + (rand() * 1.4 - 0.2) * (y1 - y0);
        parts.push(`<circle cx="${x}" cy="${y}" r="${pt * (0.3 + rand() * 0.5)}" fill="#333"/>`);
      }
  if (seal) {
    const r = (dpi / 25.4) * 21; // a 42 mm seal
    const [cx, cy] = seal;
    const sw = (dpi / 72) * 2.2;
    parts.push(`<g opacity="0.78" fill="none" stroke="#d81e1e"><circle cx="${cx}" cy="${cy}" r="${r}" stroke-width="${sw * 1.6}"/>`);
    parts.push(`<path d="${star(cx, cy, r * 0.28)}" fill="#d81e1e" stroke="none"/>`);
    const text = '南阳市宛城区绿源环保科技有限公司';
    [...text].forEach((ch, i) => {
      const a = Math.PI * (-1.2 + (i / (text.length - 1)) * 1.4); // along the upper arc
      parts.push(`<text x="${cx + Math.cos(a) * r * 0.74}" y="${cy + Math.sin(a) * r * 0.74 + r * 0.08}" font-size="${r * 0.2}" fill="#d81e1e" stroke="none" text-anchor="middle">${ch}</text>`);
    });
    parts.push('</g>');
  }
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`);
}
function star(cx, cy, r) {
  let d = '';
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 ? r * 0.4 : r;
    d += `${i ? 'L' : 'M'} ${cx + Math.cos(a) * rr} ${cy + Math.sin(a) * rr} `;
  }
  return d + 'Z';
}

/** Noise, blur, rotation, JPEG: the degraded scan's bytes. */
async function degrade(img, { angle = 0, quarter = 0, noise = 0, blur = 0, quality = 85, svg, dpi }) {
  const data = Buffer.from(img.data);
  let s = sharp(data, { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('srgb');
  if (svg) s = sharp(await s.composite([{ input: svg, blend: 'multiply' }]).png().toBuffer());
  else s = sharp(await s.png().toBuffer());
  if (angle) s = s.rotate(angle, { background: '#ffffff' });
  if (quarter) s = s.rotate(quarter);
  let { data: raw, info } = await s.raw().toBuffer({ resolveWithObject: true });
  if (noise) {
    // paper grain and sensor noise; a slightly grey, uneven background
    const px = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    for (let i = 0; i < px.length; i += info.channels) {
      const n = gauss() * noise - 8;
      for (let c = 0; c < 3; c++) px[i + c] = Math.max(0, Math.min(255, px[i + c] + n));
    }
  }
  let out = sharp(raw, { raw: { width: info.width, height: info.height, channels: info.channels } });
  if (blur) out = out.blur(blur);
  return out.jpeg({ quality, chromaSubsampling: '4:2:0' }).withMetadata({ density: dpi }).toBuffer();
}

/** Solves the n×n system A x = b (Gaussian elimination with partial pivoting). */
function solve(A, b) {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-12) throw new Error('homography: singular system');
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = M[r][n];
    for (let k = r + 1; k < n; k++) v -= M[r][k] * x[k];
    x[r] = v / M[r][r];
  }
  return x;
}
/** The homography [h0…h8] (h8 = 1) taking the 4 points `from` to the 4 points `to`. */
function homography(from, to) {
  const A = [], b = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i], [u, v] = to[i];
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y]), b.push(u);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y]), b.push(v);
  }
  return [...solve(A, b), 1];
}
/** The inverse of a 3×3 matrix (row-major), by its adjugate. */
function invert3([a, b, c, d, e, f, g, h, i]) {
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map((v) => v / det);
}
const project = (H, x, y) => {
  const w = H[6] * x + H[7] * y + H[8];
  return [(H[0] * x + H[1] * y + H[2]) / w, (H[3] * x + H[4] * y + H[5]) / w];
};

/**
 * A phone photo of the printed page: the page's corners each moved independently by up to
 * ±PHOTO_SHIFT of its width (x) and height (y), the whole turned by up to ±3°, laid on a grey desk
 * with a margin all round, under light falling off across the page; then sensor noise, a little
 * blur and JPEG. Draws only from photoRand.
 */
const PHOTO_SHIFT = 0.06;
async function photo(img, dpi) {
  const R = photoRand;
  const g = () => Math.sqrt(-2 * Math.log(R() + 1e-12)) * Math.cos(2 * Math.PI * R());
  const { width: W, height: H, data: src } = img;
  const corners = [[0, 0], [W, 0], [W, H], [0, H]];
  const angle = ((R() * 2 - 1) * 3 * Math.PI) / 180;
  const cos = Math.cos(angle), sin = Math.sin(angle);
  let quad = corners.map(([x, y]) => {
    const px = x + (R() * 2 - 1) * PHOTO_SHIFT * W - W / 2, py = y + (R() * 2 - 1) * PHOTO_SHIFT * H - H / 2;
    return [px * cos - py * sin, px * sin + py * cos];
  });
  // The frame: the page's bounding box plus 5–9% of the page on each side (not centred exactly).
  const xs = quad.map((q) => q[0]), ys = quad.map((q) => q[1]);
  const ml = W * (0.05 + R() * 0.04), mr = W * (0.05 + R() * 0.04), mt = H * (0.05 + R() * 0.04), mb = H * (0.05 + R() * 0.04);
  const x0 = Math.min(...xs) - ml, y0 = Math.min(...ys) - mt;
  const OW = Math.round(Math.max(...xs) - x0 + mr), OH = Math.round(Math.max(...ys) - y0 + mb);
  quad = quad.map(([x, y]) => [x - x0, y - y0]);
  const Hf = homography(corners, quad); // page → photo
  const Hi = invert3(Hf); // photo → page
  const desk = 90 + R() * 30;
  // Light: a linear fall-off from hi to lo across the page, in a random direction.
  const dir = R() * 2 * Math.PI, lx = Math.cos(dir), ly = Math.sin(dir);
  const hi = 0.96 + R() * 0.04, lo = 0.75 + R() * 0.07;
  const proj = quad.map(([x, y]) => x * lx + y * ly);
  const p0 = Math.min(...proj), p1 = Math.max(...proj);
  const noise = 6 + R() * 4, blur = 0.6 + R() * 0.5, quality = 70 + Math.floor(R() * 16);
  const out = new Uint8Array(OW * OH);
  const at = (x, y) => (x < 0 || y < 0 || x >= W || y >= H ? desk : src[y * W + x]);
  for (let y = 0; y < OH; y++)
    for (let x = 0; x < OW; x++) {
      // pixel centres: photo (x+½, y+½) → page (u, v) → page pixel grid (u−½, v−½)
      const [u, v] = project(Hi, x + 0.5, y + 0.5);
      const fx = u - 0.5, fy = v - 0.5;
      const ix = Math.floor(fx), iy = Math.floor(fy), ax = fx - ix, ay = fy - iy;
      let val;
      if (ix >= 0 && iy >= 0 && ix + 1 < W && iy + 1 < H) {
        const k = iy * W + ix;
        val = (src[k] * (1 - ax) + src[k + 1] * ax) * (1 - ay) + (src[k + W] * (1 - ax) + src[k + W + 1] * ax) * ay;
      } else if (ix < -1 || iy < -1 || ix > W || iy > H) val = desk;
      else val = (at(ix, iy) * (1 - ax) + at(ix + 1, iy) * ax) * (1 - ay) + (at(ix, iy + 1) * (1 - ax) + at(ix + 1, iy + 1) * ax) * ay;
      const t = Math.max(0, Math.min(1, (x * lx + y * ly - p0) / (p1 - p0)));
      val = val * (hi + (lo - hi) * t) + g() * noise;
      out[y * OW + x] = val < 0 ? 0 : val > 255 ? 255 : Math.round(val);
    }
  return sharp(Buffer.from(out.buffer), { raw: { width: OW, height: OH, channels: 1 } })
    .toColourspace('srgb')
    .blur(blur)
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .withMetadata({ density: dpi })
    .toBuffer();
}

const COND = {
  '300': () => ({ dpi: 300, angle: (rand() * 2 - 1) * 2, noise: 5, quality: 90 }),
  '200-noisy': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 2, noise: 14, blur: 0.6, quality: int(60, 90) }),
  '150-noisy': () => ({ dpi: 150, angle: (rand() * 2 - 1) * 2, noise: 14, blur: 0.5, quality: int(60, 90) }),
  '200-turned': () => ({ dpi: 200, angle: (rand() * 2 - 1), quarter: pick([90, 180, 270]), noise: 6, quality: 85 }),
  '200-hand': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 1.5, noise: 8, quality: 80, hand: true }),
  '200-marks': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 1.5, noise: 10, quality: int(65, 85), hand: true, marks: true }),
  '150-marks': () => ({ dpi: 150, angle: (rand() * 2 - 1) * 1.5, noise: 10, quality: int(65, 85), hand: true, marks: true }),
  'pdf-200': () => ({ dpi: 200, angle: (rand() * 2 - 1) * 1.5, noise: 8, quality: 75, pdf: true }),
  // Draws nothing from rand(): its randomness is photoRand's, in photo().
  '200-photo': () => ({ dpi: 200, photo: true }),
  // Small files for the committed test fixtures (fixtures/scans/): 150 dpi, little noise.
  'small-hand': () => ({ dpi: 150, angle: (rand() * 2 - 1) * 1.5, noise: 3, quality: 70, hand: true }),
  'small-turned': () => ({ dpi: 150, angle: (rand() * 2 - 1), quarter: 180, noise: 3, quality: 70 }),
  'small-photo': () => ({ dpi: 150, photo: true }),
  'small-pdf': () => ({ dpi: 150, angle: (rand() * 2 - 1) * 1.5, noise: 3, quality: 70, pdf: true }),
};

const list = records();
for (const cond of CONDITIONS) {
  if (!COND[cond]) throw new Error(`unknown condition ${cond}`);
  const dir = join(OUT, cond);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, rec] of list) {
    const c = COND[cond]();
    let img, svg;
    if (c.hand) {
      img = await handFilled(rec, c.dpi);
      // seal centred on the applicant's name cell (from the layout: first value cell, upper left of the table)
      svg = overlay(img.width, img.height, c.dpi, img.ticks, [img.width * 0.38, img.height * 0.27], c.marks ? { empty: img.empty } : undefined);
    } else img = await raster(await renderPdf(kind, rec), c.dpi, 'P');
    const jpg = c.photo ? await photo(img, c.dpi) : await degrade(img, { ...c, svg });
    if (c.pdf) {
      const doc = await PDFDocument.create();
      const j = await doc.embedJpg(jpg);
      const page = doc.addPage([595.28, 841.89]);
      page.drawImage(j, { x: 0, y: 0, width: 595.28, height: 841.89 });
      writeFileSync(join(dir, `${name}.pdf`), await doc.save());
    } else writeFileSync(join(dir, `${name}.jpg`), jpg);
    writeFileSync(join(dir, `${name}.truth.json`), JSON.stringify(rec, null, 1) + '\n');
    process.stderr.write(`${cond}/${name} `);
  }
  process.stderr.write('\n');
}
rmSync(tmp, { recursive: true, force: true });
