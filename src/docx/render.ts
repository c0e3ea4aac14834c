import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import PizZip from 'pizzip';
import Docxtemplater from 'docxtemplater';
import type { DXT } from 'docxtemplater';
import type { Kind } from '../core/kind.js';
import { assertValid } from '../core/records.js';
import { UserError } from '../core/errors.js';
import type { FontConfig } from '../pdf/fonts.js';
import { buildTemplate, templatePath } from './template.js';
import { checkTags, nullGetter, tagParser } from './tags.js';
import { displayView } from './view.js';
import { applyFontNames } from './styles.js';
import { tagError, templateError } from './errors.js';
import { FIXED_DATE } from '../core/dates.js';
import { fitToOnePage } from './fit.js';
import { underlineBlanks, underlineTrailingSpaces } from './blank.js';
import { pageGeometry } from '../pdf/page.js';

/** A form that would run onto a second page gets smaller table text, as the PDF does. */
function fitForm(zip: PizZip): void {
  const document = zip.file('word/document.xml');
  const styles = zip.file('word/styles.xml');
  if (!document || !styles) return;
  const fitted = fitToOnePage(document.asText(), styles.asText(), pageGeometry('form'));
  if (!fitted) return;
  zip.file('word/document.xml', fitted.document);
  zip.file('word/styles.xml', fitted.styles);
}

/** A blank form's fill-in lines become underlined runs (docx/blank.ts). */
function printBlanks(zip: PizZip): void {
  const document = zip.file('word/document.xml')!.asText();
  const marked = underlineBlanks(document);
  if (marked === document) return;
  zip.file('word/document.xml', marked);
  const settings = zip.file('word/settings.xml');
  if (settings) zip.file('word/settings.xml', underlineTrailingSpaces(settings.asText()));
}

export interface DocxOptions {
  fonts?: FontConfig;
  /** A user's own template; by default templates/docx/<kind>.docx. */
  template?: string;
  /** The caller has already validated this record (renderDocument, batch workers): skip it here. */
  validated?: boolean;
}

interface Template {
  bytes: Uint8Array;
  /** How messages name it. */
  name: string;
  /** Set once its tags have passed the schema check. */
  checked?: boolean;
}

/** A docxtemplater module that keeps each templated file's parsed tags (loops hold their contents). */
class TagCollector implements DXT.Module {
  readonly name = 'BangbanTagCollector';
  private file = '';
  private readonly parts = new Map<string, DXT.Part[]>();
  set(obj: { inspect?: { filePath?: string; postparsed?: DXT.Part[] } }): void {
    if (obj.inspect?.filePath) this.file = obj.inspect.filePath;
    if (obj.inspect?.postparsed) this.parts.set(this.file, obj.inspect.postparsed);
  }
  tags(): DXT.Part[] {
    return [...this.parts.values()].flat().filter((p) => p.type === 'placeholder');
  }
}

/** Templates read once per process (per file version). */
const cache = new Map<string, Template>();

function loadTemplate(kind: Kind, file?: string): Template {
  if (file) {
    if (!existsSync(file)) throw new UserError(`找不到模板文件 ${file}`);
    const st = statSync(file);
    const key = `${kind.name}|${file}|${st.mtimeMs}|${st.size}`;
    let t = cache.get(key);
    if (!t) cache.set(key, (t = { bytes: readFileSync(file), name: basename(file) }));
    return t;
  }
  if (kind.wordingFile) {
    // Wording from a user's .hbs: the Word template is built from it, once per file version.
    const st = existsSync(kind.wordingFile) ? statSync(kind.wordingFile) : undefined;
    const key = `${kind.name}|wording|${kind.wordingFile}|${st?.mtimeMs}|${st?.size}`;
    let t = cache.get(key);
    if (!t) cache.set(key, (t = { bytes: buildTemplate(kind), name: basename(kind.wordingFile) }));
    return t;
  }
  const path = templatePath(kind);
  const key = `${kind.name}|`;
  let t = cache.get(key);
  if (!t) {
    // A kind registered after the templates were last built still renders: build its template now.
    t = existsSync(path) ? { bytes: readFileSync(path), name: `templates/docx/${kind.name}.docx` } : { bytes: buildTemplate(kind), name: `（内置）${kind.name}.docx` };
    cache.set(key, t);
  }
  return t;
}

function openZip(t: Template): PizZip {
  try {
    return new PizZip(t.bytes);
  } catch {
    throw new UserError(`模板 ${t.name} 不是有效的 .docx 文件`);
  }
}

/** Validate a record (unless blank), then fill the kind's DOCX template with its printed values. */
export async function renderDocx(kind: Kind, record: unknown | null, opts: DocxOptions = {}): Promise<Uint8Array> {
  if (record === null && !kind.def.blankForm) throw new UserError(`${kind.title}没有空白表，请提供数据文件`);
  if (record !== null && !opts.validated) assertValid(kind, record);
  if (opts.template && kind.wordingFile) throw new UserError('--template 与 --wording 不能同时用：Word 模板里的文字就是文书的文字');
  const t = loadTemplate(kind, opts.template);
  const zip = openZip(t);
  if (!zip.file('word/document.xml')) throw new UserError(`模板 ${t.name} 不是 Word 文档（缺少 word/document.xml）`);
  const styles = zip.file('word/styles.xml');
  if (styles && opts.fonts) {
    const text = styles.asText();
    const renamed = applyFontNames(text, opts.fonts);
    if (renamed !== text) zip.file('word/styles.xml', renamed);
  }
  const inspect = t.checked ? undefined : new TagCollector();
  let doc: Docxtemplater;
  try {
    doc = new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false,
      stripInvalidXMLChars: true,
      parser: tagParser,
      nullGetter,
      modules: inspect ? [inspect] : [],
    });
  } catch (e) {
    throw templateError(e, t.name) ?? e;
  }
  if (inspect) {
    const problems = checkTags(kind, inspect.tags());
    if (problems.length) throw tagError(problems, t.name, kind.title);
    t.checked = true;
  }
  try {
    doc.render(displayView(kind, record ?? {}, record === null));
  } catch (e) {
    throw templateError(e, t.name) ?? e;
  }
  const out = doc.getZip() as PizZip;
  if (record === null) printBlanks(out);
  if (kind.def.page === 'form') fitForm(out);
  for (const f of Object.values(out.files)) f.date = FIXED_DATE;
  return out.generate({ type: 'uint8array', compression: 'DEFLATE' });
}
