import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import { parseForm, ParseFailure } from '../src/parse/index.js';
import { parseScan, scanType } from '../src/ocr/index.js';
import { findRules, findSquares, skewAngle } from '../src/ocr/geometry.js';
import { markState } from '../src/ocr/page.js';
import { rotateSmall, binarize, type Gray } from '../src/ocr/image.js';
import { leaves } from './helpers/leaves.js';

// Fixtures made by scripts/make-scans.mjs (conditions small-*): 150 dpi JPEG scans of rendered forms.
const dir = 'fixtures/scans';
const load = (name: string) => ({ bytes: new Uint8Array(readFileSync(`${dir}/${name}`)), truth: JSON.parse(readFileSync(`${dir}/${name.replace(/\.[^.]+$/, '.truth.json')}`, 'utf8')) });

function fieldAccuracy(truth: Record<string, unknown>, got: Record<string, unknown>): { share: number; wrong: string[] } {
  const want = leaves(truth),
    have = leaves(got);
  const wrong = [...new Set([...want.keys(), ...have.keys()])].filter((p) => want.get(p) !== have.get(p));
  return { share: 1 - wrong.length / want.size, wrong };
}

/** A white page with a ruled 3×2 table and two boxes, one ticked. */
function drawnPage(): Gray {
  const width = 800,
    height = 600;
  const data = new Uint8Array(width * height).fill(255);
  const ink = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * width + x] = 20;
  };
  for (const y of [100, 200, 300, 400]) ink(100, y, 700, y + 1);
  for (const x of [100, 300, 700]) ink(x, 100, x + 1, 401);
  const box = (x: number, y: number) => {
    ink(x, y, x + 24, y + 1);
    ink(x, y + 23, x + 24, y + 24);
    ink(x, y, x + 1, y + 24);
    ink(x + 23, y, x + 24, y + 24);
  };
  box(350, 140);
  box(350, 240);
  for (let k = 0; k < 10; k++) ink(355 + k, 255 + (k < 4 ? k : 8 - k), 356 + k, 256 + (k < 4 ? k : 8 - k)); // a tick
  return { width, height, data };
}

describe('ocr: page geometry from pixels', () => {
  it('finds ruled lines and check boxes, ticked or not', () => {
    const g = drawnPage();
    const bin = binarize(g, 128);
    const rules = findRules(bin, g.width, g.height, 60);
    expect(rules.h.length).toBe(4);
    expect(rules.v.length).toBe(3);
    const squares = findSquares(bin, g.width, g.height, 12, 40).sort((a, b) => a.box[1] - b.box[1]);
    expect(squares.length).toBe(2);
    expect(markState(squares[0].fill).checked).toBe(false);
    expect(markState(squares[1].fill).checked).toBe(true);
  });
  it('measures skew', () => {
    const g = rotateSmall(drawnPage(), 1.5);
    const angle = skewAngle(binarize(g, 128), g.width, g.height);
    expect(Math.abs(Math.abs(angle) - 1.5)).toBeLessThan(0.2);
    const back = rotateSmall(g, angle);
    expect(Math.abs(skewAngle(binarize(back, 128), g.width, g.height))).toBeLessThan(0.2);
  });
  it('knows files by their bytes', () => {
    expect(scanType(load('application-scan.pdf').bytes)).toBe('pdf');
    expect(scanType(load('application-hand-seal.jpg').bytes)).toBe('jpeg');
    expect(scanType(new TextEncoder().encode('not an image at all'))).toBeUndefined();
  });
});

// A page takes a few seconds; on a loaded machine (CI shares two cores) much longer.
const SLOW = 240000;

describe('ocr: scanned application forms into records', () => {
  it('an image-only PDF reads back to the same record', async () => {
    const { bytes, truth } = load('application-scan.pdf');
    const r = await parseForm(bytes, { file: 'application-scan.pdf' });
    expect(r.source).toBe('ocr');
    expect(r.kind).toBe('application');
    expect(r.record).toEqual(truth);
    expect(r.valid).toBe(true);
    for (const f of Object.values(r.fields)) expect(f.confidence).toBeGreaterThan(0);
  }, SLOW);

  it('a page scanned upside down is turned and read', async () => {
    const { bytes, truth } = load('application-upside-down.jpg');
    const r = await parseScan(bytes);
    expect(r.pages[0].rotation).toBe(180);
    expect(r.kind).toBe('application');
    expect(r.record.services).toEqual(truth.services);
    expect(fieldAccuracy(truth, r.record).share).toBeGreaterThanOrEqual(0.85);
  }, SLOW);

  it('a phone photo taken at an angle, on a desk, under uneven light: the table made a rectangle and read', async () => {
    const { bytes, truth } = load('application-photo.jpg');
    const r = await parseScan(bytes);
    expect(r.kind).toBe('application');
    expect(r.record.services).toEqual(truth.services);
    expect(fieldAccuracy(truth, r.record).share).toBeGreaterThanOrEqual(0.9);
  }, SLOW);

  it('handwriting, hand-drawn ticks and a red seal: boxes exact, doubtful fields sent to review', async () => {
    const { bytes, truth } = load('application-hand-seal.jpg');
    const r = await parseScan(bytes, { threshold: 0.9 });
    expect(r.record.services).toEqual(truth.services);
    // the seal's red text over the applicant's name is dropped
    expect(String((r.record.applicant as Record<string, unknown>)?.name ?? '')).not.toMatch(/专用章|[宛城]区绿源环保科技有限公司.*[宛城]/);
    const { share, wrong } = fieldAccuracy(truth, r.record);
    expect(share).toBeGreaterThanOrEqual(0.75);
    expect(r.needsReview.length).toBeGreaterThan(0);
    // most wrong readings are flagged (or missing, which validation reports)
    const flagged = wrong.filter((p) => r.needsReview.includes(p) || !leaves(r.record).has(p));
    expect(flagged.length / Math.max(1, wrong.length)).toBeGreaterThanOrEqual(0.5);
    for (const p of r.needsReview) if (r.fields[p]) expect(r.fields[p].needsReview).toBe(true);
  }, SLOW);

  it('an image that is not a form is refused cleanly', async () => {
    const png = await sharp({ create: { width: 400, height: 560, channels: 3, background: '#ffffff' } }).png().toBuffer();
    await expect(parseForm(new Uint8Array(png))).rejects.toBeInstanceOf(ParseFailure);
    const e = await parseForm(new Uint8Array(png)).catch((x) => x as ParseFailure);
    expect(e.code).toBe('not-a-form');
  }, SLOW);

  it('CLI: bangban parse reads a scan (source "ocr")', () => {
    const r = spawnSync(process.execPath, ['bin/bangban.js', 'parse', `${dir}/application-scan.pdf`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toBe('ocr');
    expect(out.kind).toBe('application');
  }, SLOW);
});
