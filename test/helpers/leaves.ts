/** A record's scalar fields as pointer → value (lists left out: they are compared whole). */
export function leaves(o: Record<string, unknown>, base = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(o ?? {})) {
    if (Array.isArray(v)) continue;
    if (v && typeof v === 'object') leaves(v as Record<string, unknown>, `${base}/${k}`, out);
    else out.set(`${base}/${k}`, v);
  }
  return out;
}
