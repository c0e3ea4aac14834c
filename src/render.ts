import { extname } from 'node:path';
import type { Kind } from './core/kind.js';
import { UserError } from './core/errors.js';
import { renderPdf } from './pdf/index.js';
import { renderDocx } from './docx/index.js';
import { fillablePdf } from './fillable/index.js';
import { loadFontConfig, type FontConfig } from './pdf/fonts.js';
import { assertValid } from './core/records.js';

/** Options every output format understands; a format ignores what it does not use. */
export interface RenderOptions {
  fonts?: FontConfig;
  /** A user's own template file (DOCX). */
  template?: string;
  /**
   * A user's own wording template (Handlebars .hbs) for kinds whose wording comes from one
   * (授权委托书, 补正告知书); used by every format (see docs/document-templates.md).
   */
  wording?: string;
  /** Fillable PDF form (AcroForm) instead of a printed one. */
  fillable?: boolean;
  /** The caller has already validated this record (renderDocument, batch workers): skip it here. */
  validated?: boolean;
}

/** An output format: turns a record (or null for a blank form) into file bytes. */
export type OutputFormat = (kind: Kind, record: unknown | null, opts: RenderOptions) => Promise<Uint8Array>;

/** Output formats by name; the file extension picks one unless --format does. */
export const formats: Record<string, OutputFormat> = {
  pdf: (kind, record, opts) => (opts.fillable ? fillablePdf : renderPdf)(kind, record, { fonts: opts.fonts, validated: opts.validated }),
  docx: (kind, record, opts) => renderDocx(kind, record, { fonts: opts.fonts, template: opts.template, validated: opts.validated }),
};

export function formatFor(file: string, explicit?: string): string {
  const name = (explicit ?? extname(file).slice(1)).toLowerCase();
  if (!formats[name]) throw new UserError(`不支持的输出格式“${name || file}”，可用：${Object.keys(formats).join('、')}（按文件扩展名或 --format 指定）`);
  return name;
}

/** Validate (once, whatever the format) and render a record in a format. */
export async function renderDocument(kind: Kind, record: unknown | null, format: string, opts: RenderOptions = {}): Promise<Uint8Array> {
  const f = formats[format];
  if (!f) throw new UserError(`不支持的输出格式“${format}”`);
  if (opts.wording) {
    if (!/\.hbs$/i.test(opts.wording)) throw new UserError(`文字模板应为 Handlebars 文件（.hbs）：${opts.wording}${/\.docx$/i.test(opts.wording) ? '；Word 模板请用 --template' : ''}`);
    kind = kind.withWording(opts.wording);
  }
  if (opts.template && /\.hbs$/i.test(opts.template)) throw new UserError(`--template 用于 Word 模板（.docx）；文字模板 ${opts.template} 请用 --wording`);
  if (opts.fillable && format !== 'pdf') throw new UserError(`可填写表单只有 PDF 格式（--fillable 不能用于 ${format}）`);
  if (record === null && !kind.def.blankForm) throw new UserError(`${kind.title}没有空白表，请提供数据文件`);
  if (record !== null && !opts.validated) assertValid(kind, record);
  return f(kind, record, { ...opts, fonts: opts.fonts ?? loadFontConfig(), validated: true });
}
