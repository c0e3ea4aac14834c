/** A mistake the user can fix: printed as one Chinese line, never with a stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** One problem with a record: `label (pointer): reason`. */
export interface Issue {
  path: string;
  label: string;
  message: string;
}

export function formatIssue(i: Issue): string {
  return i.path ? `${i.label} (${i.path}): ${i.message}` : `${i.label}: ${i.message}`;
}

/** Raised when a record is invalid; carries every problem found. */
export class ValidationError extends UserError {
  constructor(readonly issues: Issue[], readonly kind: string) {
    super(issues.map(formatIssue).join('\n'), 1);
    this.name = 'ValidationError';
  }
}
