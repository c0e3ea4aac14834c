/**
 * The desk's worker threads (piscina, from dist/serve/worker.js): rendering a document, reading an
 * uploaded form (OCR is slow) and checking a batch input, so the request thread only routes.
 */
import { readFile } from 'node:fs/promises';
import { getKind } from '../kinds/index.js';
import { validateRecord } from '../core/records.js';
import { UserError, ValidationError, type Issue } from '../core/errors.js';
import { renderDocument } from '../render.js';
import { loadFontConfig, type FontConfig } from '../pdf/fonts.js';
import { parseForm, ParseFailure, type ParseOptions, type ParseResult } from '../parse/index.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { openSource } from '../batch/sources.js';
import { inspectUpload, type UploadLimits } from './uploads.js';
import { NoPage, pageImage } from './pages.js';

export type Task =
  | { op: 'render'; kind: string; record: unknown | null; format: string; fillable?: boolean }
  | { op: 'parse'; file: string; name: string; limits: UploadLimits; pages?: string }
  | { op: 'preview'; kind: string; file: string; maxProblems: number }
  | { op: 'inspect'; file: string; limits: UploadLimits }
  | { op: 'page'; file: string; media: string; page: number; rotation: number; limits: UploadLimits };

export type RenderOutcome = { ok: true; bytes: Uint8Array } | { ok: false; errors?: Issue[]; message: string };
export type PageOutcome = { ok: true; bytes: Uint8Array } | { ok: false; message: string };
export type ParseOutcome = { ok: true; result: any } | { ok: false; reason: string };
export interface PreviewOutcome {
  ok: boolean;
  message?: string;
  total: number;
  invalid: number;
  notes: string[];
  /** Rows with problems, first maxProblems of them. */
  problems: { number: number; row: number; issues: Issue[] }[];
}

/** The fonts, found once per thread (finding them on every render cost more than the render). */
let fonts: FontConfig | undefined;

async function render(t: Extract<Task, { op: 'render' }>) {
  try {
    fonts ??= loadFontConfig();
    const bytes = await renderDocument(getKind(t.kind), t.record, t.format, { fillable: t.fillable, fonts });
    return { ok: true, bytes };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, errors: e.issues, message: e.message };
    if (e instanceof UserError) return { ok: false, message: e.message };
    throw e;
  }
}

async function parse(t: Extract<Task, { op: 'parse' }>): Promise<ParseOutcome> {
  try {
    const bytes = await readFile(t.file);
    const problem = await inspectUpload(bytes, t.limits);
    if (problem) return { ok: false, reason: problem };
    // a reader that can (option pageImages) gives a scan's pages as it read them (turned, deskewed,
    // flattened): the pictures its field boxes fit; kept as `${pages}-N.jpg` for the review
    const options: ParseOptions & { pageImages?: boolean } = { file: t.name, limits: { maxBytes: t.limits.maxBytes, maxPages: t.limits.maxPages }, pageImages: !!t.pages };
    const { pageImages, ...r } = (await parseForm(bytes, options)) as ParseResult & { pageImages?: Uint8Array[] };
    if (t.pages) for (const [i, jpeg] of (pageImages ?? []).entries()) writeFileAtomicSync(`${t.pages}-${i + 1}.jpg`, jpeg);
    return { ok: true, result: r };
  } catch (e) {
    if (e instanceof ParseFailure || e instanceof UserError) return { ok: false, reason: e.message };
    return { ok: false, reason: `无法读取（${(e as Error)?.message ?? String(e)}）` };
  }
}

async function preview(t: Extract<Task, { op: 'preview' }>): Promise<PreviewOutcome> {
  const kind = getKind(t.kind);
  try {
    const source = await openSource(kind, t.file);
    const problems: PreviewOutcome['problems'] = [];
    let invalid = 0;
    for await (const row of source.rows()) {
      const issues = row.errors ?? validateRecord(kind, row.record).errors;
      if (!issues.length) continue;
      invalid++;
      if (problems.length < t.maxProblems) problems.push({ number: row.number, row: row.row, issues });
    }
    return { ok: true, total: source.total, invalid, notes: source.notes, problems };
  } catch (e) {
    if (e instanceof UserError) return { ok: false, message: e.message, total: 0, invalid: 0, notes: [], problems: [] };
    throw e;
  }
}

export default async function run(t: Task): Promise<unknown> {
  switch (t.op) {
    case 'render':
      return render(t);
    case 'parse':
      return parse(t);
    case 'inspect':
      return inspectUpload(await readFile(t.file), t.limits);
    case 'page':
      try {
        return { ok: true, bytes: await pageImage(await readFile(t.file), t) };
      } catch (e) {
        return { ok: false, message: e instanceof NoPage ? e.message : `页面图像无法生成（${(e as Error)?.message ?? String(e)}）` };
      }
    default:
      return preview(t);
  }
}
