/**
 * One page image → upright, deskewed page with positioned text lines, ruled lines and check boxes.
 */
import { performance } from 'node:perf_hooks';
import { binarize, crop, dropRed, faintLines, rotate90, rotateSmall, type Gray, type Rgb } from './image.js';
import { detect, recognize, upsideDown, type Box, type Recognised } from './engine.js';
import { failedCode, type Step } from './constrained.js';
import { boxFill, findRules, findSquares, inkAfterText, inkIn, skewAngle, strokesOfText, throughSeal, type Rule } from './geometry.js';
import { clearBackground, sheetWarp, tableWarp } from './perspective.js';
import { untangle } from './untangle.js';

export type { Box } from './engine.js';
export type { Rule } from './geometry.js';

/** A recognised line of text, in pixels of the upright page. */
export interface OcrLine {
  text: string;
  box: Box;
  /** Mean character probability, 0–1. */
  confidence: number;
  /** Each character with its probability, horizontal extent and the time step of `steps` it was read at. */
  chars: { ch: string; p: number; x0: number; x1: number; t?: number }[];
  /** The recogniser's likeliest classes per time step, for reading codes by their format. */
  steps?: Step[];
  /** For a line that reads like an identifier but fails every check: the steps read from other crops of it. */
  variants?: Step[][];
}

export interface OcrCheckbox {
  box: Box;
  checked: boolean;
  /** How sure the pixels are, 0.5–1. */
  confidence: number;
  /** Ink fraction inside the box. */
  fill: number;
  /** No box: ink looked for beside a label (`looseMark`), `box` is where it was looked for. */
  loose?: true;
}

export interface OcrPage {
  /** 0-based page number in its file. */
  index: number;
  width: number;
  height: number;
  /** Pixels per inch (from the file, else assuming an A4 page width). */
  dpi: number;
  /** Clockwise quarter turns applied to make the page upright: 0, 90, 180 or 270. */
  rotation: number;
  /** Small rotation removed, degrees. */
  skew: number;
  lines: OcrLine[];
  rules: { h: Rule[]; v: Rule[] };
  checkboxes: OcrCheckbox[];
  /** Milliseconds spent on this page. */
  ms: number;
}

/** A page together with its pixels (binarised, upright), for reading marks beside labels. */
export interface OcrPageImage {
  page: OcrPage;
  bin: Uint8Array;
  /** Every drawn square, also those read as a character (口): one right before an option label is its box. */
  squares?: OcrCheckbox[];
  /** Where red ink (a seal) was removed, 1 per pixel of the upright page; absent when there was none. */
  red?: Uint8Array;
  /** The page in colour, turned and straightened as the reader read it (OcrOptions.view): what fields' boxes refer to. */
  view?: Rgb;
}

export interface OcrOptions {
  /** Long side of the image fed to text detection (default 1600). */
  detSide?: number;
  /** Known rotation (skip orientation detection). */
  rotation?: 0 | 90 | 180 | 270;
  /** Skip deskewing. */
  noDeskew?: boolean;
  /** Keep the page in colour, turned and straightened as read (OcrPageImage.view), for showing it. */
  view?: boolean;
}

const A4_WIDTH_IN = 8.27;
/** Long side of the image the text detector sees. */
const DET_SIDE = 1344;

/** Quarter turns from text-box shapes: lines of a page on its side stand upright. */
function onItsSide(boxes: Box[]): boolean {
  let wide = 0,
    tall = 0;
  for (const [x0, y0, x1, y1] of boxes) {
    const w = x1 - x0,
      h = y1 - y0;
    if (w > h * 1.5) wide += w * h;
    else if (h > w * 1.5) tall += w * h;
  }
  return tall > wide;
}

/** The usual step between the centres of neighbouring Chinese characters of a recognised line, in pixels of a crop `w` wide (four or more of them). */
export function hanStep(chars: { ch: string; at: number }[], w: number): number | undefined {
  const at = chars.filter((c) => HAN.test(c.ch)).map((c) => c.at * w);
  if (at.length < 4) return undefined;
  const steps = at
    .slice(1)
    .map((x, k) => x - at[k])
    .sort((a, b) => a - b);
  return steps[steps.length >> 1];
}

/** 0/180 from PaddleOCR's direction classifier over the widest lines. */
async function upsideDownPage(g: Gray, boxes: Box[]): Promise<boolean> {
  const lines = boxes.filter(([x0, y0, x1, y1]) => x1 - x0 > (y1 - y0) * 2.5).sort((a, b) => b[2] - b[0] - (a[2] - a[0])).slice(0, 12);
  if (!lines.length) return false;
  const p = await upsideDown(lines.map((b) => crop(g, b[0], b[1], b[2], b[3])));
  return p.reduce((a, v) => a + v, 0) / p.length > 0.5;
}

/** OCR one decoded page image. */
export async function ocrImage(rgb: Rgb, index = 0, opts: OcrOptions = {}): Promise<OcrPageImage> {
  const t0 = performance.now();
  const lap = timer();
  let { grey: g, red, lines: underSeal } = dropRed(rgb);
  // a photo's sheet against the desk, for its outline when there is no table
  let sheet: Gray | undefined;
  // the page to show, in its three channels, moved with the page at every step
  let view = opts.view ? channels(rgb) : undefined;
  const move = (f: (x: Gray) => Gray) => {
    g = f(g);
    red = red && f(red);
    underSeal = underSeal && f(underSeal);
    sheet = sheet && f(sheet);
    view = view?.map(f);
  };
  let q = opts.rotation !== undefined ? opts.rotation / 90 : 0;
  if (q) move((x) => rotate90(x, q));
  let bin = binarize(g);
  // A photo: the desk around the page becomes paper.
  const paper = clearBackground(g);
  if (paper) {
    if (underSeal) for (let p = 0; p < paper.page.data.length; p++) if (paper.page.data[p] !== g.data[p]) underSeal.data[p] = 255;
    bin = binarize((g = paper.page));
    sheet = paper.paper;
  }
  // Deskew first: ruled lines and text rows are straight in every quarter turn alike.
  let skew = 0;
  if (!opts.noDeskew) {
    skew = skewAngle(bin, g.width, g.height);
    if (Math.abs(skew) >= 0.05) move((x) => rotateSmall(x, skew));
  }
  lap('deskew');
  // A photo taken at an angle: the table made a rectangle again.
  const flatten = tableWarp(g, binarize(g)) ?? (sheet && sheetWarp(sheet));
  if (flatten) move(flatten);
  lap('perspective');
  const side = opts.detSide ?? DET_SIDE;
  let boxes = (await detect(g, side)).map((d) => d.box);
  lap('detect');
  if (opts.rotation === undefined) {
    if (onItsSide(boxes)) {
      move((x) => rotate90(x, 1));
      q = 1;
      boxes = (await detect(g, side)).map((d) => d.box);
    }
    if (await upsideDownPage(g, boxes)) {
      move((x) => rotate90(x, 2));
      q += 2;
      const { width: W, height: H } = g;
      boxes = boxes.map(([x0, y0, x1, y1]): Box => [W - x1, H - y1, W - x0, H - y0]);
    }
    lap('orientation');
  }
  // small print whose lines the detector ran together, detected again closer up
  boxes = await untangle(g, boxes, Math.min(1, side / Math.max(g.width, g.height)));
  lap('untangle');
  bin = binarize(g);
  const { width, height } = g;
  // A file's density is believed when it makes a paper's size of the page (A5 to A3); cameras and
  // many programs write 72 dpi whatever the image holds, which would make a scanned A4 23 inches wide.
  const short = Math.min(width, height);
  const dpi = rgb.dpi && short / rgb.dpi >= 4 && short / rgb.dpi <= 12.5 ? rgb.dpi : short / A4_WIDTH_IN;
  const minRule = Math.max(30, Math.round(dpi * 0.4));
  // A table's lines may be printed faint (grey hairlines beside black text, or lit unevenly in a
  // photo): they are looked for again in what is a little darker than the paper around it, and
  // those lines taken when they are a third longer in all. (Only then: where the table is black,
  // the finer search adds little but strokes of text and grain.)
  let rules = findRules(bin, width, height, minRule);
  const lineInk = faintLines(underSeal ?? g, bin);
  for (let p = 0; p < lineInk.length; p++) lineInk[p] |= bin[p];
  const faint = findRules(lineInk, width, height, minRule);
  const length = (r: typeof rules) => [...r.h, ...r.v].reduce((a, l) => a + l.x1 - l.x0 + l.y1 - l.y0, 0);
  if (length(faint) > length(rules) * 1.33) rules = faint;
  rules = { h: rules.h, v: rules.v.filter((r) => !strokesOfText(bin, width, r, dpi)) };
  if (red) rules.v = rules.v.map((r, _, v) => throughSeal(r, rules.h, v, red!, dpi));
  const pt = dpi / 72;
  const squares = findSquares(bin, width, height, Math.round(5 * pt), Math.round(16 * pt));
  lap('rules+squares');
  // Text lines: a detected box never crosses a ruled line that cuts right through it, is clipped at
  // the cell borders its margins reach over, and is read from its ink (less width to recognise).
  const trimmed: Box[] = [];
  for (const d of joinSpaced(boxes, bin, width, rules.v)) for (const b of splitAtRules(d, rules.v)) for (const r of splitRows(bin, width, clipAtRules(b, rules.h))) trimmed.push(inkExtent(bin, width, r));
  // A lone character (傅　玉 is printed spaced) reads better with paper around it.
  const crops = trimmed.map((b) => padWide(crop(g, b[0], b[1], b[2], b[3])));
  const rec = await recognize(crops);
  lap('recognize');
  // A line that reads like an identifier but passes no check character is read again from a few
  // other crops of it (tighter, looser, binarised): the mapping votes among their readings.
  const again = rec.flatMap((r, i) => (failedCode(r.text) ? [i] : []));
  const variants = again.length ? await recognize(again.flatMap((i) => codeCrops(g, bin, trimmed[i]))) : [];
  const lines: OcrLine[] = [];
  rec.forEach((r, i) => {
    if (!r.text.trim()) return;
    const line = placed(r, trimmed[i], crops[i], width);
    if (again.includes(i)) line.variants = variants.splice(0, CODE_CROPS).map((v) => v.steps);
    lines.push(line);
  });
  lap('codes');
  await readDoubts(lines, g);
  lap('doubts');
  await readTails(lines, g, bin);
  lap('tails');
  dropContained(lines);
  trimOverlaps(lines);
  for (const l of lines) spacesAtScriptChanges(l, bin, width);
  // Squares that are really characters (口, 日 …) sit under a recognised Chinese character (a tick
  // in a box reads as M, V or ■, not as one).
  const checkboxes: OcrCheckbox[] = [];
  const allSquares: OcrCheckbox[] = [];
  for (const s of squares) {
    const [x0, y0, x1, y1] = s.box;
    const cx = (x0 + x1) / 2,
      cy = (y0 + y1) / 2;
    const side = Math.max(x1 - x0, y1 - y0);
    if (Math.abs(x1 - x0 - (y1 - y0)) > side * 0.2) continue;
    allSquares.push({ box: s.box, fill: s.fill, ...markState(s.fill) });
    // …unless it opens its line: a box before an option, read as 口 or ■.
    // (Mid-line, the character read nearest the square decides: a box between options reads as ■ or
    // □, and the Chinese character beside it is farther.)
    const asChar = lines.some((l) => {
      if (!(cy > l.box[1] && cy < l.box[3]) || (x0 - l.box[0] < (l.box[3] - l.box[1]) * 0.6 && BOXLIKE.test(l.chars[0]?.ch ?? ''))) return false;
      const dist = (c: OcrLine['chars'][number]) => Math.abs((c.x0 + c.x1) / 2 - cx);
      const nearest = l.chars.filter((c) => c.ch.trim()).sort((a, b) => dist(a) - dist(b))[0];
      return !!nearest && HAN.test(nearest.ch) && dist(nearest) < side * 0.8;
    });
    if (asChar) continue;
    checkboxes.push({ box: s.box, fill: s.fill, ...markState(s.fill) });
  }
  const page: OcrPage = { index, width, height, dpi: Math.round(dpi), rotation: q * 90, skew: Math.round(skew * 100) / 100, lines, rules, checkboxes, ms: 0 };
  page.ms = Math.round(performance.now() - t0);
  return { page, bin, squares: allSquares, ...(red ? { red: red.data.map((v) => (v < 128 ? 1 : 0)) } : {}), ...(view ? { view: merge(view) } : {}) };
}

/** A recognised crop of page box `b` as a line of the page: each character's extent in page pixels. */
function placed(r: Recognised, b: Box, c: Gray, width: number): OcrLine {
  // Positions in the (possibly padded, centred) crop, back to the page.
  const raw = Math.min(width, b[2]) - Math.max(0, b[0]);
  const pad = (c.width - Math.max(1, Math.round(raw))) / 2;
  const w = c.width;
  // a character about as wide as the line is high, or, in a box taller than its text (a slanted
  // line in a photo), as the step between its Chinese characters
  const cw = Math.min((b[3] - b[1]) * 0.9, hanStep(r.chars, w) ?? Infinity);
  return {
    text: r.text,
    box: b.map((v) => Math.round(v)) as Box,
    confidence: r.confidence,
    steps: r.steps,
    chars: r.chars.map((ch) => {
      const x = Math.max(0, b[0]) - pad + ch.at * w;
      return { ch: ch.ch, p: ch.p, x0: Math.round(x - cw / 2), x1: Math.round(x + cw / 2), t: ch.t };
    }),
  };
}

/**
 * Small print boxed tight (a line of 5-point text 11 pixels high, its box on the ink) is misread
 * where a looser crop is read right (创薪 for 创新). A line with a character the recogniser doubted
 * is read again from a crop reaching a little above and below its box, on paper; the new reading is
 * taken when it has as many characters and is surer of every one it reads otherwise.
 */
async function readDoubts(lines: OcrLine[], g: Gray): Promise<void> {
  const doubtful = lines.filter((l) => !l.variants && l.chars.some((c) => c.ch.trim() && c.p < DOUBT));
  if (!doubtful.length) return;
  const crops = doubtful.map(({ box: [x0, y0, x1, y1] }) => {
    const h = y1 - y0;
    const reach = Math.max(1, Math.round(h * 0.12)),
      paper = Math.max(2, Math.round(h * 0.15));
    return onPaper(crop(g, x0, Math.max(0, y0 - reach), x1, Math.min(g.height, y1 + reach)), h, paper);
  });
  const rec = await recognize(crops);
  doubtful.forEach((l, i) => {
    const again = placed(rec[i], l.box, crops[i], g.width);
    const was = l.chars.filter((c) => c.ch.trim()),
      now = again.chars.filter((c) => c.ch.trim());
    if (now.length !== was.length) return;
    const changed = now.flatMap((c, k) => (c.ch === was[k].ch ? [] : [k]));
    if (!changed.length || changed.some((k) => now[k].p <= was[k].p)) return;
    Object.assign(l, { text: again.text, confidence: again.confidence, steps: again.steps, chars: again.chars });
  });
}

/** A character read with less probability than this makes its line worth reading again. */
const DOUBT = 0.75;

/**
 * The recogniser may drop a small mark at the very end of its crop (the 、 that ends a wrapped line):
 * a line whose box holds ink past its last character read has its end (its last characters and
 * that ink) read again on its own, with a line height of paper either side. A 、，。 or comma that
 * then follows the same last two characters is added to the line (a full stop after Latin only).
 * (The whole line read again with paper after it finds the mark less often: at 150 dpi it is a
 * few pixels in a long crop.)
 */
async function readTails(lines: OcrLine[], g: Gray, bin: Uint8Array): Promise<void> {
  const tails = lines.filter((l) => !l.variants && inkAfterText(bin, g.width, l));
  if (!tails.length) return;
  const ends = tails.map((l): Box => {
    const cs = l.chars.filter((c) => c.ch.trim());
    return [Math.max(l.box[0], cs[Math.max(0, cs.length - TAIL_CHARS)].x0 - 2), l.box[1], l.box[2], l.box[3]];
  });
  const crops = ends.map((b) => onPaper(crop(g, b[0], b[1], b[2], b[3]), b[3] - b[1]));
  const rec = await recognize(crops);
  tails.forEach((l, i) => {
    const last = l.chars.filter((c) => c.ch.trim()).slice(-2).map((c) => c.ch).join('');
    const more = rec[i].text.replace(/\s/gu, '');
    // (a full stop only after a letter or digit: after Chinese, a speck read as one)
    const mark = more.match(/[、，。,]{1,2}$/u)?.[0] ?? (/[A-Za-z0-9]$/u.test(last) ? more.match(/\.$/u)?.[0] : undefined);
    if (!mark || !more.slice(0, -mark.length).endsWith(last)) return;
    const added = placed(rec[i], ends[i], crops[i], g.width).chars.filter((c) => c.ch.trim()).slice(-[...mark].length);
    l.chars.push(...added.map(({ t: _, ...c }) => c));
    l.text += mark;
  });
}

/** How many of a line's last characters are read again with what follows them. */
const TAIL_CHARS = 3;

/** An RGB image as three one-channel images, and back. */
function channels(rgb: Rgb): Gray[] {
  return [0, 1, 2].map((c) => {
    const data = new Uint8Array(rgb.width * rgb.height);
    for (let i = 0; i < data.length; i++) data[i] = rgb.data[i * 3 + c];
    return { width: rgb.width, height: rgb.height, data };
  });
}

function merge([r, gr, b]: Gray[]): Rgb {
  const data = new Uint8Array(r.width * r.height * 3);
  for (let i = 0; i < r.data.length; i++) {
    data[i * 3] = r.data[i];
    data[i * 3 + 1] = gr.data[i];
    data[i * 3 + 2] = b.data[i];
  }
  return { width: r.width, height: r.height, data };
}

/**
 * The detector sometimes gives a piece of a line a box of its own as well (the 区 of 欧 beside
 * 欧阳明远), which would put a character too many into the value: a shorter line whose box lies
 * mostly (70 %) inside a longer one's is dropped.
 */
export function dropContained(lines: OcrLine[]): void {
  const area = (b: Box) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
  for (let i = lines.length - 1; i >= 0; i--) {
    const a = lines[i];
    const inside = lines.some((b, j) => {
      if (j === i) return false;
      const o: Box = [Math.max(a.box[0], b.box[0]), Math.max(a.box[1], b.box[1]), Math.min(a.box[2], b.box[2]), Math.min(a.box[3], b.box[3])];
      if (!(o[2] > o[0] && o[3] > o[1] && area(o) >= 0.7 * area(a.box))) return false;
      const [na, nb] = [[...a.text].length, [...b.text].length];
      // one line read twice (from two overlapping boxes, one of them cut out of a box over several
      // lines): the surer reading stays
      if (na === nb) return b.confidence > a.confidence || (b.confidence === a.confidence && j < i);
      return nb > na;
    });
    if (inside) lines.splice(i, 1);
  }
}

/**
 * Two boxes on one row that overlap (a seal lifted off the page breaks a line's box in two, both
 * reaching into the gap): the characters the shorter line read inside the longer one's box, when
 * the longer one ends with them, were read twice and leave the shorter line.
 */
export function trimOverlaps(lines: OcrLine[]): void {
  for (const a of lines)
    for (const b of lines) {
      if (a === b || b.chars.length >= a.chars.length || b.box[0] <= a.box[0] || b.box[0] >= a.box[2]) continue;
      const rows = Math.min(a.box[3], b.box[3]) - Math.max(a.box[1], b.box[1]);
      if (rows < 0.5 * Math.min(a.box[3] - a.box[1], b.box[3] - b.box[1])) continue;
      let n = 0;
      while (n < b.chars.length && (b.chars[n].x0 + b.chars[n].x1) / 2 < a.box[2]) n++;
      if (!n || n === b.chars.length) continue;
      const twice = b.chars.slice(0, n).map((c) => c.ch).join('');
      const end = a.chars.slice(-n).map((c) => c.ch).join('');
      if ([...twice].filter((c, k) => c !== [...end][k]).length > Math.floor(n / 4)) continue;
      b.chars = b.chars.slice(n);
      b.text = b.chars.map((c) => c.ch).join('');
      b.box = [Math.max(b.box[0], a.box[2]), b.box[1], b.box[2], b.box[3]];
    }
}

/** Characters that OCR reads for a drawn box or a mark in it. */
export const BOXLIKE = /^[■□☐☑☒√✓✔✗✘×口回図囗▢▣⊠⊡◻◼▪▫]$/u;

/** A box is ticked when its inside holds ink; the margin from the threshold gives the confidence. */
export function markState(fill: number): { checked: boolean; confidence: number } {
  const T = 0.045;
  const checked = fill > T;
  // Ink that counts is a mark (dust does not), so an empty box reads 0: half the threshold above it is sure.
  const margin = checked ? Math.min(1, (fill - T) / (T * 0.5)) : Math.min(1, (T - fill) / (T * 0.7));
  return { checked, confidence: Math.round((0.5 + 0.5 * Math.max(0, margin)) * 1000) / 1000 };
}

/**
 * The mark left of a label (an option of a checkbox group): a drawn box found there gives its state;
 * with no box, any mark (√, ✓, ■, a hand tick) there counts as ticked, but not the strokes of empty
 * brackets. `band`: the rows the option covers when it wraps (default the label's); `boxOnly`: a
 * box or nothing, no loose ink; `from`: where the text before the label ends, so that loose ink is
 * looked for up to there (a wide （√） ), not only in the usual width.
 */
export function markBeside(img: OcrPageImage, label: Box, opts: { band?: [number, number]; boxOnly?: boolean; from?: number } = {}): OcrCheckbox | undefined {
  const { page, bin } = img;
  const h = label[3] - label[1];
  // an option wrapped over two lines has its box in the middle of both
  const cy = opts.band ? (opts.band[0] + opts.band[1]) / 2 : (label[1] + label[3]) / 2;
  const near = page.checkboxes
    .filter((c) => c.box[2] <= label[0] + h * 0.3 && c.box[2] >= label[0] - h * 2.5 && c.box[1] < cy && c.box[3] > cy)
    .sort((a, b) => b.box[2] - a.box[2])[0];
  if (near) return near;
  // A square right before the label that was read as 口 (an empty □ between two options): the label
  // is known text, so the square is its box.
  const before = (img.squares ?? []).filter((c) => c.box[2] <= label[0] + h * 0.3 && c.box[2] >= label[0] - h * 0.9 && c.box[1] < cy && c.box[3] > cy).sort((a, b) => b.box[2] - a.box[2])[0];
  if (before) return before;
  const glyph = glyphBox(bin, page.width, page.height, label);
  if (glyph) return glyph;
  const local = boxNear(bin, page.width, page.height, label);
  if (local) return local;
  if (opts.boxOnly) return undefined;
  return looseMark(img, label, opts.from, cy);
}

/**
 * Loose ink (√, ✓, a hand tick) left of `label`, up to `from` (where the text before it ends) or the
 * usual width; the strokes of empty brackets are no mark. `cy`: the row a cell border must cross
 * to bound the search.
 */
export function looseMark(img: OcrPageImage, label: Box, from?: number, cy = (label[1] + label[3]) / 2): OcrCheckbox {
  const { page, bin } = img;
  const h = label[3] - label[1];
  let left = Math.max(0, from === undefined ? label[0] - h * 1.6 : Math.max(from, label[0] - h * 2.6));
  const right = label[0] - h * 0.15;
  // the recogniser places the text before only roughly: start past its last inked column
  const [top, bottom] = [label[1] + h * 0.1, label[3] - h * 0.1];
  if (from !== undefined && left === from) left = blankColumn(img, Math.round(from), Math.round(from + h * 0.35), top, bottom) ?? left;
  // where the usual width ends in ink (a wide bracket), the search takes in the whole of it
  else left = blankColumn(img, Math.round(left), Math.round(Math.max(from ?? 0, left - h * 0.5)) - 1, top, bottom) ?? left;
  // Not past the cell's border, and the border itself is no mark.
  for (const r of page.rules.v) if (r.x0 < right && r.x0 + 3 > left && r.y0 < cy && r.y1 > cy) left = r.x0 + 4;
  const region: Box = [left, top, right, bottom];
  if (region[2] - region[0] < h * 0.3) return { box: region.map(Math.round) as Box, fill: 0, checked: false, confidence: 0.6, loose: true };
  // The strokes of a bracket or parenthesis ([ ] （ ）: narrow, about the text's height; thick at 150 dpi
  // but still thin for their height) are no mark;
  // a blot cut by the region's left side may be part of a tick. The ink is measured against the
  // usual width, so that a wider search does not thin out a small tick.
  const usual = Math.min(region[2] - region[0], h * 1.45) / (region[2] - region[0]);
  const fill = inkIn(bin, page.width, region, 0.25, (b, W, H) => b.x0 > 0 && b.y1 - b.y0 >= H * 0.6 && (b.x1 - b.x0 <= h * 0.3 || (b.x1 - b.x0 <= H * 0.45 && b.y1 - b.y0 >= (b.x1 - b.x0) * 2))) / usual;
  const state = markState(fill * 1.5);
  // a mark where its ink is, which puts it against what it touches (√口…, （√）), not the whole search
  const box = region.map(Math.round) as Box;
  if (state.checked) {
    const inked = (x: number) => columnInked(img, x, box[1], box[3]);
    let x0 = box[0],
      x1 = box[2];
    while (x0 < x1 && !inked(x0)) x0++;
    while (x1 > x0 && !inked(x1 - 1)) x1--;
    if (x1 > x0) [box[0], box[2]] = [x0, x1];
  }
  return { box, fill, ...state, loose: true };
}

/** Whether column x holds ink in rows [y0, y1). */
function columnInked(img: OcrPageImage, x: number, y0: number, y1: number): boolean {
  const W = img.page.width;
  for (let y = Math.max(0, Math.round(y0)); y < Math.round(y1); y++) if (img.bin[y * W + x]) return true;
  return false;
}

/** The first column without ink in rows [y0, y1), going from x0 towards x1 (either way, x1 excluded), or undefined. */
function blankColumn(img: OcrPageImage, x0: number, x1: number, y0: number, y1: number): number | undefined {
  const step = x1 >= x0 ? 1 : -1;
  for (let x = x0; x !== x1 && x >= 0 && x < img.page.width; x += step) if (!columnInked(img, x, y0, y1)) return x;
  return undefined;
}

/**
 * A printed box glyph (□ ■ ☑) or a small drawn box right before a label, as one connected blot of
 * ink: the nearest one left of the label that is about square and 0.35–1 text height high. Its
 * inside (past a fifth of its side) says empty (□, nothing), filled (■) or ticked.
 */
function glyphBox(bin: Uint8Array, width: number, height: number, label: Box): OcrCheckbox | undefined {
  const h = label[3] - label[1];
  const x0 = Math.max(0, Math.round(label[0] - h * 1.3)),
    x1 = Math.min(width, Math.round(label[0] + h * 0.2));
  const y0 = Math.max(0, Math.round(label[1] - h * 0.15)),
    y1 = Math.min(height, Math.round(label[3] + h * 0.15));
  const W = x1 - x0,
    H = y1 - y0;
  if (W < 4 || H < 4) return undefined;
  const seen = new Uint8Array(W * H);
  let best: Box | undefined;
  for (let s = 0; s < W * H; s++) {
    if (seen[s] || !bin[(y0 + Math.floor(s / W)) * width + x0 + (s % W)]) continue;
    let ax = W,
      ay = H,
      bx = -1,
      by = -1;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % W,
        y = (p - x) / W;
      if (x < ax) ax = x;
      if (x > bx) bx = x;
      if (y < ay) ay = y;
      if (y > by) by = y;
      for (const q of [p - 1, p + 1, p - W, p + W]) {
        if (q < 0 || q >= W * H || seen[q] || (Math.abs((q % W) - x) > 1)) continue;
        if (!bin[(y0 + Math.floor(q / W)) * width + x0 + (q % W)]) continue;
        seen[q] = 1;
        stack.push(q);
      }
    }
    const w = bx - ax + 1,
      hh = by - ay + 1;
    if (w < h * 0.35 || hh < h * 0.35 || w > h * 1.05 || hh > h * 1.05 || w > hh * 1.35 || hh > w * 1.35) continue;
    // touching the region's edge: part of something larger (a character, a rule)
    if (ax === 0 || ay === 0 || by === H - 1) continue;
    // a box glyph stands right before its label; a square part of a character further left (果's 田) is none
    if (x0 + ax > label[0] + h * 0.1 || x0 + bx < label[0] - h * 0.9) continue;
    // a box stands on the line: it spans the label's middle row
    if (y0 + ay > (label[1] + label[3]) / 2 || y0 + by < (label[1] + label[3]) / 2) continue;
    if (!best || x0 + bx > best[2]) best = [x0 + ax, y0 + ay, x0 + bx, y0 + by];
  }
  if (!best) return undefined;
  const fill = boxFill(bin, width, best);
  return { box: best, fill, ...markState(fill) };
}

/**
 * A box drawn just left of a label that the page-wide search missed (broken edges in a noisy scan):
 * two inked columns and two inked rows about a text height apart.
 */
function boxNear(bin: Uint8Array, width: number, height: number, label: Box): OcrCheckbox | undefined {
  const h = label[3] - label[1];
  const x0 = Math.max(0, Math.round(label[0] - h * 1.8)),
    x1 = Math.min(width - 1, Math.round(label[0] + h * 0.1));
  const y0 = Math.max(0, Math.round(label[1] - h * 0.1)),
    y1 = Math.min(height - 1, Math.round(label[3] + h * 0.1));
  const W = x1 - x0 + 1,
    H = y1 - y0 + 1;
  if (W < 5 || H < 5) return undefined;
  const cols = new Array(W).fill(0),
    rows = new Array(H).fill(0);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      if (bin[(y0 + y) * width + x0 + x]) {
        cols[x]++;
        rows[y]++;
      }
  const side = h * 0.62; // a box is about the height of the text, the line box is higher
  const strong = (arr: number[], min: number) => arr.map((v, i) => (v >= min ? i : -1)).filter((i) => i >= 0);
  const cs = strong(cols, side * 0.7),
    rs = strong(rows, side * 0.7);
  if (cs.length < 2 || rs.length < 2) return undefined;
  // Three sides or four inked along most of their length between each other (a grey side may be
  // lost): one square, not the columns of one thing and the rows of another (a character's 田 beside it)
  const inked = (fx: number, fy: number, dx: number, dy: number, n: number) => {
    let k = 0;
    for (let i = 0; i <= n; i++) {
      const x = fx + dx * i,
        y = fy + dy * i;
      let any = false;
      for (let t = -1; t <= 1 && !any; t++) any = !!bin[(y0 + y + dx * t) * width + x0 + x + dy * t];
      if (any) k++;
    }
    return k >= n * 0.6;
  };
  const closed = (a: number, c: number, b: number, e: number) =>
    [inked(a, c, 1, 0, b - a), inked(a, e, 1, 0, b - a), inked(a, c, 0, 1, e - c), inked(b, c, 0, 1, e - c)].filter(Boolean).length >= 3;
  // The pair of columns and of rows farthest apart within a plausible box size.
  let best: [number, number, number, number] | undefined;
  let bestScore = 0;
  for (const a of cs)
    for (const b of cs) {
      const d = b - a;
      // a box stands right before its label (a square part of a character further left is none)
      if (d < side * 0.7 || d > side * 1.8 || x0 + b < label[0] - h * 0.9) continue;
      for (const c of rs)
        for (const e of rs) {
          const dy = e - c;
          if (dy < d * 0.75 || dy > d * 1.3) continue;
          const score = cols[a] + cols[b] + rows[c] + rows[e];
          if ((!best || score > bestScore) && closed(a, c, b, e)) {
            best = [a, c, b, e];
            bestScore = score;
          }
        }
    }
  if (!best) return undefined;
  const box: Box = [x0 + best[0], y0 + best[1], x0 + best[2], y0 + best[3]];
  // a box stands on the line: it spans the label's middle row (edges of a tick do not)
  const cy = (label[1] + label[3]) / 2;
  if (box[1] > cy || box[3] < cy) return undefined;
  const fill = boxFill(bin, width, box);
  return { box, fill, ...markState(fill) };
}

/** The Chinese characters (CJK Extension A and the Unified Ideographs), as a character class's range, and one such character. */
export const HAN_RANGE = '\\u3400-\\u9fff';
export const HAN = new RegExp(`[${HAN_RANGE}]`);
const ALNUM = /[A-Za-z0-9]/;
const DATE_UNIT = /[年月日时分秒]/;

/**
 * OCR drops spaces. Where Chinese meets Latin letters or digits (仲景路 1088 号), a space is put back
 * when the blank between the two characters is wider than a space's worth of the text height, or a
 * little narrower where the recogniser itself gave a space some probability.
 */
export function spacesAtScriptChanges(l: OcrLine, bin: Uint8Array, width: number): void {
  // text height, about the font size: from the detector's box, whose margin is about a third of
  // the text at 300 dpi; at lower resolution the box can fit the ink, then the rows the ink spans
  // (a Chinese character's height, blurred by a pixel or so) say it
  const rows = inkRowSpan(bin, width, l.box);
  const h = Math.max((l.box[3] - l.box[1]) / 1.35, rows ? rows[1] - rows[0] + 1 : 0);
  const y0 = Math.round(l.box[1] + (l.box[3] - l.box[1]) * 0.15),
    y1 = Math.round(l.box[3] - (l.box[3] - l.box[1]) * 0.15);
  const blank = (x: number) => {
    for (let y = y0; y < y1; y++) if (bin[y * width + x]) return false;
    return true;
  };
  for (let i = l.chars.length - 2; i >= 0; i--) {
    const a = l.chars[i],
      b = l.chars[i + 1];
    if (!((HAN.test(a.ch) && ALNUM.test(b.ch)) || (ALNUM.test(a.ch) && HAN.test(b.ch)))) continue;
    // dates and times (2026年3月2日 14时40分) have no spaces of their own, and 月's open side looks like one
    if (DATE_UNIT.test(a.ch) || DATE_UNIT.test(b.ch)) continue;
    // letters or digits typed full-width (仲景路１０８８号) stand a character's width apart: the
    // blank beside them is their own, not a space
    if (fullWidthRun(l.chars, ALNUM.test(a.ch) ? i : i + 1, h)) continue;
    // the widest blank run between the two characters' centres
    const from = Math.round((a.x0 + a.x1) / 2),
      to = Math.round((b.x0 + b.x1) / 2);
    let best = 0,
      run = 0,
      at = 0;
    for (let x = Math.max(0, from); x <= Math.min(width - 1, to); x++) {
      run = blank(x) ? run + 1 : 0;
      if (run > best) {
        best = run;
        at = x - run / 2;
      }
    }
    const heard = spaceBetween(l, a.t, b.t);
    if (process.env.BANGBAN_OCR_SPACES) process.stderr.write(`space? ${a.ch}|${b.ch} gap ${(best / h).toFixed(2)} recogniser ${heard.toFixed(3)}\n`);
    // A narrower blank is a space too when the recogniser itself saw one there.
    if (best > h * SPACE_GAP || (best > h * SPACE_GAP_SEEN && heard >= SPACE_SEEN)) {
      l.chars.splice(i + 1, 0, { ch: ' ', p: 1, x0: Math.round(at - best / 2), x1: Math.round(at + best / 2) });
      l.text = l.chars.map((c) => c.ch).join('');
    }
  }
}

/**
 * Blank width, in text heights, that reads as a space between Chinese and Latin characters; and a
 * narrower one that does when the recogniser gave a space at least SPACE_SEEN there. Measured on
 * the synthetic scans: spaces left 0.29–0.36 of a text height, adjacent characters up to 0.28, and
 * the recogniser's space probability between adjacent characters stayed under 0.01 while a
 * narrow real space got 0.015–0.27.
 */
const SPACE_GAP = 0.3;
const SPACE_GAP_SEEN = 0.24;
const SPACE_SEEN = 0.01;

/**
 * Whether the run of letters and digits through chars[at] (two or more) steps from centre to centre
 * by 0.85 of the text height or more: full-width forms, each as wide as a Chinese character
 * (half-width digits step by about half of it).
 */
function fullWidthRun(chars: OcrLine['chars'], at: number, h: number): boolean {
  let a = at,
    z = at;
  while (a > 0 && ALNUM.test(chars[a - 1].ch)) a--;
  while (z < chars.length - 1 && ALNUM.test(chars[z + 1].ch)) z++;
  if (z === a) return false;
  const mid = (c: OcrLine['chars'][number]) => (c.x0 + c.x1) / 2;
  return (mid(chars[z]) - mid(chars[a])) / (z - a) >= h * 0.85;
}

/** The first and last rows of a box that hold ink (two pixels or more: not a speck of noise). */
function inkRowSpan(bin: Uint8Array, width: number, b: Box): [number, number] | undefined {
  const [x0, y0, x1, y1] = b.map(Math.round);
  let first = -1,
    last = -1;
  for (let y = Math.max(0, y0); y < Math.min(y1, bin.length / width); y++) {
    let ink = 0;
    for (let x = Math.max(0, x0); x < Math.min(width, x1) && ink < 2; x++) ink += bin[y * width + x];
    if (ink >= 2) {
      if (first < 0) first = y;
      last = y;
    }
  }
  return first < 0 ? undefined : [first, last];
}

/** The recogniser's highest probability of a space between two time steps of a line. */
function spaceBetween(l: OcrLine, from: number | undefined, to: number | undefined): number {
  if (!l.steps || from === undefined || to === undefined) return 0;
  let p = 0;
  for (let t = from + 1; t < to; t++) {
    const k = l.steps[t].ch.indexOf(' ');
    if (k >= 0) p = Math.max(p, l.steps[t].p[k]);
  }
  return p;
}

/** Widen a crop narrower than twice its height with white on both sides. */
function padWide(c: Gray): Gray {
  const W = Math.round(c.height * 2);
  return c.width >= W ? c : padded(c, Math.floor((W - c.width) / 2), W);
}

/** A crop with `side` pixels of white left and right and `top` above and below (read again, centred: `placed`). */
function onPaper(c: Gray, side: number, top = 0): Gray {
  const s = Math.round(side);
  return padded(c, s, c.width + 2 * s, top);
}

/** A crop on white `W` pixels wide, its left edge at `left`, with `top` rows of white above and below. */
function padded(c: Gray, left: number, W: number, top = 0): Gray {
  const H = c.height + 2 * top;
  const data = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < c.height; y++) data.set(c.data.subarray(y * c.width, (y + 1) * c.width), (y + top) * W + left);
  return { width: W, height: H, data };
}

/** Trim a line box left and right to its ink, keeping a margin of a third of its height. */
function inkExtent(bin: Uint8Array, width: number, b: Box): Box {
  const [x0, y0, x1, y1] = b.map(Math.round);
  const h = y1 - y0;
  let first = -1,
    last = -1;
  for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
    let ink = 0;
    for (let y = Math.max(0, y0 + 1); y < y1 - 1; y++) ink += bin[y * width + x];
    if (ink >= 2) {
      if (first < 0) first = x;
      last = x;
    }
  }
  if (first < 0) return b;
  return [Math.max(b[0], first - h / 3), b[1], Math.min(b[2], last + 1 + h / 3), b[3]];
}

/**
 * Names are printed spaced (阎　一, 傅　玉), and the detector sees their characters apart, or misses a
 * character of one stroke (一), also at the start or end of a wrapped label. A short box (a character
 * or two) joins its neighbour on the row when the gap is about a character wide, so the recogniser
 * reads the name as one line; and every box takes in a character's worth of ink beside it on its
 * row that no box holds (up to a character's width away; a short box, a spaced one's). Never across
 * a vertical ruled line.
 */
export function joinSpaced(boxes: Box[], bin: Uint8Array, width: number, v: Rule[]): Box[] {
  const out = boxes.map((b) => [...b] as Box);
  const h = (b: Box) => b[3] - b[1];
  const short = (b: Box) => b[2] - b[0] <= h(b) * 2.6;
  const sameRow = (a: Box, b: Box) => Math.min(a[3], b[3]) - Math.max(a[1], b[1]) >= Math.min(h(a), h(b)) * 0.6;
  const ruleBetween = (xa: number, xb: number, y0: number, y1: number) => v.some((r) => r.x0 > xa && r.x0 < xb && r.y0 < y1 && r.y1 > y0);
  for (let changed = true; changed; ) {
    changed = false;
    out.sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < out.length && !changed; i++)
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i],
          b = out[j];
        const gap = b[0] - a[2];
        // a character's size is the lower box's height, unless that box is flat (一 has the height
        // of its one stroke): then the other's
        const em = Math.min(h(a), h(b)) < Math.max(h(a), h(b)) * 0.6 ? Math.max(h(a), h(b)) : Math.min(h(a), h(b));
        if (gap > em * 1.6) continue;
        if (!sameRow(a, b) || !(short(a) || short(b)) || b[2] <= a[2] || ruleBetween(a[2] - 2, b[0] + 2, Math.max(a[1], b[1]), Math.min(a[3], b[3]))) continue;
        out[i] = [a[0], Math.min(a[1], b[1]), b[2], Math.max(a[3], b[3])];
        out.splice(j, 1);
        changed = true;
        break;
      }
  }
  const height = bin.length / width;
  for (const b of out) {
    const H = h(b);
    const y0 = Math.max(0, Math.round(b[1] + H * 0.25)),
      y1 = Math.min(height, Math.round(b[3] - H * 0.25));
    const held = (x: number) => out.some((o) => o !== b && x >= o[0] && x <= o[2] && sameRow(o, b));
    const inked = (x: number) => {
      for (let y = y0; y < y1; y++) if (bin[y * width + x]) return true;
      return false;
    };
    for (const dir of [1, -1]) {
      const start = Math.round(dir > 0 ? b[2] : b[0]);
      let first = -1,
        last = -1;
      for (let k = 1; k <= H * (short(b) ? 1.6 : 1); k++) {
        const x = start + dir * k;
        if (x < 0 || x >= width || held(x) || v.some((r) => Math.abs(r.x0 - x) <= 3 && r.y0 < y1 && r.y1 > y0)) break;
        if (inked(x)) {
          if (first < 0) first = x;
          last = x;
        } else if (last >= 0 && Math.abs(x - last) > H * 0.5) break;
      }
      // a stroke (一, or the part of it the box left out), not a speck
      if (last < 0 || Math.abs(last - first) < Math.max(3, H * 0.2)) continue;
      if (dir > 0) b[2] = Math.min(width, last + 1 + H * 0.3);
      else b[0] = Math.max(0, last - H * 0.3);
    }
  }
  // Boxes on a row less than a character apart with a stroke still between them (ink that neither could
  // take in) hold one line the detector parted inside a word: 一二一 in small print, where 二 was cut
  // in two and its halves lost.
  out.sort((a, b) => a[0] - b[0]);
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i];
    const j = out.findIndex((b, k) => k > i && sameRow(a, b) && b[0] >= a[2] && b[0] - a[2] <= Math.min(h(a), h(b)));
    if (j < 0) continue;
    const b = out[j];
    const H = Math.min(h(a), h(b));
    const top = Math.max(a[1], b[1]),
      bottom = Math.min(a[3], b[3]);
    // a stroke several pixels long within the row (二's lie near its top and bottom), not a speck or
    // a neighbouring row's descender
    const y0 = Math.round(top + (bottom - top) * 0.15),
      y1 = Math.round(bottom - (bottom - top) * 0.15);
    let columns = 0;
    for (let x = Math.ceil(a[2]); x < b[0]; x++) {
      let ink = false;
      for (let y = y0; y < y1 && !ink; y++) ink = bin[y * width + x] > 0;
      if (ink) columns++;
    }
    if (columns < Math.max(3, H * 0.2) || ruleBetween(a[2] - 2, b[0] + 2, top, bottom)) continue;
    out[i] = [a[0], Math.min(a[1], b[1]), b[2], Math.max(a[3], b[3])];
    out.splice(j, 1);
    i--;
  }
  return out;
}

/** Crops of a line besides its own, for reading an identifier again. */
const CODE_CROPS = 7;

/**
 * Other crops of a line: 10% and 20% off top and bottom; its ink rows with 10%, 20% and 30% of
 * their height around; and binarised, whole and on its ink rows with 20%.
 */
function codeCrops(g: Gray, bin: Uint8Array, b: Box): Gray[] {
  const [x0, y0, x1, y1] = b;
  const h = y1 - y0;
  const [a, z] = inkRowSpan(bin, g.width, b) ?? [y0, y1 - 1];
  const t = z - a + 1;
  const ink = (m: number) => crop(g, x0, a - t * m, x1, z + 1 + t * m);
  const black = (c: Gray): Gray => ({ ...c, data: c.data.map((v) => (v < 140 ? 0 : 255)) });
  const out = [crop(g, x0, y0 + h * 0.1, x1, y1 - h * 0.1), crop(g, x0, y0 + h * 0.2, x1, y1 - h * 0.2), ink(0.1), ink(0.2), ink(0.3), black(crop(g, x0, y0, x1, y1)), black(ink(0.2))];
  return out.map(padWide);
}

/** Cut a box at the vertical rules inside it (with a little margin), dropping slivers. */
function splitAtRules(b: Box, v: Rule[]): Box[] {
  const h = b[3] - b[1];
  const cuts = v
    .filter((r) => r.x0 >= b[0] - 1 && r.x0 <= b[2] + 1 && r.y0 <= b[1] + h * 0.35 && r.y1 >= b[3] - h * 0.35)
    .map((r) => r.x0)
    .sort((a, c) => a - c);
  if (!cuts.length) return [b];
  const out: Box[] = [];
  let x = b[0];
  for (const c of cuts) {
    if (c - 3 - x > h * 0.4) out.push([x, b[1], c - 3, b[3]]);
    x = Math.max(x, c + 3);
  }
  if (b[2] - x > h * 0.4) out.push([x, b[1], b[2], b[3]]);
  return out;
}

/**
 * A box the detector drew over two or more lines of small text (a form field's text shrunk to fit,
 * three lines in a cell) is cut into its lines where rows of paper part them: the recogniser reads
 * one line at a time. Only a wide box whose bands are alike in height is cut (a line with a
 * small mark below it, 、 or an underline, is one line).
 */
export function splitRows(bin: Uint8Array, width: number, b: Box): Box[] {
  const [x0, y0, x1, y1] = b.map(Math.round);
  if (y1 - y0 < 16 || x1 <= x0) return [b];
  const profile: number[] = [];
  for (let y = y0; y < y1; y++) {
    let n = 0;
    for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) n += bin[y * width + x];
    profile.push(n);
  }
  const floor = Math.max(1, Math.max(...profile) * 0.03);
  const bands: [number, number][] = [];
  profile.forEach((n, i) => {
    if (n <= floor) return;
    const last = bands[bands.length - 1];
    if (last && i - last[1] <= 1) last[1] = i;
    else bands.push([i, i]);
  });
  const parted = bands.flatMap((band) => partTouching(profile, band));
  if (parted.length < 2) return [b];
  bands.splice(0, bands.length, ...parted);
  const height = ([a, z]: [number, number]) => z - a + 1;
  const tallest = Math.max(...bands.map(height));
  // a low band at the top or bottom is part of a line above or below, which has a box of its own
  const whole = bands.map((band) => height(band) >= tallest * 0.6);
  const first = whole.indexOf(true),
    last = whole.lastIndexOf(true);
  const lines = bands.slice(first, last + 1);
  // (bands of a few rows are strokes of one line: 一二三)
  if (lines.length < 2 || tallest < 8 || lines.some((band) => height(band) < tallest * 0.6) || x1 - x0 < tallest * 4) return [b];
  // each line to halfway into the paper around it
  return lines.map(([a, z], k): Box => {
    const top = k ? Math.round((lines[k - 1][1] + a) / 2) : Math.max(0, a - 2);
    const bottom = k + 1 < lines.length ? Math.round((z + lines[k + 1][0]) / 2) : Math.min(y1 - y0, z + 3);
    return [b[0], y0 + top, b[2], y0 + bottom];
  });
}

/**
 * Lines of small text set solid touch (a stroke of one reaches the next): no row of paper parts
 * them, but a row far thinner than the band's usual one, in its middle, does.
 */
function partTouching(profile: number[], band: [number, number]): [number, number][] {
  const [a, z] = band;
  const h = z - a + 1;
  if (h < 16) return [band];
  const usual = profile.slice(a, z + 1).sort((p, q) => p - q)[h >> 1];
  let at = -1;
  for (let i = a + Math.ceil(h * 0.3); i <= z - Math.ceil(h * 0.3); i++) if (at < 0 || profile[i] < profile[at]) at = i;
  if (at < 0 || profile[at] > usual * 0.15) return [band];
  return [...partTouching(profile, [a, at - 1]), ...partTouching(profile, [at + 1, z])];
}

/** Pull a box's top or bottom in from a horizontal rule its margin reaches over. */
function clipAtRules(b: Box, hr: Rule[]): Box {
  let [x0, y0, x1, y1] = b;
  const h = y1 - y0;
  for (const r of hr) {
    if (Math.min(x1, r.x1) - Math.max(x0, r.x0) < (x1 - x0) * 0.5) continue;
    if (r.y0 >= y0 - 1 && r.y0 < y0 + h * 0.3) y0 = Math.max(y0, r.y0 + 3);
    if (r.y0 <= y1 + 1 && r.y0 > y1 - h * 0.3) y1 = Math.min(y1, r.y0 - 3);
  }
  return y1 - y0 > h * 0.5 ? [x0, y0, x1, y1] : b;
}

function timer(): (what: string) => void {
  if (!process.env.BANGBAN_OCR_TIMING) return () => {};
  let t = performance.now(),
    c = process.cpuUsage();
  return (what) => {
    const now = performance.now(),
      cpu = process.cpuUsage(c);
    process.stderr.write(`ocr ${what}: ${Math.round(now - t)} ms (cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms)\n`);
    t = now;
    c = process.cpuUsage();
  };
}
