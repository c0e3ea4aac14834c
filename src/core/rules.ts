import type { Issue } from './errors.js';
import type { KindSchema } from './schema.js';

/** A cross-field problem at a field, labelled from the schema like schema errors are. */
export function issueAt(schema: KindSchema, pointer: string, message: string): Issue {
  return { path: pointer, label: schema.label(pointer), message };
}

/** Names compared as people write them: spaces (also full-width ones) do not count. */
export function sameName(a: unknown, b: unknown): boolean {
  const norm = (s: unknown) => String(s ?? '').replace(/[\s\u3000]+/g, '');
  return norm(a) === norm(b);
}
