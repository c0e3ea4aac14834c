/**
 * Ruled lines of a page, read from its content stream (and the form XObjects it draws): the table
 * structure the parser reads cells from. Only axis-aligned strokes, and thin filled rectangles (how
 * browsers draw borders), count; curves and text are skipped. pdf.js could give the same through its
 * operator list, but that also builds every glyph and costs ten times more.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFDocument } from 'pdf-lib';
import { ID, Lexer, MAX_CONTENT, decodeStream, mul, pageContent, type M } from './content.js';

/** A horizontal (y1 = y2) or vertical (x1 = x2) line in page space, y pointing up. */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A small painted shape (at most MAX_MARK points each way): a drawn check box, or what marks one. */
export interface Ink {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The outline of a closed shape was stroked (a box, a circle), not filled. */
  outline: boolean;
}

export interface Rules {
  h: Segment[];
  v: Segment[];
  /** Small shapes: drawn check boxes and the ticks, crosses and fills inside them. */
  ink?: Ink[];
}

/** Shapes up to this size (points) are kept as ink: check boxes and their marks. */
const MAX_MARK = 20;

const apply = (m: M, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

export function pageRules(doc: PDFDocument, pageIndex: number): Rules {
  const page = doc.getPage(pageIndex);
  const out: Rules = { h: [], v: [], ink: [] };
  run(doc, pageContent(doc, page).data, page.node.Resources(), ID, out, 0);
  return out;
}

interface Sub {
  pts: [number, number][];
  closed: boolean;
  curved: boolean;
}

/** Interpret one content stream: track q/Q/cm, build paths, keep the straight lines that get painted. */
function run(doc: PDFDocument, data: Uint8Array, resources: PDFDict | undefined, base: M, out: Rules, depth: number): void {
  const stack: { ctm: M; lw: number }[] = [];
  let ctm = base;
  let lw = 1;
  let subs: Sub[] = [];
  let cur: Sub | undefined;
  const ops: (number | string)[] = [];
  const lex = new Lexer(data);
  for (;;) {
    const t = lex.next();
    if (t === undefined) break;
    if (typeof t === 'number') {
      ops.push(t);
      continue;
    }
    if (t.kind !== 'op') {
      if (t.kind === 'name') ops.push(t.value);
      continue;
    }
    const n = (i: number) => Number(ops[ops.length - i]) || 0;
    switch (t.value) {
      case 'q':
        stack.push({ ctm, lw });
        break;
      case 'Q': {
        const s = stack.pop();
        if (s) ({ ctm, lw } = s);
        break;
      }
      case 'cm':
        if (ops.length >= 6) ctm = mul([n(6), n(5), n(4), n(3), n(2), n(1)], ctm);
        break;
      case 'w':
        lw = n(1);
        break;
      case 'm':
        cur = { pts: [apply(ctm, n(2), n(1))], closed: false, curved: false };
        subs.push(cur);
        break;
      case 'l':
        if (cur) cur.pts.push(apply(ctm, n(2), n(1)));
        break;
      case 'c':
      case 'v':
      case 'y':
        if (cur) {
          cur.curved = true;
          cur.pts.push(apply(ctm, n(2), n(1)));
        }
        break;
      case 'h':
        if (cur) cur.closed = true;
        break;
      case 're': {
        const [x, y, w, hh] = [n(4), n(3), n(2), n(1)];
        subs.push({ pts: [apply(ctm, x, y), apply(ctm, x + w, y), apply(ctm, x + w, y + hh), apply(ctm, x, y + hh)], closed: true, curved: false });
        cur = undefined;
        break;
      }
      case 'S':
      case 's':
        if (t.value === 's' && cur) cur.closed = true;
        ink(subs, out, 'stroke');
        stroke(subs, out, lw * Math.hypot(ctm[0], ctm[1]));
        subs = [];
        cur = undefined;
        break;
      case 'f':
      case 'F':
      case 'f*':
        ink(subs, out, 'fill');
        fill(subs, out);
        subs = [];
        cur = undefined;
        break;
      case 'B':
      case 'B*':
      case 'b':
      case 'b*':
        if (t.value.startsWith('b') && cur) cur.closed = true;
        ink(subs, out, 'fill');
        stroke(subs, out, lw * Math.hypot(ctm[0], ctm[1]));
        fill(subs, out);
        subs = [];
        cur = undefined;
        break;
      case 'n':
        subs = [];
        cur = undefined;
        break;
      case 'Do': {
        const name = ops[ops.length - 1];
        if (typeof name === 'string' && depth < 4) form(doc, resources, name, ctm, out, depth);
        break;
      }
      case 'BI':
        lex.skipInlineImage();
        break;
    }
    ops.length = 0;
  }
}

function form(doc: PDFDocument, resources: PDFDict | undefined, name: string, ctm: M, out: Rules, depth: number): void {
  const xobjects = resources?.lookup(PDFName.of('XObject'));
  if (!(xobjects instanceof PDFDict)) return;
  const ref = xobjects.get(PDFName.of(name));
  const x = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
  if (!(x instanceof PDFRawStream)) return;
  if (x.dict.get(PDFName.of('Subtype')) !== PDFName.of('Form')) return;
  const bytes = decodeStream(x);
  if (!bytes || bytes.length > MAX_CONTENT) return;
  const mat = x.dict.lookup(PDFName.of('Matrix'));
  let m: M = ID;
  if (mat instanceof PDFArray && mat.size() === 6) m = mat.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) as M;
  const res = x.dict.lookup(PDFName.of('Resources'));
  run(doc, bytes, res instanceof PDFDict ? res : resources, mul(m, ctm), out, depth + 1);
}

/** Small painted shapes, each sub-path on its own: a box outline, a tick's strokes, a filled square. */
function ink(subs: Sub[], out: Rules, paint: 'stroke' | 'fill'): void {
  if (!out.ink) return;
  for (const s of subs) {
    if (s.pts.length < 2 && paint === 'stroke') continue;
    const xs = s.pts.map((p) => p[0]);
    const ys = s.pts.map((p) => p[1]);
    const r = { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
    if (r.x1 - r.x0 > MAX_MARK || r.y1 - r.y0 > MAX_MARK || (r.x1 - r.x0 < 0.3 && r.y1 - r.y0 < 0.3)) continue;
    const closed = s.closed || (s.pts.length > 3 && Math.hypot(s.pts[0][0] - s.pts[s.pts.length - 1][0], s.pts[0][1] - s.pts[s.pts.length - 1][1]) < 0.6);
    out.ink.push({ ...r, outline: paint === 'stroke' && closed && s.pts.length >= 4 });
  }
}

function add(out: Rules, a: [number, number], b: [number, number]): void {
  const [x1, y1] = a;
  const [x2, y2] = b;
  if (Math.abs(y1 - y2) < 0.6 && Math.abs(x1 - x2) > 0.5) out.h.push({ x1: Math.min(x1, x2), x2: Math.max(x1, x2), y1: (y1 + y2) / 2, y2: (y1 + y2) / 2 });
  else if (Math.abs(x1 - x2) < 0.6 && Math.abs(y1 - y2) > 0.5) out.v.push({ x1: (x1 + x2) / 2, x2: (x1 + x2) / 2, y1: Math.min(y1, y2), y2: Math.max(y1, y2) });
}

function stroke(subs: Sub[], out: Rules, width: number): void {
  if (width > 6) return;
  for (const s of subs) {
    if (s.curved) continue;
    for (let i = 1; i < s.pts.length; i++) add(out, s.pts[i - 1], s.pts[i]);
    if (s.closed && s.pts.length > 2) add(out, s.pts[s.pts.length - 1], s.pts[0]);
  }
}

/** A filled thin rectangle is a line; a filled larger rectangle (a cell background) gives its edges. */
function fill(subs: Sub[], out: Rules): void {
  for (const s of subs) {
    if (s.curved || s.pts.length < 2) continue;
    const xs = s.pts.map((p) => p[0]);
    const ys = s.pts.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const rectangular = s.pts.every((p) => (Math.abs(p[0] - x0) < 0.6 || Math.abs(p[0] - x1) < 0.6) && (Math.abs(p[1] - y0) < 0.6 || Math.abs(p[1] - y1) < 0.6));
    if (!rectangular) continue;
    if (y1 - y0 <= 3 && x1 - x0 > 3) add(out, [x0, (y0 + y1) / 2], [x1, (y0 + y1) / 2]);
    else if (x1 - x0 <= 3 && y1 - y0 > 3) add(out, [(x0 + x1) / 2, y0], [(x0 + x1) / 2, y1]);
    else if (x1 - x0 > 3 && y1 - y0 > 3) {
      add(out, [x0, y0], [x1, y0]);
      add(out, [x0, y1], [x1, y1]);
      add(out, [x0, y0], [x0, y1]);
      add(out, [x1, y0], [x1, y1]);
    }
  }
}
