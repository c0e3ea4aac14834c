import type { Kind } from './kind.js';
import { ValidationError, type Issue } from './errors.js';
import { schemaIssues } from './validate.js';

export interface ValidationResult {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
}

/** Schema rules first; cross-field rules only once the shape is right. */
export function validateRecord(kind: Kind, record: unknown): ValidationResult {
  const errors = schemaIssues(kind.schema, record);
  const warnings: Issue[] = [];
  if (!errors.length && kind.def.rules) {
    const r = kind.def.rules(record, kind.schema);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }
  return { valid: errors.length === 0, errors, warnings };
}

/** Throws a ValidationError listing every problem. */
export function assertValid(kind: Kind, record: unknown): ValidationResult {
  const r = validateRecord(kind, record);
  if (!r.valid) throw new ValidationError(r.errors, kind.name);
  return r;
}
