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
import { mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { getKind, renderPdf, documentModel, defaultFonts } from '../dist/index.js';
import { modelToPdf } from '../dist/pdf/render.js';
import { findSquares } from '../dist/ocr/geometry.js';
import { OPTIONS, randomStream, mulberry32, generatedRecord, raster, sealSvg, degrade, photo, scratch, HAND_FONT } from './lib/scan-degrade.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const OUT = opt('out', 'out/scans');
const N = Number(opt('records', 10));
const CONDITIONS = opt('conditions', '300,200-noisy,150-noisy,200-turned,200-hand,pdf-200,200-marks,200-photo').split(',');
const only = opt('only'); // comma-separated record names
const stream = randomStream(Number(opt('seed', 7)));
const { rand, pick, int, gauss } = stream;
/** A second, independent stream for the photo condition, so that adding it to a run leaves the draws (and so the images) of every other condition unchanged. */
const photoRand = mulberry32(Number(opt('seed', 7)) ^ 0x50484f54);

const kind = getKind('application');
const generated = (i) => generatedRecord(i, stream);

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

/**
 * The handwriting-style font with the body font's vertical metrics (hhea, OS/2), so lines are as high
 * as in the printed form and every value lands in its cell at the same place.
 */
let handFile;
const handFonts = () => {
  const f = defaultFonts();
  if (!handFile) {
    const hand = readFileSync(HAND_FONT);
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
    handFile = join(scratch, 'hand.ttf');
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
  if (seal) parts.push(sealSvg(seal[0], seal[1], dpi));
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`);
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
    const jpg = c.photo ? await photo(img, c.dpi, photoRand) : await degrade(img, gauss, { ...c, svg });
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
rmSync(scratch, { recursive: true, force: true });
