import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { KindSchema } from './schema.js';
import type { Issue } from './errors.js';
import { FORMATS } from './formats.js';
import { getAt, toPointer, parsePointer } from './pointer.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
ajv.addKeyword({ keyword: 'x-display', schemaType: 'string' });
ajv.addKeyword({ keyword: 'x-labels', schemaType: 'array' });
for (const [name, f] of Object.entries(FORMATS)) ajv.addFormat(name, { type: 'string', validate: (s: string) => f.check(s) === null });

const compiled = new WeakMap<object, ValidateFunction>();

const typeNames: Record<string, string> = { string: '文本', array: '列表', object: '对象', number: '数字', integer: '整数', boolean: '是或否' };

/** Validate a record against its schema; every problem comes back as a Chinese issue. */
export function schemaIssues(schema: KindSchema, record: unknown): Issue[] {
  let validate = compiled.get(schema.schema);
  if (!validate) {
    validate = ajv.compile(schema.schema);
    compiled.set(schema.schema, validate);
  }
  const issues: Issue[] = [];
  if (!validate(record)) for (const e of validate.errors ?? []) issues.push(toIssue(schema, record, e));
  issues.push(...textIssues(schema, record));
  return dedupe(issues);
}

function toIssue(schema: KindSchema, record: unknown, e: ErrorObject): Issue {
  let path = e.instancePath;
  let message: string;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      path = toPointer([...parsePointer(path), String(p.missingProperty)]);
      message = '必填，不能缺少';
      break;
    case 'additionalProperties':
      path = toPointer([...parsePointer(path), String(p.additionalProperty)]);
      return { path, label: String(p.additionalProperty), message: '不认识的字段，请检查拼写' };
    case 'format': {
      const value = getAt(record, path);
      message = FORMATS[String(p.format)]?.check(String(value)) ?? '格式不正确';
      break;
    }
    case 'minLength':
      message = p.limit === 1 ? '不能为空' : `至少应有 ${p.limit} 个字`;
      break;
    case 'maxLength':
      message = `不能超过 ${p.limit} 个字`;
      break;
    case 'minItems':
      message = `至少应有 ${p.limit} 项`;
      break;
    case 'maxItems':
      message = `最多 ${p.limit} 项`;
      break;
    case 'uniqueItems':
      message = `第 ${Number(p.j) + 1} 项与第 ${Number(p.i) + 1} 项重复`;
      break;
    case 'enum':
      message = `应为以下之一：${(p.allowedValues as string[]).join('、')}`;
      break;
    case 'type':
      message = `应为${typeNames[String(p.type)] ?? String(p.type)}`;
      break;
    case 'pattern':
      message = '格式不正确';
      break;
    default:
      message = e.message ?? '不符合要求';
  }
  return { path, label: schema.label(path), message };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * What a schema cannot say about text: a value of only spaces passes minLength but is as empty as
 * no value; control characters (NUL, BEL, ESC …; tabs and line breaks are text) are invisible and
 * do not survive PDF, Word or a file name; "." and ".." name no one and are no file name.
 */
export function textProblem(value: string): string | undefined {
  const bad = CONTROL.exec(value);
  if (bad) return `含有不可见的控制字符 U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}（第 ${bad.index + 1} 个字符），请删除`;
  if (value.length > 0 && value.trim() === '') return '不能为空';
  if (/^\s*\.{1,2}\s*$/.test(value)) return `不能只是“${value.trim()}”`;
  return undefined;
}

/**
 * The longest list a record may hold where its schema sets no maxItems: a notice of 20,000
 * materials took 1.94 GB and minutes to render; 500 is some 65 printed pages. docs/batch.md.
 */
export const MAX_LIST_ITEMS = 500;

function textIssues(schema: KindSchema, value: unknown, parts: (string | number)[] = []): Issue[] {
  if (typeof value === 'string') {
    const path = toPointer(parts);
    const problem = textProblem(value);
    return problem ? [{ path, label: schema.label(path), message: problem }] : [];
  }
  if (Array.isArray(value)) {
    const path = toPointer(parts);
    if (value.length > MAX_LIST_ITEMS && schema.at(path)?.maxItems === undefined) {
      return [{ path, label: schema.label(path), message: `最多 ${MAX_LIST_ITEMS} 项，现有 ${value.length} 项（更长的列表请分成几份文书）` }];
    }
    return value.flatMap((v, i) => textIssues(schema, v, [...parts, i]));
  }
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => textIssues(schema, v, [...parts, k]));
  return [];
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
