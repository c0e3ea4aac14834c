/**
 * The mark of each option of a check-box group on a scan, from the pixels next to the option's
 * label: a drawn or printed box there (☐ ☑ ■, a square with a hand tick), or with no box any mark
 * (√ ✓, a tick between brackets; empty brackets are no mark). An option may wrap over two lines (a
 * narrow cell: 大厅综合窗 / 口受理), and then its box stands beside both lines; an option that
 * starts a line may have its box at the end of the line above (… ■ / 邮寄送达办理结果).
 */
import { matchKey } from '../parse/template.js';
import { inkIn } from './geometry.js';
import { BOXLIKE, HAN, looseMark, markBeside, markState, type Box, type OcrLine, type OcrPageImage } from './page.js';

/** An option label found in the lines: `at` indexes its line's chars; `next`: the line its text wraps to. */
export interface FoundOption {
  line: OcrLine;
  at: number;
  option: string;
  next?: OcrLine;
}

/** What to put before an option: a box (☑ ☐) or a loose mark (√), where it was seen. */
export interface OptionMark {
  str: '☑' | '☐' | '√';
  box: Box;
  confidence: number;
  /** A tick after the option (大厅综合窗口受理✓), not before it. */
  after?: true;
}

/** Marks and brackets OCR reads around a box or a tick, which may stand before a wrapped option's rest. */
const LEAD = /^[\s[\]［］【】()（）〔〕]$/u;

/**
 * Options of the groups found nowhere in one line, because their text wraps: a line ending with the
 * option's beginning (two characters or more, or one before a rest of five or more) and a line just
 * below starting with the rest. Of
 * several such lines below, the one starting nearest under the beginning (a narrow cell), else the
 * leftmost (text flowing to the next line's start). A 口 that starts the rest and was cut off its
 * line as a box read as 口 is put back.
 */
export function wrappedOptions(lines: OcrLine[], groups: string[][], found: { line: OcrLine; at: number; option: string }[]): FoundOption[] {
  const out: FoundOption[] = [];
  const keys = new Map(lines.map((l) => [l, l.chars.map((c) => matchKey(c.ch))]));
  for (const group of groups)
    for (const opt of group) {
      if (found.some((f) => f.option === opt)) continue;
      const chars = [...opt];
      let best: (FoundOption & { dx: number; lost: string }) | undefined;
      for (const a of lines) {
        const ka = keys.get(a)!;
        const h = a.box[3] - a.box[1];
        // one character alone at the line's end only before a long rest (■邮 / 寄送达办理结果)
        for (let k = Math.min(chars.length - 1, ka.length); k >= (chars.length > 5 ? 1 : 2); k--) {
          const at = ka.length - k;
          if (ka.slice(at).join('') !== chars.slice(0, k).join('')) continue;
          if (found.some((f) => f.line === a && f.at + [...f.option].length > at)) continue;
          const rest = chars.slice(k).join('');
          const x = a.chars[at].x0;
          for (const b of lines) {
            if (b === a || b.box[1] < (a.box[1] + a.box[3]) / 2 || b.box[1] - a.box[3] > h * 0.8) continue;
            const kb = keys.get(b)!;
            let s = 0;
            while (s < kb.length && (LEAD.test(kb[s]) || BOXLIKE.test(b.chars[s].ch)) && !kb.slice(s).join('').startsWith(rest)) s++;
            // a 口 starting the rest was taken for a box read as 口 and cut off the line: put back below
            const lost = s === 0 && BOXLIKE.test(rest[0]) && kb.join('').startsWith(rest.slice(1)) ? rest[0] : '';
            if (!lost && !kb.slice(s).join('').startsWith(rest)) continue;
            const dx = Math.abs(b.chars[s].x0 - x) < h * 2 ? Math.abs(b.chars[s].x0 - x) : h * 2 + b.box[0];
            if (!best || dx < best.dx) best = { line: a, at, option: opt, next: b, dx, lost };
          }
          break;
        }
      }
      if (!best) continue;
      if (best.lost) {
        const b = best.next!;
        const c = b.chars[0];
        b.chars = [{ ch: best.lost, p: c.p, x0: c.x0 - (c.x1 - c.x0), x1: c.x0 }, ...b.chars];
        b.text = b.chars.map((ch) => ch.ch).join('');
        b.box = [Math.min(b.box[0], c.x0 - (c.x1 - c.x0)), b.box[1], b.box[2], b.box[3]];
        keys.set(b, b.chars.map((ch) => matchKey(ch.ch)));
      }
      out.push({ line: best.line, at: best.at, option: best.option, next: best.next });
    }
  return out;
}

/**
 * The marks of the options found on a page: before each (`optionMark`); where a group has no mark
 * before any of its options, a tick after an option (大厅综合窗口受理✓) — any mark between the
 * option's end and the next Chinese text on its line, or within a text height and a half.
 */
export function optionMarks(img: OcrPageImage, options: FoundOption[], groups: string[][]): Map<FoundOption, OptionMark> {
  const out = new Map<FoundOption, OptionMark>();
  const emptySquares = new Map<FoundOption, OptionMark>();
  for (const o of options) {
    const m = optionMark(img, o, options, emptySquares);
    if (m) out.set(o, m);
  }
  for (const group of groups) {
    const mine = options.filter((o) => group.includes(o.option));
    if (mine.length < 2 || mine.some((o) => out.has(o))) continue;
    // boxes the pixels did not show as boxes (a small ☐ at 150 dpi), read as 口, with a tick read
    // before one (√口大厅…): the ticks stand before their boxes, not after the option before them
    const before = new Map(mine.flatMap((o) => {
      const m = tickReadBefore(o);
      return m ? [[o, m] as const] : [];
    }));
    if (before.size) {
      for (const o of mine) {
        const m = before.get(o) ?? tickInkBefore(img, o);
        if (m) out.set(o, m);
      }
      continue;
    }
    for (const o of mine) {
      const m = markAfter(img, o);
      if (m) out.set(o, m);
    }
  }
  // Empty squares the pixels found where the recogniser read 口 before an option: written as ☐, so
  // that the reader knows boxes stand before the options (not for ticks after them: □A B✓ would
  // then read as B's box ticked).
  for (const group of groups) {
    const mine = options.filter((o) => group.includes(o.option));
    if (mine.some((o) => out.get(o)?.after)) continue;
    for (const o of mine) if (!out.has(o) && emptySquares.has(o)) out.set(o, emptySquares.get(o)!);
  }
  return out;
}

/**
 * The rows a line's character at `i` inks: where the ink in its column (as wide as the line's usual
 * step between Chinese characters) runs longest, when the line's box is over one and a half steps
 * high and that run well under it (a line slanted in a photo, or a box reaching into the next
 * line); else the box's.
 */
function charRows(img: OcrPageImage, l: OcrLine, i: number): [number, number] {
  const whole: [number, number] = [l.box[1], l.box[3]];
  const han = l.chars.filter((c) => HAN.test(c.ch));
  if (han.length < 4) return whole;
  const steps = han.slice(1).map((c, k) => (c.x0 + c.x1) / 2 - (han[k].x0 + han[k].x1) / 2).sort((a, b) => a - b);
  const step = steps[steps.length >> 1];
  const c = l.chars[i];
  const cx = (c.x0 + c.x1) / 2;
  const x0 = Math.max(0, Math.round(cx - step * 0.45)),
    x1 = Math.min(img.page.width, Math.round(cx + step * 0.45));
  let best: [number, number] | undefined;
  let start = -1,
    last = -1;
  for (let y = Math.max(0, l.box[1]); y <= l.box[3] + 1; y++) {
    let ink = false;
    if (y < l.box[3]) for (let x = x0; x < x1 && !ink; x++) ink = !!img.bin[y * img.page.width + x];
    if (ink) {
      if (start < 0) start = y;
      last = y;
    } else if (start >= 0 && y - last > 2) {
      if (!best || last - start > best[1] - best[0]) best = [start, last + 1];
      start = -1;
    }
  }
  // only for a box clearly taller than a line of its text: elsewhere the box is the better measure
  if (whole[1] - whole[0] < step * 1.5) return whole;
  return best && best[1] - best[0] < (whole[1] - whole[0]) * 0.75 && best[1] - best[0] > step * 0.6 ? best : whole;
}

/** The 口 (□) read just before an option, and the text before that, past spaces. */
function boxReadBefore(o: FoundOption): { box: number; prev?: number } | undefined {
  const cs = o.line.chars;
  let k = o.at - 1;
  while (k >= 0 && !cs[k].ch.trim()) k--;
  if (k < 0 || !/^[口□☐囗]$/u.test(cs[k].ch)) return undefined;
  let j = k - 1;
  while (j >= 0 && !cs[j].ch.trim()) j--;
  return { box: k, prev: j >= 0 ? j : undefined };
}

/** A tick the recogniser read just before the box (口 □) that opens an option: √口大厅综合窗口受理. */
function tickReadBefore(o: FoundOption): OptionMark | undefined {
  const k = boxReadBefore(o)?.prev;
  if (k === undefined) return undefined;
  const c = o.line.chars[k];
  if (!/^[√✓✔]$/u.test(c.ch)) return undefined;
  const { box } = o.line;
  return { str: '√', box: [c.x0, box[1], c.x1, box[3]], confidence: c.p };
}

/**
 * Where ticks stand before boxes (√口 read elsewhere in the group), a tick the recogniser dropped:
 * ink between the text before the 口 and the 口.
 */
function tickInkBefore(img: OcrPageImage, o: FoundOption): OptionMark | undefined {
  const at = boxReadBefore(o);
  if (!at) return undefined;
  const cs = o.line.chars;
  const [top, bottom] = charRows(img, o.line, o.at);
  const c0 = cs[o.at];
  // the square's pixels where they were found (the recogniser places characters only roughly)
  const sq = markBeside(img, [c0.x0, top, c0.x1, bottom], { boxOnly: true })?.box ?? [cs[at.box].x0, top, cs[at.box].x1, bottom];
  const from = at.prev === undefined ? undefined : cs[at.prev].x1 + (bottom - top) * 0.1;
  const m = looseMark(img, [sq[0], top, sq[2], bottom], from);
  if (process.env.BANGBAN_OCR_TICKS) process.stderr.write(`tick before box ${o.option}: ${JSON.stringify(m)}\n`);
  return m.checked ? { str: '√', box: [m.box[0], o.line.box[1], m.box[2], o.line.box[3]], confidence: m.confidence } : undefined;
}

/** A tick right after an option's text on its line (an option wrapped to a next line has it there). */
function markAfter(img: OcrPageImage, o: FoundOption): OptionMark | undefined {
  const l = o.next ?? o.line;
  const h = l.box[3] - l.box[1];
  const len = [...o.option].length;
  // the option's last character: on its own line, or the rest's last on the line it wraps to
  const last = o.next ? o.next.chars[len - (o.line.chars.length - o.at) - 1] : l.chars[o.at + len - 1];
  if (!last) return undefined;
  const next = l.chars.slice(l.chars.indexOf(last) + 1).find((c) => HAN.test(c.ch));
  const region: Box = [last.x1 + h * 0.05, l.box[1] + h * 0.1, Math.min(next ? next.x0 - h * 0.1 : Infinity, last.x1 + h * 1.6), l.box[3] - h * 0.1];
  if (region[2] - region[0] < h * 0.3) return undefined;
  const fill = inkIn(img.bin, img.page.width, region, 0.25, (b, W, H) => b.x1 - b.x0 <= h * 0.3 && b.y1 - b.y0 >= H * 0.6);
  const state = markState(fill * 1.5);
  return state.checked ? { str: '√', box: region.map(Math.round) as Box, confidence: state.confidence, after: true } : undefined;
}

/**
 * The mark before an option, or undefined when there is none (no box, no mark: not ticked). A box
 * before a wrapped option may stand in the middle of its two lines; a box at the end of the line
 * above counts for an option that starts its line with nothing before it, when that line above
 * holds options of the same group. An empty square that is no drawn box the page-wide search found,
 * where the recogniser read 口, goes to `emptySquares` (optionMarks decides whether to write it).
 */
function optionMark(img: OcrPageImage, o: FoundOption, all: FoundOption[], emptySquares: Map<FoundOption, OptionMark>): OptionMark | undefined {
  const { page } = img;
  const l = o.line;
  const c0 = l.chars[o.at];
  // the rows of the option's own first character: a slanted line's box (a photo) is taller than its text
  const [top, bottom] = charRows(img, l, o.at);
  const h = bottom - top;
  const label: Box = [Math.max(l.box[0], c0.x0), top, l.box[2], bottom];
  const under = o.next && Math.abs(o.next.chars[0].x0 - c0.x0) < h * 2 ? o.next : undefined;
  // the text before the option on its line (another option), past its marks and brackets
  // (what stands between brackets just before the option, [/], [√门], is the mark, not text)
  let before = l.chars.slice(0, o.at);
  for (let k = before.length - 1; k >= Math.max(0, before.length - 4); k--)
    if (/^[[(（［【〔]$/u.test(before[k].ch)) {
      before = before.slice(0, k);
      break;
    }
  const prev = [...before].reverse().find((c) => c.ch.trim() && !LEAD.test(matchKey(c.ch)) && !BOXLIKE.test(c.ch));
  const mark = markBeside(img, label, { band: under ? [l.box[1], under.box[3]] : undefined, from: prev ? prev.x1 + h * 0.1 : o.at > 0 ? l.box[0] - h * 0.3 : undefined });
  if (process.env.BANGBAN_OCR_TICKS) process.stderr.write(`tick ${o.option} at ${c0.x0},${l.box[1]} next=${o.next?.text ?? ''} → ${JSON.stringify(mark)} ${mark && (page.checkboxes.includes(mark) ? 'checkbox' : img.squares?.includes(mark) ? 'square' : '')}\n`);
  const boxed = (m: typeof mark) => !!m && (page.checkboxes.includes(m) || !!img.squares?.includes(m));
  // the mark as a glyph of the line's text (the same height), as a text layer has it
  const onLine = (b: Box, on: OcrLine): Box => [b[0], on.box[1], b[2], on.box[3]];
  if (mark && boxed(mark)) return { str: mark.checked ? '☑' : '☐', box: onLine(mark.box, l), confidence: mark.confidence };
  if (mark && !mark.loose && !mark.checked && boxReadBefore(o)) emptySquares.set(o, { str: '☐', box: onLine(mark.box, l), confidence: mark.confidence });
  if (mark?.checked) return { str: '√', box: onLine(mark.box, l), confidence: mark.confidence };
  const startsLine = l.chars.slice(0, o.at).every((c) => LEAD.test(matchKey(c.ch)) || BOXLIKE.test(c.ch));
  if (!startsLine) return undefined;
  const above = all
    .map((f) => f.line)
    .filter((p) => p !== l && p.box[3] <= l.box[1] + h * 0.3 && l.box[1] - p.box[3] < h * 0.8)
    // the row just above, its last line
    .sort((p, q) => q.box[3] - p.box[3] || q.box[2] - p.box[2])
    .filter((p, _, all) => all[0].box[3] - p.box[3] < h * 0.5)
    .sort((p, q) => q.box[2] - p.box[2])[0];
  if (!above) return undefined;
  const end = above.box[2];
  const ah = above.box[3] - above.box[1];
  const m = markBeside(img, [end + ah * 1.2, above.box[1], end + ah * 2.2, above.box[3]], { boxOnly: true });
  if (!m || m.box[0] < end - ah * 0.3 || (!m.checked && !boxed(m))) return undefined;
  return { str: m.checked ? '☑' : '☐', box: onLine(m.box, above), confidence: m.confidence };
}
