import type { KindSchema } from './schema.js';
import { UserError } from './errors.js';
import { dottedToPointer, setAt } from './pointer.js';

/**
 * `path=value` from the command line (`--set trustee.idNumber=…`): the dotted path must name a
 * field of the schema; numbers become numbers, a list takes items separated by ；or ;.
 */
export function assignField(record: Record<string, unknown>, schema: KindSchema, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UserError(`--set ${assignment}：应写作 字段=值，如 trustee.idNumber=411302199001011236`);
  const path = assignment.slice(0, eq).trim();
  const text = assignment.slice(eq + 1).trim();
  const pointer = dottedToPointer(path);
  const field = schema.at(pointer);
  if (!field) throw new UserError(`--set：没有字段“${path}”`);
  let value: unknown = text;
  if (field.type === 'integer' || field.type === 'number') {
    value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new UserError(`--set ${path}：“${text}”不是数字`);
  } else if (field.type === 'array' && field.items?.type === 'string') {
    value = text.split(/[;；]/).map((s) => s.trim()).filter(Boolean);
  } else if (field.type === 'object' || field.type === 'array') {
    throw new UserError(`--set：“${path}”包含多个字段，请逐个设置，如 ${path}.${Object.keys(field.properties ?? {})[0] ?? '0'}=…`);
  }
  setAt(record, pointer, value);
}
