/**
 * Pixel geometry of a page: skew angle, ruled table lines and drawn check boxes, from a binarised
 * image (1 = ink). All of it is plain run-length and projection work; no model involved.
 */

import type { Gray } from './image.js';
import type { Box } from './engine.js';
import type { OcrLine } from './page.js';

/** An axis-aligned ruled line in page pixels. Horizontal: y0 = y1; vertical: x0 = x1. */
export interface Rule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Skew in degrees (positive: text rises to the right), by projection profile over ±`range`. */
export function skewAngle(bin: Uint8Array, width: number, height: number, range = 3): number {
  // Work on at most ~1000 px wide: sample ink pixels.
  const step = Math.max(1, Math.round(width / 1000));
  const xs: number[] = [],
    ys: number[] = [];
  for (let y = 0; y < height; y += step)
    for (let x = 0; x < width; x += step)
      if (bin[y * width + x]) {
        xs.push(x);
        ys.push(y);
      }
  if (xs.length < 50) return 0;
  const rows = new Float64Array(Math.ceil((height + width) / step) + 4);
  const score = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    rows.fill(0);
    const off = (width * Math.abs(t)) / step + 2;
    for (let i = 0; i < xs.length; i++) {
      const r = Math.round((ys[i] + xs[i] * t) / step + off);
      if (r >= 0 && r < rows.length) rows[r]++;
    }
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += rows[i] * rows[i];
    return s;
  };
  let best = 0,
    bestS = -1;
  for (let d = -range; d <= range + 1e-9; d += 0.2) {
    const s = score(d);
    if (s > bestS) {
      bestS = s;
      best = d;
    }
  }
  const coarse = best;
  for (let d = coarse - 0.2; d <= coarse + 0.2 + 1e-9; d += 0.025) {
    const s = score(d);
    if (s > bestS) {
      bestS = s;
      best = d;
    }
  }
  // ys + x·tan(θ) constant along a line means the line falls to the right by θ; text rising is -θ.
  return -best;
}

/** Long horizontal and vertical ink runs, merged into ruled lines. */
export function findRules(bin: Uint8Array, width: number, height: number, minLen: number): { h: Rule[]; v: Rule[] } {
  const h = runs(bin, width, height, minLen, false).map(([pos, a, b]) => ({ x0: a, y0: pos, x1: b, y1: pos }));
  const t = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) t[x * height + y] = bin[y * width + x];
  const v = runs(t, height, width, minLen, true).map(([pos, a, b]) => ({ x0: pos, y0: a, x1: pos, y1: b }));
  // Table lines meet other lines; a stray stroke (a long handwritten dash, a seal's edge) does not.
  const tol = Math.max(4, minLen / 8);
  // A short horizontal line is crossed by a vertical one, or ends on one at both ends: characters'
  // strokes side by side along the top of a line of small text run as long, from next to a cell's border.
  const across = (q: Rule, y: number) => q.y0 - tol <= y && q.y1 + tol >= y;
  const vAt = (x: number, y: number) => v.some((q) => across(q, y) && Math.abs(q.x0 - x) <= tol);
  const meetsV = (r: Rule) => v.some((q) => across(q, r.y0) && q.x0 > r.x0 + tol && q.x0 < r.x1 - tol) || (vAt(r.x0, r.y0) && vAt(r.x1, r.y0));
  const meetsH = (r: Rule) => h.some((q) => q.x0 - tol <= r.x0 && q.x1 + tol >= r.x0 && ((Math.abs(q.y0 - r.y0) <= tol || Math.abs(q.y0 - r.y1) <= tol) || (q.y0 > r.y0 && q.y0 < r.y1)));
  const long = minLen * 4;
  const hs = h.filter((r) => r.x1 - r.x0 >= long || meetsV(r));
  const vs = v.filter((r) => r.y1 - r.y0 >= long || meetsH(r));
  return { h: hs, v: [...vs, ...dividers(t, width, height, minLen, tol, hs, vs)].sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0) };
}

/**
 * Vertical lines shorter than minLen (down to half of it) that divide one row of a table: office
 * suites print rows 23 pt high, lower than minLen. Kept only when both ends stand on horizontal
 * lines that run across its place, and paper lies on both sides of it along most of its length
 * (characters stacked in a cell of small text make runs as long, with ink beside them).
 */
function dividers(t: Uint8Array, width: number, height: number, minLen: number, tol: number, h: Rule[], v: Rule[]): Rule[] {
  const onH = (x: number, y: number) => h.some((q) => Math.abs(q.y0 - y) <= tol && q.x0 - tol <= x && q.x1 + tol >= x);
  const off = Math.max(3, Math.round(minLen / 20));
  /** Share of the rows y0..y1 with ink in column x (t is the transposed image: a column is a row of it). */
  const inked = (x: number, y0: number, y1: number) => {
    if (x < 0 || x >= width) return 0;
    let n = 0;
    for (let y = y0; y <= y1; y++) n += t[x * height + y];
    return n / (y1 - y0 + 1);
  };
  return runs(t, height, width, Math.round(minLen / 2), true)
    .map(([pos, a, b]) => ({ x0: pos, y0: a, x1: pos, y1: b }))
    .filter((r) => r.y1 - r.y0 + 1 < minLen && onH(r.x0, r.y0) && onH(r.x0, r.y1))
    .filter((r) => !v.some((q) => Math.abs(q.x0 - r.x0) <= tol && q.y0 <= r.y1 && q.y1 >= r.y0))
    .filter((r) => {
      // inside the ends, away from the horizontal lines
      const y0 = Math.round(r.y0 + tol),
        y1 = Math.round(r.y1 - tol);
      if (y1 <= y0) return false;
      const x = Math.round(r.x0);
      return Math.max(inked(x - off, y0, y1), inked(x + off, y0, y1)) < 0.3;
    });
}

/**
 * Per line of the (possibly transposed) image: runs of at least half of minLen allowing small gaps,
 * merged across neighbouring lines, and kept when the merged run reaches minLen (a thin ruled line
 * left slightly skewed steps from one pixel row or column to the next, in pieces).
 */
function runs(bin: Uint8Array, W: number, H: number, minLen: number, _vertical: boolean): [number, number, number][] {
  const gap = Math.max(2, Math.round(minLen / 40));
  type Seg = { sum: number; n: number; a: number; b: number; last: number };
  const open: Seg[] = [];
  const done: Seg[] = [];
  for (let y = 0; y < H; y++) {
    const row = y * W;
    const found: [number, number][] = [];
    let start = -1,
      lastInk = -1;
    for (let x = 0; x <= W; x++) {
      const ink = x < W && bin[row + x];
      if (ink) {
        if (start < 0) start = x;
        lastInk = x;
      } else if (start >= 0 && x - lastInk > gap) {
        if (lastInk - start + 1 >= minLen / 2) found.push([start, lastInk]);
        start = -1;
      }
    }
    for (const [a, b] of found) {
      const s = open.find((o) => y - o.last <= 2 && Math.min(b, o.b) - Math.max(a, o.a) > -minLen / 4);
      if (s) {
        s.sum += y * (b - a + 1);
        s.n += b - a + 1;
        s.a = Math.min(s.a, a);
        s.b = Math.max(s.b, b);
        s.last = y;
      } else open.push({ sum: y * (b - a + 1), n: b - a + 1, a, b, last: y });
    }
    for (let i = open.length - 1; i >= 0; i--)
      if (y - open[i].last > 2) {
        done.push(open[i]);
        open.splice(i, 1);
      }
  }
  done.push(...open);
  // Thick lines or ones crossing rows (slight skew) may leave parallel pieces: merge overlapping ones
  // into the longest, which keeps its position.
  const segs = done.map((s) => [s.sum / s.n, s.a, s.b] as [number, number, number]).sort((p, q) => q[2] - q[1] - (p[2] - p[1]) || p[0] - q[0] || p[1] - q[1]);
  const out: [number, number, number][] = [];
  for (const s of segs) {
    const m = out.find((o) => Math.abs(o[0] - s[0]) <= 3 && Math.min(o[2], s[2]) - Math.max(o[1], s[1]) > -gap * 3);
    if (m) {
      m[1] = Math.min(m[1], s[1]);
      m[2] = Math.max(m[2], s[2]);
    } else out.push([...s]);
  }
  return out
    .filter((s) => s[2] - s[1] + 1 >= minLen)
    .sort((p, q) => p[0] - q[0] || p[1] - q[1])
    .map((s) => [Math.round(s[0] * 10) / 10, s[1], s[2]]);
}

/** A drawn box: its square and how much of its inside is inked. */
export interface Square {
  box: [number, number, number, number];
  /** Ink fraction of the inner area (border excluded). */
  fill: number;
}

/**
 * Small drawn squares (check boxes) with sides between `min` and `max` pixels: a top and a bottom
 * edge of the same extent joined by two inked sides. A tick crossing an edge does not hide the box.
 */
export function findSquares(bin: Uint8Array, width: number, height: number, min: number, max: number): Square[] {
  const gap = 2;
  // Short horizontal edges, per row.
  type E = { y0: number; y1: number; a: number; b: number };
  const edges: E[] = [];
  const open: E[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let start = -1,
      lastInk = -1;
    for (let x = 0; x <= width; x++) {
      const ink = x < width && bin[row + x];
      if (ink) {
        if (start < 0) start = x;
        lastInk = x;
      } else if (start >= 0 && x - lastInk > gap) {
        const len = lastInk - start + 1;
        if (len >= min && len <= max * 1.6) {
          const o = open.find((e) => y - e.y1 <= 1 && Math.abs(e.a - start) <= 2 && Math.abs(e.b - lastInk) <= 2);
          if (o) o.y1 = y;
          else open.push({ y0: y, y1: y, a: start, b: lastInk });
        }
        start = -1;
      }
    }
    for (let i = open.length - 1; i >= 0; i--)
      if (y - open[i].y1 > 1) {
        edges.push(open[i]);
        open.splice(i, 1);
      }
  }
  edges.push(...open);
  // Edges stay thin: a filled square (■) is a thick "edge" of its own.
  const squares: Square[] = [];
  const used = new Set<E>();
  const colInk = (x: number, ya: number, yb: number, t: number): number => {
    let n = 0;
    for (let y = ya; y <= yb; y++) {
      let hit = 0;
      for (let xx = x - t; xx <= x + t; xx++) if (xx >= 0 && xx < width && bin[y * width + xx]) hit = 1;
      n += hit;
    }
    return n / Math.max(1, yb - ya + 1);
  };
  const inner = (x0: number, y0: number, x1: number, y1: number): number => boxFill(bin, width, [x0, y0, x1, y1]);
  edges.sort((p, q) => p.y0 - q.y0);
  for (const e of edges) {
    const w = e.b - e.a + 1;
    const thick = e.y1 - e.y0 + 1;
    if (thick >= w * 0.75 && w >= min && w <= max) {
      // solid block ■
      if (Math.abs(thick - w) <= w * 0.25) squares.push({ box: [e.a, e.y0, e.b, e.y1], fill: 1 });
      continue;
    }
    if (used.has(e) || thick > Math.max(3, w * 0.2)) continue;
    for (const f of edges) {
      if (f === e || f.y0 <= e.y1) continue;
      const d = f.y0 - e.y0;
      if (d > w * 1.35) break;
      if (d < w * 0.75 || Math.abs(f.a - e.a) > 4 || Math.abs(f.b - e.b) > 4) continue;
      const x0 = Math.min(e.a, f.a),
        x1 = Math.max(e.b, f.b),
        y0 = e.y0,
        y1 = f.y1;
      const t = Math.max(1, Math.round(thick));
      if (colInk(x0 + t - 1, y0, y1, t) < 0.8 || colInk(x1 - t + 1, y0, y1, t) < 0.8) continue;
      used.add(f);
      squares.push({ box: [x0, y0, x1, y1], fill: inner(x0, y0, x1, y1) });
      break;
    }
  }
  return squares;
}

/**
 * Ink fraction inside a rectangle [x0, y0, x1, y1) (x1, y1 exclusive), counting only pieces of ink
 * that reach across at least `minSpan` of the rectangle's smaller side: a pen mark (tick, cross,
 * scribble) does, specks of dust and scan noise do not.
 */
/** How much of a drawn box's inside holds a mark: ink in the box less a fifth of its side (at least 2 px) at each edge, by `inkIn`. */
export function boxFill(bin: Uint8Array, width: number, box: [number, number, number, number]): number {
  const inset = Math.max(2, Math.round((box[2] - box[0]) * 0.2));
  return inkIn(bin, width, [box[0] + inset, box[1] + inset, box[2] - inset + 1, box[3] - inset + 1]);
}

/** Share of a region's pixels in ink blots that span at least `minSpan` of its smaller side (specks do not count), less the blots `skip` rejects (bounds relative to the region, the region's width and height). */
export function inkIn(bin: Uint8Array, width: number, box: [number, number, number, number], minSpan = 0.25, skip?: (b: { x0: number; y0: number; x1: number; y1: number }, W: number, H: number) => boolean): number {
  const x0 = Math.max(0, Math.round(box[0])),
    y0 = Math.max(0, Math.round(box[1])),
    x1 = Math.min(width, Math.round(box[2])),
    y1 = Math.min(Math.floor(bin.length / width), Math.round(box[3]));
  const W = x1 - x0,
    H = y1 - y0;
  if (W <= 0 || H <= 0) return 0;
  const min = Math.min(W, H) * minSpan;
  const seen = new Uint8Array(W * H);
  const stack: number[] = [];
  let kept = 0;
  for (let s = 0; s < W * H; s++) {
    if (seen[s] || !bin[(y0 + Math.floor(s / W)) * width + x0 + (s % W)]) continue;
    let n = 0,
      ax = W,
      ay = H,
      bx = -1,
      by = -1;
    seen[s] = 1;
    stack.push(s);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % W,
        y = (p - x) / W;
      n++;
      if (x < ax) ax = x;
      if (x > bx) bx = x;
      if (y < ay) ay = y;
      if (y > by) by = y;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx,
            yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
          const q = yy * W + xx;
          if (!seen[q] && bin[(y0 + yy) * width + x0 + xx]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    if (Math.max(bx - ax + 1, by - ay + 1) >= min && !skip?.({ x0: ax, y0: ay, x1: bx + 1, y1: by + 1 }, W, H)) kept += n;
  }
  return kept / (W * H);
}

/**
 * A short vertical "rule" that is the left strokes of a column of characters in small print set
 * close (南, 口, 创 … one under the other): ink joins it along most of its length (their strokes
 * going off it), where a cell's border meets only the lines crossing it and its text keeps clear.
 */
export function strokesOfText(bin: Uint8Array, width: number, r: Rule, dpi: number): boolean {
  if (r.y1 - r.y0 > dpi * 1.5) return false;
  const x = Math.round(r.x0);
  const thick = Math.max(3, Math.round(dpi / 35));
  const ink = (xx: number, y: number) => xx >= 0 && xx < width && !!bin[y * width + xx];
  let joined = 0;
  for (let y = Math.round(r.y0); y <= r.y1; y++) {
    // the run of ink the rule is at this row: wider than a rule, or with ink just beyond it
    let a = x,
      b = x;
    while (a > x - thick && ink(a - 1, y)) a--;
    while (b < x + thick && ink(b + 1, y)) b++;
    if (b - a >= thick || ink(a - 2, y) || ink(a - 3, y) || ink(b + 2, y) || ink(b + 3, y)) joined++;
  }
  return joined > (r.y1 - r.y0 + 1) * 0.5;
}

/**
 * A vertical rule a seal broke (its grey line lost under the red where the red was taken out) goes
 * on to the horizontal rule it stops short of, above or below, when the gap (under an inch) runs
 * through the seal: red ink near most of its length. An end already on a horizontal rule stays,
 * unless the column goes on beyond the next row (`v`: the other vertical rules).
 */
export function throughSeal(r: Rule, h: Rule[], v: Rule[], red: Gray, dpi: number): Rule {
  const x = Math.round(r.x0);
  const near = Math.max(4, Math.round(dpi / 15));
  const isRed = (y: number) => {
    for (let dx = -near; dx <= near; dx += 2) {
      const xx = x + dx;
      if (xx >= 0 && xx < red.width && red.data[y * red.width + xx] < 128) return true;
    }
    return false;
  };
  const sealed = (a: number, b: number) => {
    let n = 0,
      k = 0;
    for (let y = Math.max(0, Math.round(a)); y < Math.min(red.height, Math.round(b)); y += 2, n++) if (isRed(y)) k++;
    return n > 0 && k >= n * 0.5;
  };
  const spans = (l: Rule) => l.x0 - 3 <= x && l.x1 + 3 >= x;
  // an end on a horizontal rule is a corner of the table, not a break: the cell beyond it has no
  // border there (a seal over the corner must not carry the line into the row above)
  const tol = Math.max(4, dpi / 40);
  const corner = (y: number) => h.some((l) => spans(l) && Math.abs(l.y0 - y) <= tol);
  // …unless another piece of the line, at the same x, meets the next row from beyond it: then the
  // seal wiped the line over a whole row
  const goesOn = (row: Rule, up: boolean) =>
    v.some((o) => o !== r && Math.abs(o.x0 - x) <= tol && (up ? o.y0 < row.y0 && Math.abs(o.y1 - row.y0) <= tol : o.y1 > row.y0 && Math.abs(o.y0 - row.y0) <= tol));
  const out = { ...r };
  const above = h.filter((l) => spans(l) && l.y0 < r.y0 - 3 && r.y0 - l.y0 < dpi).sort((a, b) => b.y0 - a.y0)[0];
  if (above && (!corner(r.y0) || goesOn(above, true)) && sealed(above.y0, r.y0)) out.y0 = above.y0;
  const below = h.filter((l) => spans(l) && l.y0 > r.y1 + 3 && l.y0 - r.y1 < dpi).sort((a, b) => a.y0 - b.y0)[0];
  if (below && (!corner(r.y1) || goesOn(below, false)) && sealed(r.y1, below.y0)) out.y1 = below.y0;
  return out;
}

/** The columns of a box that hold ink (two pixels or more, between a tenth of its height from top and bottom). */
export function inkedColumns(bin: Uint8Array, width: number, b: Box): number[] {
  const x0 = Math.max(0, Math.round(b[0])),
    x1 = Math.min(width - 1, Math.round(b[2]));
  const y0 = Math.round(b[1] + (b[3] - b[1]) * 0.1),
    y1 = Math.round(b[3] - (b[3] - b[1]) * 0.1);
  const out: number[] = [];
  for (let x = x0; x <= x1; x++) {
    let ink = 0;
    for (let y = y0; y < y1; y++) ink += bin[y * width + x];
    if (ink >= 2) out.push(x);
  }
  return out;
}

/**
 * Whether the line's box holds ink well past its last character read: a mark the recogniser read as
 * nothing. Past means from 0.6 line heights after that character's centre (a character's ink ends
 * about half a height from its centre; a 、 starts right after); ink there in a tenth of a height's
 * columns or more counts.
 */
export function inkAfterText(bin: Uint8Array, width: number, l: OcrLine): boolean {
  const cs = l.chars.filter((c) => c.ch.trim());
  if (!cs.length) return false;
  const last = cs[cs.length - 1];
  const h = l.box[3] - l.box[1];
  const from = (last.x0 + last.x1) / 2 + 0.6 * h;
  if (from >= l.box[2]) return false;
  return inkedColumns(bin, width, [from, l.box[1], l.box[2] - 1, l.box[3]]).length >= Math.max(2, h * 0.1);
}

