/**
 * What the scan scripts share (scripts/make-scans.mjs: bangban's own forms; scripts/make-foreign-scans.mjs:
 * forms laid out by other producers): a seeded random stream, generated application records,
 * rasterising a PDF with pdftoppm, a scanner's degradations (rotation, noise, blur, JPEG), a red seal,
 * and a phone photo (perspective, desk, uneven light).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import sharp from 'sharp';
import { getKind, creditCodeCheckChar, orgCodeCheckChar } from '../../dist/index.js';

/** mulberry32: a small deterministic PRNG, so the same command makes the same scans. */
export function mulberry32(s) {
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** A seeded stream: rand() in [0, 1), pick, int (both ends included), gauss (standard normal). */
export function randomStream(seed) {
  const rand = mulberry32(seed);
  return {
    rand,
    pick: (xs) => xs[Math.floor(rand() * xs.length)],
    int: (a, b) => a + Math.floor(rand() * (b - a + 1)),
    gauss: () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand()),
  };
}

/** The handwriting-style font (Ma Shan Zheng, a devDependency). */
export const HAND_FONT = join(dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/ma-shan-zheng/package.json')), '400Regular', 'MaShanZheng_400Regular.ttf');

// The 代办内容 options, from the application schema.
export const OPTIONS = getKind('application').options('/services');
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志宏海波晓东丹宁雪梅慧颖佳俊凯文博浩然思远欣怡雨晨子涵梓轩一鸣家豪嘉欣';
const PLACES = ['宛城区', '卧龙区', '南召县', '方城县', '西峡县', '镇平县', '内乡县', '淅川县', '社旗县', '唐河县', '新野县', '桐柏县', '邓州市'];
const ORGS = ['环保科技有限公司', '化工有限责任公司', '建材有限公司', '食品有限公司', '农民专业合作社', '医药有限公司', '纺织有限公司', '再生资源回收有限公司', '生态农业开发有限公司'];
const WORDS = ['绿源', '金桥', '宏达', '鑫盛', '华联', '天元', '中原', '恒通', '丰泰', '龙腾', '润泽', '瑞丰'];
const ROADS = ['仲景路', '人民路', '建设路', '光武路', '工业路', '滨河路', '中州路', '新华路', '独山大道', '范蠡路'];
const ITEMS = ['建设项目环境影响报告表审批', '建设项目环境影响报告书审批', '排污许可证核发', '固定污染源排污登记', '危险废物经营许可证核发', '辐射安全许可证核发'];
const GUIDE = ['环境影响评价文件编制辅导', '排污许可申请材料准备辅导', '排污登记表填报', '危险废物管理计划编制辅导'];
const CODE = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Record number i, drawn from the stream r (a randomStream): [name, record]. */
export function generatedRecord(i, { rand, pick, int }) {
  const name = () => pick([...SURNAMES]) + Array.from({ length: int(1, 2) }, () => pick([...GIVEN])).join('');
  /** A credit code shaped like a real one: positions 9–17 an organisation code with its GB 11714 check. */
  const creditCode = () => {
    let s = pick(['91', '92', '93', '12', '52']) + '4113' + String(int(0, 99)).padStart(2, '0');
    while (s.length < 17) s += pick([...CODE]);
    s = s.slice(0, 16) + orgCodeCheckChar(s.slice(8, 16));
    return s + creditCodeCheckChar(s);
  };
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

const tmp = mkdtempSync(join(tmpdir(), 'bangban-scans-'));
/** A scratch folder, removed by the caller's cleanup (rmSync(scratch, …)). */
export const scratch = tmp;
/** PDF → grey pixels at a resolution. */
export async function raster(pdf, dpi, tag, page = 1) {
  const f = join(tmp, `${tag}.pdf`);
  writeFileSync(f, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', '-f', String(page), '-l', String(page), f, join(tmp, tag)]);
  const { data, info } = await sharp(join(tmp, `${tag}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** SVG of a red 42 mm seal (a ring, a star, a company name along the arc) centred at (cx, cy). */
export function sealSvg(cx, cy, dpi, text = '南阳市宛城区绿源环保科技有限公司') {
  const parts = [];
  const r = (dpi / 25.4) * 21; // a 42 mm seal
  const sw = (dpi / 72) * 2.2;
  parts.push(`<g opacity="0.78" fill="none" stroke="#d81e1e"><circle cx="${cx}" cy="${cy}" r="${r}" stroke-width="${sw * 1.6}"/>`);
  parts.push(`<path d="${star(cx, cy, r * 0.28)}" fill="#d81e1e" stroke="none"/>`);
  [...text].forEach((ch, i) => {
    const a = Math.PI * (-1.2 + (i / (text.length - 1)) * 1.4); // along the upper arc
    parts.push(`<text x="${cx + Math.cos(a) * r * 0.74}" y="${cy + Math.sin(a) * r * 0.74 + r * 0.08}" font-size="${r * 0.2}" fill="#d81e1e" stroke="none" text-anchor="middle">${ch}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
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
export async function degrade(img, gauss, { angle = 0, quarter = 0, noise = 0, blur = 0, quality = 85, svg, dpi }) {
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
 * blur and JPEG. Draws only from R (its own stream, so that other conditions keep their draws).
 */
const PHOTO_SHIFT = 0.06;
export async function photo(img, dpi, R) {
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

