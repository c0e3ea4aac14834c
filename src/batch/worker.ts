/**
 * A render worker (one per core, run by piscina from dist/). Fonts are loaded and parsed once per
 * worker (src/pdf/fontCache.ts caches per thread); each task validates one record, renders it in
 * every requested format and writes the files atomically into the output folder.
 */
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { getKind } from '../kinds/index.js';
import { validateRecord } from '../core/records.js';
import { UserError, ValidationError, type Issue } from '../core/errors.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { loadFontConfig, type FontConfig } from '../pdf/fonts.js';
import { renderDocument } from '../render.js';
import { insideFolder } from './naming.js';
import type { OutputFile } from './manifest.js';

export interface RenderTask {
  kind: string;
  record: unknown;
  formats: string[];
  /** Font configuration file, if any. */
  fonts?: string;
  /** A user's wording template (.hbs) and Word template (.docx), if any. */
  wording?: string;
  template?: string;
  folder: string;
  /** File name without extension. */
  base: string;
}

export type RenderResult =
  | { status: 'ok'; files: OutputFile[]; warnings: Issue[] }
  | { status: 'invalid' | 'failed'; errors: Issue[]; warnings: Issue[] };

const fontConfigs = new Map<string, FontConfig>();
function fonts(path: string | undefined): FontConfig {
  const key = path ?? '';
  let f = fontConfigs.get(key);
  if (!f) fontConfigs.set(key, (f = loadFontConfig(path)));
  return f;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The rendered documents of one record, not yet written (a queue worker sends them to the submitter). */
export type Rendered =
  | { status: 'ok'; rendered: { format: string; bytes: Uint8Array }[]; warnings: Issue[] }
  | Exclude<RenderResult, { status: 'ok' }>;

/** Validate and render one record in every requested format. */
export async function renderRecord(task: Omit<RenderTask, 'folder' | 'base'>): Promise<Rendered> {
  const kind = getKind(task.kind);
  const v = validateRecord(kind, task.record);
  if (!v.valid) return { status: 'invalid', errors: v.errors, warnings: v.warnings };
  const rendered: { format: string; bytes: Uint8Array }[] = [];
  try {
    for (const format of task.formats) rendered.push({ format, bytes: await renderDocument(kind, task.record, format, { fonts: fonts(task.fonts), wording: task.wording, template: task.template, validated: true }) });
  } catch (e) {
    if (e instanceof ValidationError) return { status: 'invalid', errors: e.issues, warnings: v.warnings };
    // a value the fonts cannot print, a template tag the record lacks …: the row's data
    if (e instanceof UserError) return { status: 'invalid', errors: [{ path: '', label: kind.title, message: e.message }], warnings: v.warnings };
    return failed(kind.title, e, v.warnings);
  }
  return { status: 'ok', rendered, warnings: v.warnings };
}

/** Write a rendered record's files atomically into the output folder. */
export function writeRendered(task: Pick<RenderTask, 'kind' | 'folder' | 'base'>, r: Rendered): RenderResult {
  if (r.status !== 'ok') return r;
  const files: OutputFile[] = [];
  try {
    for (const { format, bytes } of r.rendered) {
      const file = `${task.base}.${format}`;
      const path = insideFolder(task.folder, file);
      refuseLinks(path);
      // Not flushed to disk one by one (that stalled the worker on every file): the manifest's size
      // and SHA-256 let the next run find a file a power cut damaged.
      writeFileAtomicSync(path, bytes, { flush: false });
      files.push({ format, file, sha256: sha256(bytes), bytes: bytes.byteLength });
    }
  } catch (e) {
    // a full disk or a folder we may not write to is no fault of the row's data
    return failed(getKind(task.kind).title, e, r.warnings);
  }
  return { status: 'ok', files, warnings: r.warnings };
}

export default async function render(task: RenderTask): Promise<RenderResult> {
  return writeRendered(task, await renderRecord(task));
}

function failed(label: string, e: unknown, warnings: Issue[]): Exclude<RenderResult, { status: 'ok' }> {
  return { status: 'failed', errors: [{ path: '', label, message: (e as Error).message }], warnings };
}

/** A link (or folder) where a file should go could lead outside the output folder: refuse it. */
function refuseLinks(path: string): void {
  try {
    const st = lstatSync(path);
    if (!st.isFile()) throw new Error(`${path} 已存在且不是普通文件（链接或文件夹），不覆盖`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
