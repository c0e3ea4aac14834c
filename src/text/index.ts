import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import type { Kind, Values } from '../core/kind.js';
import type { Block, Cell, TableBlock } from '../core/model.js';
import type { JsonSchema } from '../core/schema.js';
import { UserError } from '../core/errors.js';
import { templatesDir } from '../core/paths.js';
import { dottedToPointer } from '../core/pointer.js';
import { parseMarkup } from './markup.js';
import { Placeholders, RESERVED } from './placeholders.js';
import { templateError } from './errors.js';

/**
 * Document wording from an editable Handlebars template (templates/<name>.hbs): the template's
 * variables are the kind's schema fields, its line markup (markup.ts) decides the blocks, and the
 * values are printed literally. Knows no document kind: kinds call it from their layout.
 */
export interface TemplateOptions {
  /** A template file to use instead of templates/<name>.hbs. */
  file?: string;
}

export function templateBlocks(name: string, v: Values, kind: Kind, opts: TemplateOptions = {}): Block[] {
  // A kind given a user's wording (Kind.withWording, `--wording`) uses it for the template it declares.
  const file = opts.file ?? (kind.wordingFile && name === kind.def.wording ? kind.wordingFile : join(templatesDir, `${name}.hbs`));
  const source = basename(file);
  const { template, text } = compiled(file);
  // Absent values with a schema default print the default (e.g. a standard list of powers).
  const shown = kind.values(withDefaults(kind.schema.schema, v.raw('')), v.blank);
  const ph = new Placeholders(kind, shown);
  let rendered: string;
  try {
    rendered = template(ph.context(), { helpers });
  } catch (e) {
    throw templateError(e, text, source, kind.def.schemaFile);
  }
  return parseMarkup(rendered, {
    spans: (t) => ph.spans(t),
    text: (t) => ph.text(t),
    table: (spec) => listTable(spec, shown, kind, source),
    source,
  });
}

/** `{{inc @index}}` numbers items from 1. */
const helpers = { inc: (n: unknown) => Number(n) + 1 };

/**
 * Compiled templates by file and its modification time and size: a file staff have edited is
 * read and compiled again, an unchanged one is not.
 */
interface Compiled {
  template: Handlebars.TemplateDelegate;
  /** The template's text, for error messages that quote it. */
  text: string;
}
const cache = new Map<string, Compiled>();
function compiled(file: string): Compiled {
  let text: string;
  let key: string;
  try {
    const st = statSync(file);
    key = `${file}\u0000${st.mtimeMs}\u0000${st.size}`;
    const hit = cache.get(key);
    if (hit) return hit;
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new UserError(`无法读取模板 ${file}（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）`);
  }
  if (RESERVED.test(text)) throw new UserError(`模板 ${basename(file)} 含有私用区字符 U+E000/U+E001，请删除`);
  // strict: a misspelt field name is an error instead of silently printing nothing.
  const t = Handlebars.compile(text, { strict: true, noEscape: true });
  try {
    t({}, { helpers }); // compiles now, so syntax errors surface here with the file's name
  } catch (e) {
    if (!/not defined in/.test((e as Error).message)) throw templateError(e, text, basename(file));
  }
  const c = { template: t, text };
  cache.set(key, c);
  return c;
}

/**
 * `@table materials | # 1 | name 4 | copies 1 | requirement 4 | howToObtain 5`: one row per item
 * of the list, columns by field (`#` is the item number), relative widths, headers from the schema
 * unless given after the width.
 */
function listTable(spec: string, v: Values, kind: Kind, source: string): TableBlock {
  const [listPath, ...cols] = spec.split('|').map((s) => s.trim());
  const list = dottedToPointer(listPath);
  const bad = (why: string) => new UserError(`模板 ${source}：@table ${why}`);
  if (!listPath || kind.schema.at(list)?.type !== 'array') throw bad(`“${listPath}”不是列表字段`);
  if (!cols.length) throw bad('至少要有一列，如 | name 4');
  const columns = cols.map((c) => {
    const m = /^(\S+)\s+(\d+(?:\.\d+)?)(?:\s+(.+))?$/.exec(c);
    if (!m) throw bad(`列“${c}”应写作“字段 宽度 [表头]”`);
    const [, key, width, header] = m;
    const pointer = `${list}/0/${key.split('.').join('/')}`;
    const schema = key === '#' ? undefined : kind.schema.at(pointer);
    if (key !== '#' && !schema) throw bad(`列“${key}”不是 ${listPath} 的字段`);
    const numeric = key === '#' || schema?.type === 'integer' || schema?.type === 'number';
    return { key, width: Number(width), header: header ?? (key === '#' ? '序号' : kind.fieldTitle(pointer)), numeric };
  });
  const head: Cell[] = columns.map((c) => ({ role: 'label', spans: [{ text: c.header }], align: 'center' }));
  const rows = v.items(listPath.split('.').join('/')).map((item) =>
    columns.map((c): Cell => ({
      role: 'value',
      spans: [c.key === '#' ? { text: String(item.number) } : item.span(c.key.split('.').join('/'))],
      align: c.numeric ? 'center' : 'left',
    })),
  );
  return { type: 'table', widths: columns.map((c) => c.width), head: [head], body: [], each: { field: list, rows } };
}

/** A copy of the record with each absent property that has a schema `default` set to it. */
function withDefaults(schema: JsonSchema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((x) => withDefaults(schema.items!, x)) : value;
  if (!value || typeof value !== 'object' || !schema.properties) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (out[key] === undefined && sub.default !== undefined) out[key] = structuredClone(sub.default);
    else out[key] = withDefaults(sub, out[key]);
  }
  return out;
}
