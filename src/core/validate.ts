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
  issues.push(...blankStrings(schema, record));
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

/** A value of only spaces passes minLength but is as empty as no value. */
function blankStrings(schema: KindSchema, value: unknown, parts: (string | number)[] = []): Issue[] {
  if (typeof value === 'string') {
    const path = toPointer(parts);
    return value.length > 0 && value.trim() === '' ? [{ path, label: schema.label(path), message: '不能为空' }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => blankStrings(schema, v, [...parts, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => blankStrings(schema, v, [...parts, k]));
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
