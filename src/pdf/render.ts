import { fontBytes, fontFor, textWidth } from './fontCache.js'; // first: it must wrap fontkit before pdfmake loads it
import './tracking.js';
import './styleLookup.js';
import './measureRuns.js';
import './lineRuns.js';
import { memoiseLayout } from './layoutCache.js';
import { layOut } from './deferred.js';
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { FORM_TABLE_SIZES, type Block, type Cell, type DocModel, type FontRole, type Span, type TableBlock } from '../core/model.js';
import type { Kind } from '../core/kind.js';
import { defaultFonts, type FontConfig } from './fonts.js';
import { assertGlyphs } from './glyphs.js';
import { pageGeometry, NATURAL_LINE, type PageGeometry } from './page.js';
import { blankPieces, runningText } from '../core/blank.js';
import { FIXED_DATE } from '../core/dates.js';
import { formatOf } from '../core/formats.js';

// Nothing is fetched: no URLs, no local files (fonts reach pdfmake through its virtual file system).
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy(() => false);


export interface PdfOptions {
  fonts?: FontConfig;
  /** The caller has already validated this record (renderDocument, batch workers): skip it here. */
  validated?: boolean;
}

interface Ctx {
  fonts: FontConfig;
  kind: Kind;
  geo: PageGeometry;
  /** Table text size in points; forms shrink it to stay on one page. */
  tableSize: number;
}

/** Render a document model to PDF bytes. */
export async function modelToPdf(kind: Kind, model: DocModel, opts: PdfOptions = {}): Promise<Uint8Array> {
  const fonts = opts.fonts ?? defaultFonts();
  registerFonts(fonts);
  if (model.page === 'official') return officialPdf(kind, model, fonts);
  const geo = pageGeometry(model.page, naturalLine(fonts));
  // Forms must stay on one page: shrink the table text until they do.
  const sizes = model.page === 'form' ? FORM_TABLE_SIZES : [geo.tableSize];
  for (const tableSize of sizes) {
    const ctx: Ctx = { fonts, kind, geo, tableSize };
    let pages = 0;
    // Laid out first, drawn only if kept: a size that does not fit costs no PDF.
    const draw = await layOut(docDefinition(ctx, model, (n) => (pages = n)));
    if (model.page !== 'form' || pages <= 1 || tableSize === sizes[sizes.length - 1]) return draw();
  }
  throw new Error('unreachable');
}

/**
 * GB/T 9704 7.3.5.4: the seal and date may not stand on a page of their own, and are brought back
 * by adjusting the line spacing. So when the last page would hold no body text (only signature
 * lines and the date, or only the receipt below a cut line) of a two-page document, the line pitch is
 * tightened, by at most 16 % (MAX_SQUEEZE), until it fits on one page; if it cannot, the grid stays.
 */
async function officialPdf(kind: Kind, model: DocModel, fonts: FontConfig): Promise<Uint8Array> {
  // Each try is only laid out; the one kept is drawn (so a notice fitted by a tighter pitch pays
  // for one PDF, not two). The first try at the grid's pitch is a probe (see officialRender): when
  // all that would go to page 2 is a signature or receipt, it stops before pdfmake lays the page out
  // again to move it, since a tighter pitch is tried next anyway.
  const full = await officialRender(kind, model, fonts, 1, true);
  // Longer documents are mostly tables, which do not shrink with the pitch: they keep the grid.
  if (!full.probed && (full.pages !== 2 || full.bodyOnLastPage)) return full.draw();
  if (!full.bodyOnLastPage) {
    // The pitch that would bring the last page back, estimated from where the content ends (only
    // roughly: some spacing does not scale): one render to try it, one more at most.
    const estimate = Math.floor(full.fits * 100) / 100 - 0.01;
    for (const squeeze of estimate > MAX_SQUEEZE ? [estimate, MAX_SQUEEZE] : estimate >= MAX_SQUEEZE - 0.05 ? [MAX_SQUEEZE] : []) {
      const r = await officialRender(kind, model, fonts, squeeze, true);
      if (r.pages < 2 && !r.probed) return r.draw();
    }
  }
  // Nothing fitted: the grid's pitch after all, laid out in full if the first try was a probe.
  return (full.probed ? await officialRender(kind, model, fonts, 1, false) : full).draw();
}

/** The tightest pitch allowed, as a share of the 22-line grid's. */
const MAX_SQUEEZE = 0.84;

interface OfficialLayout {
  /** Draws the layout: the PDF's bytes. */
  draw: () => Promise<Uint8Array>;
  pages: number;
  bodyOnLastPage: boolean;
  /** Estimated pitch factor at which the content would fill one page less. */
  fits: number;
  /** A probe: a block that should have moved to page 2 was left where it was (not to be drawn). */
  probed: boolean;
}

/**
 * One layout at a pitch. Blocks kept whole (a signature, the receipt) or kept with the next are
 * moved to the next page by answering pdfmake's pageBreakBefore, after which pdfmake lays the whole
 * document out again. With `probe`, a move that would only put such blocks on a second and last page
 * is not made: the layout then tells how much content there is (enough to try a tighter pitch) for
 * one layout instead of two, but is marked `probed` and must not be drawn.
 */
async function officialRender(kind: Kind, model: DocModel, fonts: FontConfig, squeeze: number, probe: boolean): Promise<OfficialLayout> {
  const geo = pageGeometry('official', naturalLine(fonts), squeeze);
  let pages = 0;
  let probed = false;
  const bodyPages = new Set<number>();
  // Per page: the lowest start of any node, and where a block moved to the next page used to start.
  const lowest = new Map<number, number>();
  const movedFrom = new Map<number, number>();
  let inner = 0;
  const doc = docDefinition({ fonts, kind, geo, tableSize: geo.tableSize }, model, (n) => (pages = n));
  doc.pageBreakBefore = (node, nodes) => {
    const start = node.startPosition as unknown as { pageNumber: number; verticalRatio: number; pageInnerHeight: number };
    const y = start.verticalRatio * start.pageInnerHeight;
    inner = start.pageInnerHeight;
    lowest.set(start.pageNumber, Math.max(lowest.get(start.pageNumber) ?? 0, y));
    const m = node.headlineLevel as unknown as Mark | undefined;
    if (!m) return false;
    const on = (node as unknown as { pageNumbers: number[] }).pageNumbers;
    // Text that only goes along with the signature does not make its page a page of body text.
    const body = m.body && !m.withNext;
    const move = () => {
      const bodyAfter = () => nodes.getNodesOnNextPage().some((n) => (n.headlineLevel as unknown as Mark | undefined)?.body);
      if (probe && pages === 2 && start.pageNumber === 1 && !body && !bodyAfter()) {
        probed = true;
        return false;
      }
      movedFrom.set(start.pageNumber, y);
      if (body) bodyPages.add(on[0] + 1); // a moved node is not asked again
      return true;
    };
    // Kept together this way rather than with `unbreakable`, whose moved content reports its old page.
    if (m.keep && on.length > 1) return move();
    // The signature never starts a page: the line before it goes along (also when the signature
    // starts on this page but runs over, as it is about to be moved).
    const keptHere = (n: { headlineLevel?: unknown; pageNumbers: number[] }) => (n.headlineLevel as Mark | undefined)?.keep && n.pageNumbers.length === 1;
    if (m.withNext && nodes.getPreviousNodesOnPage().length && !nodes.getFollowingNodesOnPage().some(keptHere)) return move();
    if (body) for (const p of on) bodyPages.add(p);
    return false;
  };
  const draw = await layOut(doc);
  // A probe moved nothing: its pages end where their content ends.
  const used = (p: number) => movedFrom.get(p) ?? (lowest.get(p) ?? inner) + geo.pitch;
  const content = (pages - 2) * inner + used(pages - 1) + used(pages);
  return { draw, pages, bodyOnLastPage: bodyPages.has(pages), fits: pages > 1 && content > 0 ? (((pages - 1) * inner) / content) * squeeze : 1, probed };
}

/**
 * How a top-level block may break, for official pages (carried in pdfmake's `headlineLevel`, which
 * it hands to pageBreakBefore untouched): body text or not, kept on one page, kept with the next.
 */
interface Mark {
  body?: boolean;
  keep?: boolean;
  withNext?: boolean;
}
function marks(blocks: Block[]): Mark[] {
  return blocks.map((b, i) => ({
    body: b.type !== 'signature' && !(b.type === 'paragraph' && !b.indent && b.role !== 'heading'),
    keep: b.type === 'signature',
    withNext: blocks[i + 1]?.type === 'signature',
  }));
}

/** The body font's line height as a multiple of its size, as PDFKit measures it (no line gap). */
function naturalLine(fonts: FontConfig): number {
  const f = fontFor(fonts.body.file) as unknown as { ascent: number; descent: number; unitsPerEm: number };
  return (f.ascent - f.descent) / f.unitsPerEm;
}

let registered: FontConfig | undefined;
function registerFonts(fonts: FontConfig): void {
  if (registered === fonts) return;
  const families: Record<string, Record<string, string>> = {};
  for (const role of Object.keys(fonts) as FontRole[]) {
    const name = `${role}:${fonts[role].file}`;
    (pdfmake as unknown as { virtualfs: { writeFileSync(n: string, b: Buffer): void } }).virtualfs.writeFileSync(name, fontBytes(fonts[role].file));
    families[role] = { normal: name, bold: name, italics: name, bolditalics: name };
    memoiseLayout(fontFor(fonts[role].file) as unknown as Parameters<typeof memoiseLayout>[0]);
  }
  pdfmake.setFonts(families);
  registered = fonts;
}

function docDefinition(ctx: Ctx, model: DocModel, onPages: (n: number) => void): TDocumentDefinitions {
  const { geo } = ctx;
  const marked = marks(model.blocks);
  return {
    pageSize: 'A4',
    pageMargins: geo.margins,
    info: { title: ctx.kind.title, creator: 'bangban', producer: 'bangban', creationDate: FIXED_DATE, modDate: FIXED_DATE },
    defaultStyle: { font: 'body', fontSize: geo.bodySize, lineHeight: geo.lineHeight, characterSpacing: geo.characterSpacing },
    content: keepCutTogether(
      model.blocks.map((b, i) => ({ ...(block(ctx, b) as object), headlineLevel: marked[i] }) as Content),
      model.blocks,
      model.page === 'official',
    ),
    footer: (page: number, count: number) => {
      onPages(count);
      return geo.pageNumbers ? pageNumber(ctx, page) : null;
    },
  } as TDocumentDefinitions;
}

/** What follows a cut line (a receipt) is cut off as one piece: it never breaks across pages. */
function keepCutTogether(content: Content[], blocks: Block[], official: boolean): Content[] {
  const cut = blocks.findIndex((b) => b.type === 'cutLine');
  if (cut < 0) return content;
  // Not body text: a receipt left alone on the last page tightens the pitch like a lone signature.
  const rest = official ? { headlineLevel: { keep: true } } : { unbreakable: true };
  const inner = content.slice(cut).map((c) => ({ ...(c as object), headlineLevel: undefined }) as Content);
  return [...content.slice(0, cut), { stack: inner, ...rest } as Content];
}

/** "— 1 —" in 4号, 7 mm below the text block; odd pages right, even pages left, one character in. */
function pageNumber(ctx: Ctx, page: number): Content {
  const { geo } = ctx;
  const text = `— ${page} —`;
  assertGlyphs(text, 'body', ctx.fonts, undefined, ctx.kind.label.bind(ctx.kind));
  const inset = 14;
  return {
    text,
    font: 'body',
    fontSize: 14,
    lineHeight: 1,
    characterSpacing: 0,
    alignment: page % 2 ? 'right' : 'left',
    margin: [geo.margins[0] + (page % 2 ? 0 : inset), geo.pageNumberOffset, geo.margins[2] + (page % 2 ? inset : 0), 0],
  } as Content;
}

/**
 * Spans as pdfmake inlines. In running text a blank form's empty value prints its fill-in line:
 * underlined blanks (and the fixed text between them, 年 月 日); in table cells (`fill` false) it
 * prints nothing, the cell being the space.
 */
function inlines(ctx: Ctx, spans: Span[], role: FontRole, fill = true): { text: string; decoration?: 'underline'; wordBreak?: 'break-all'; preserveLeadingSpaces?: boolean; preserveTrailingSpaces?: boolean }[] {
  return spans.flatMap((s) => {
    if (fill && s.blank && !s.text) {
      return blankPieces(s.blank).map((p) => {
        assertGlyphs(p.text, role, ctx.fonts, s.field, (f) => ctx.kind.label(f));
        // break-all: the line may wrap anywhere (a run of ideographic spaces has no break
        // opportunity); preserved spaces: pdfmake would not count their width at a line's ends.
        return p.line ? { text: p.text, decoration: 'underline' as const, wordBreak: 'break-all' as const, preserveLeadingSpaces: true, preserveTrailingSpaces: true } : { text: p.text };
      });
    }
    assertGlyphs(s.text, role, ctx.fonts, s.field, (p) => ctx.kind.label(p));
    return [{ text: s.text }];
  });
}

function block(ctx: Ctx, b: Block): Content {
  const { geo } = ctx;
  switch (b.type) {
    case 'attachment':
      return { text: inlines(ctx, [{ text: b.text }], 'heading'), font: 'heading', fontSize: 16, lineHeight: 1.2, margin: [0, 0, 0, geo.bodySize * 0.8] };
    case 'docNumber':
      return { text: inlines(ctx, b.spans, 'body'), alignment: 'center', margin: [0, 0, 0, geo.bodySize] };
    case 'title':
      return { text: inlines(ctx, b.spans, 'title'), font: 'title', fontSize: 22, lineHeight: geo.titleLineHeight, characterSpacing: 0, alignment: 'center', margin: [0, 0, 0, geo.bodySize * 1.2] };
    case 'paragraph': {
      const role = b.role ?? 'body';
      return {
        text: inlines(ctx, b.spans, role),
        font: role,
        alignment: b.align ?? 'justify',
        leadingIndent: b.indent ? (geo.bodySize + geo.characterSpacing) * 2 : 0,
        margin: [0, b.spaceBefore ?? 0, 0, 0],
      } as Content;
    }
    case 'list':
      return { stack: b.items.map((it) => ({ text: inlines(ctx, it, 'body'), leadingIndent: (geo.bodySize + geo.characterSpacing) * 2, alignment: 'justify' }) as Content) };
    case 'signature':
      return { stack: signatureLines(ctx, b.lines), margin: [0, geo.pitch, 0, 0], unbreakable: !geo.pageNumbers /* official pages: pageBreakBefore */ } as Content;
    case 'cutLine':
      return {
        margin: [0, geo.bodySize * 0.5, 0, 2],
        stack: [
          { canvas: [{ type: 'line', x1: 0, y1: 6, x2: geo.contentWidth, y2: 6, lineWidth: 0.6, dash: { length: 4, space: 3 } }] },
          { text: inlines(ctx, [{ text: b.text }], 'body'), alignment: 'center', fontSize: 10.5, lineHeight: 1, characterSpacing: 0, margin: [0, 2, 0, 0] },
        ],
      } as Content;
    case 'table':
      return table(ctx, b);
  }
}

/**
 * GB/T 9704 7.3.5.1: the date (last line) ends four characters from the right edge; the lines
 * above it (the issuer) are centred on the date, moved left only as far as needed to stay inside.
 */
function signatureLines(ctx: Ctx, lines: Span[][]): Content[] {
  const { geo } = ctx;
  const ch = geo.bodySize + geo.characterSpacing;
  const font = fontFor(ctx.fonts.body.file);
  const width = (l: Span[]) => l.map(runningText).reduce((w, t) => w + textWidth(font, t, geo.bodySize) + geo.characterSpacing * [...t].length, 0);
  const date = lines[lines.length - 1] ?? [];
  const centre = geo.contentWidth - 4 * ch - width(date) / 2;
  return lines.map((l) => {
    const w = Math.min(width(l), geo.contentWidth);
    const left = Math.max(0, Math.min(centre - w / 2, geo.contentWidth - w));
    return { text: inlines(ctx, l, 'body'), alignment: 'left', margin: [left, 0, 0, 0] } as Content;
  });
}

const PAD = 4;

function table(ctx: Ctx, t: TableBlock): Content {
  const size = t.fontSize ?? ctx.tableSize;
  const n = t.widths.length;
  const total = ctx.geo.contentWidth - n * 2 * PAD - (n + 1) * 0.8;
  const sum = t.widths.reduce((a, b) => a + b, 0);
  const widths = t.widths.map((w) => (total * w) / sum);
  const rows = [...(t.head ?? []), ...t.body, ...(t.each?.rows ?? []), ...(t.foot ?? [])];
  const headerRows = t.head?.length ?? 0;
  return {
    table: {
      headerRows,
      keepWithHeaderRows: headerRows ? 1 : undefined, // a header never stands alone at a page's foot
      dontBreakRows: true,
      widths,
      heights: (i: number) => ((i < headerRows ? 0 : t.heights?.[i - headerRows] ?? t.rowHeight ?? 0) * size) / 12,
      body: spread(rows, (c, col, span) => cell(ctx, c, size, widths.slice(col, col + span).reduce((a, b) => a + b, 0) + (span - 1) * (2 * PAD + 0.8))),
    },
    layout: { hLineWidth: () => 0.8, vLineWidth: () => 0.8, paddingLeft: () => PAD, paddingRight: () => PAD, paddingTop: () => 3, paddingBottom: () => 3 },
    fontSize: size,
    lineHeight: ctx.geo.tableLineHeight,
    characterSpacing: 0,
    // Official pages: a little air between the table and the body text around it.
    margin: ctx.geo.pageNumbers ? [0, 3, 0, 4] : undefined,
  } as Content;
}

/** Identifiers (codes, phone numbers) stay on one line: shrink the text until it fits the cell. */
function unbrokenSize(ctx: Ctx, c: Cell, size: number, width: number): number {
  const field = c.spans?.length === 1 ? c.spans[0].field : undefined;
  if (!field || !formatOf(ctx.kind.schema.at(field))?.unbroken) return size;
  const w = textWidth(fontFor(ctx.fonts.body.file), c.spans![0].text, size);
  return w <= width - 1 ? size : Math.max(6, (size * (width - 1)) / w);
}

/** pdfmake wants a placeholder for every grid position a col- or row-span covers. */
function spread(rows: Cell[][], make: (c: Cell, col: number, span: number) => TableCell): TableCell[][] {
  const covered: number[] = [];
  return rows.map((row) => {
    const out: TableCell[] = [];
    let col = 0;
    const next = () => {
      while ((covered[col] ?? 0) > 0) {
        covered[col]--;
        out.push({});
        col++;
      }
    };
    for (const c of row) {
      next();
      const span = c.colSpan ?? 1;
      out.push(make(c, col, span));
      for (let k = 0; k < span; k++) {
        if (k) out.push({});
        if ((c.rowSpan ?? 1) > 1) covered[col + k] = (c.rowSpan ?? 1) - 1;
      }
      col += span;
    }
    next();
    return out;
  });
}

function cell(ctx: Ctx, c: Cell, size: number, width: number): TableCell {
  const parts: Content[] = [];
  if (c.spans?.length) parts.push({ text: inlines(ctx, c.spans, 'body', false), fontSize: unbrokenSize(ctx, c, size, width) });
  if (c.checkboxes) parts.push(checkboxes(ctx, c.checkboxes.options, size, width));
  if (c.hint) parts.push({ text: inlines(ctx, [{ text: c.hint }], 'body'), fontSize: size * 0.8, color: '#444444' });
  return {
    stack: parts,
    colSpan: c.colSpan,
    rowSpan: c.rowSpan,
    alignment: c.align ?? (c.role === 'label' ? 'center' : 'left'),
    verticalAlignment: c.rowSpan ? undefined : 'middle',
    bold: false,
  } as TableCell;
}

/**
 * Boxes are drawn as one-cell tables (the fonts have no ☐/☑); a ticked box holds a √, which text
 * extraction reads back in front of the option.
 */
function checkboxes(ctx: Ctx, options: { label: string; checked: boolean }[], size: number, width: number): Content {
  const box = size * 0.9;
  const perRow = Math.max(1, Math.floor(width / (size * 11)));
  const items: Content[] = options.map((o) => ({
    columns: [
      {
        width: box + 2,
        table: { widths: [box], heights: [box], body: [[{ text: o.checked ? inlines(ctx, [{ text: '√' }], 'body') : ' ', fontSize: size * 0.85, lineHeight: box / (size * 0.85 * NATURAL_LINE), alignment: 'center' }]] },
        layout: { hLineWidth: () => 0.7, vLineWidth: () => 0.7, paddingLeft: () => 0, paddingRight: () => 0, paddingTop: () => 0, paddingBottom: () => 0 },
        margin: [0, size * 0.15, 0, 0],
      },
      { width: '*', text: inlines(ctx, [{ text: o.label }], 'body') },
    ],
    columnGap: 3,
    margin: [0, 2, 0, 2],
  }) as Content);
  const grid: Content[][] = [];
  for (let i = 0; i < items.length; i += perRow) {
    const row = items.slice(i, i + perRow);
    while (row.length < perRow) row.push({ text: '' });
    grid.push(row);
  }
  return { table: { widths: Array(perRow).fill('*'), body: grid }, layout: 'noBorders' } as Content;
}
