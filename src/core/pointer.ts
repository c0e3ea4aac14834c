/** JSON pointers (RFC 6901) and the dotted paths used as form-field and template names. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(parts: (string | number)[]): string {
  return parts.length ? '/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : '';
}

export function joinPointer(base: string, rel: string): string {
  if (rel.startsWith('/')) return base + rel;
  return toPointer([...parsePointer(base), ...parsePointer('/' + rel)]);
}

export function getAt(obj: unknown, pointer: string): unknown {
  let cur: unknown = obj;
  for (const key of parsePointer(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function setAt(obj: Record<string, unknown>, pointer: string, value: unknown): void {
  const parts = parsePointer(pointer);
  let cur: Record<string, unknown> = obj;
  parts.forEach((key, i) => {
    if (i === parts.length - 1) {
      cur[key] = value;
    } else {
      if (cur[key] === undefined || typeof cur[key] !== 'object') cur[key] = /^\d+$/.test(parts[i + 1]) ? [] : {};
      cur = cur[key] as Record<string, unknown>;
    }
  });
}

/** `/applicant/name` ⇄ `applicant.name` */
export function pointerToDotted(pointer: string): string {
  return parsePointer(pointer).join('.');
}
export function dottedToPointer(dotted: string): string {
  return toPointer(dotted.split('.'));
}
