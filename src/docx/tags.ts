import type { DXT } from 'docxtemplater';
import type { Kind } from '../core/kind.js';
import { toPointer } from '../core/pointer.js';
import { NUMBER_TAG } from './tagValues.js';
import { LAST_TAG } from './loops.js';

/**
 * The tag language of bangban's DOCX templates (see docs/docx-templates.md):
 *   {applicant.name}        a field, by its dotted path (relative to the enclosing loop item)
 *   {#entries}…{/entries}   a loop over a list field (or a section shown when a field has a value)
 *   {^guidanceItem}…{/}     shown when a field is empty
 *   {.}                     the current item of a list of plain values
 *   {services=事前辅导}     a checkbox: ☑ when the list (or value) holds the option, else ☐
 *   {$number}               the current item's number (1, 2, …) inside a loop
 *   {^$last}…{/$last}       inside a loop: shown after every item but the last (separators)
 */

export const CHECKED = '☑';
export const UNCHECKED = '☐';
/** Has ☐ and ☑ and ships with every Windows office; other systems substitute a symbol font. */
export const CHECKBOX_FONT = 'Segoe UI Symbol';

export function checkboxTag(field: string, option: string): string {
  return `${field}=${option}`;
}

function parseCheckbox(tag: string): { path: string; option: string } | undefined {
  const i = tag.indexOf('=');
  return i > 0 ? { path: tag.slice(0, i).trim(), option: tag.slice(i + 1).trim() } : undefined;
}

const dotted = (path: string): string[] => path.split('.').map((s) => s.trim());

function walk(scope: unknown, path: string[]): unknown {
  let cur = scope;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** docxtemplater's parser: resolves our tags against the display view of a record. */
export function tagParser(tag: string): DXT.Parser {
  const t = tag.trim();
  if (t === '.') return { get: (scope) => scope };
  if (t === NUMBER_TAG) {
    return {
      get: (_scope, ctx) => {
        const items = ctx.scopePathItem;
        return items.length ? items[items.length - 1] + 1 : undefined;
      },
    };
  }
  if (t === LAST_TAG) {
    return {
      get: (_scope, ctx) => {
        const n = ctx.scopePathItem.length;
        return n ? ctx.scopePathItem[n - 1] === ctx.scopePathLength[n - 1] - 1 : undefined;
      },
    };
  }
  const cb = parseCheckbox(t);
  if (cb) {
    const path = dotted(cb.path);
    return {
      get: (scope) => {
        const v = walk(scope, path);
        if (v === undefined || v === null) return undefined;
        return (Array.isArray(v) ? v.includes(cb.option) : String(v) === cb.option) ? CHECKED : UNCHECKED;
      },
    };
  }
  const path = dotted(t);
  return { get: (scope) => walk(scope, path) };
}

/** Empty fields print nothing, and an unanswered checkbox an empty box. */
export function nullGetter(part: DXT.Part): string {
  return !part.module && part.value && parseCheckbox(part.value.trim()) ? UNCHECKED : '';
}

/** A tag in a template that the kind's schema does not back. */
export interface TagProblem {
  tag: string;
  reason: string;
}

interface Scope {
  pointer: string;
  /** Inside a list item. */
  item: boolean;
}

/** Check every tag of a compiled template against the kind's schema, loops opening scopes. */
export function checkTags(kind: Kind, parts: DXT.Part[], scopes: Scope[] = [{ pointer: '', item: false }]): TagProblem[] {
  const problems: TagProblem[] = [];
  const resolve = (path: string): string | undefined => {
    const rel = toPointer(dotted(path));
    for (let i = scopes.length - 1; i >= 0; i--) {
      const p = scopes[i].pointer + rel;
      if (kind.schema.at(p)) return p;
    }
    return undefined;
  };
  const inner = scopes[scopes.length - 1];
  for (const part of parts) {
    const raw = part.value.trim();
    const shown = part.module === 'loop' ? `{${part.inverted ? '^' : '#'}${raw}}` : `{${part.module === 'rawxml' ? '@' : ''}${raw}}`;
    if (part.module === 'rawxml') {
      problems.push({ tag: shown, reason: '模板不支持原始 XML 标记（{@…}），请去掉 @' });
      continue;
    }
    if (part.module === 'loop' && raw === LAST_TAG) {
      if (!scopes.some((s) => s.item)) problems.push({ tag: shown, reason: `{${part.inverted ? '^' : '#'}${LAST_TAG}} 只能用在循环里` });
      problems.push(...checkTags(kind, (part.subparsed ?? []) as DXT.Part[], scopes));
      continue;
    }
    if (part.module === 'loop') {
      const pointer = resolve(raw);
      if (!pointer) {
        problems.push({ tag: shown, reason: '不是本文书的字段' });
        continue;
      }
      const s = kind.schema.at(pointer)!;
      const scope = s.type === 'array' ? { pointer: `${pointer}/0`, item: true } : { pointer, item: inner.item };
      problems.push(...checkTags(kind, (part.subparsed ?? []) as DXT.Part[], [...scopes, scope]));
      continue;
    }
    if (part.type !== 'placeholder') continue;
    if (raw === '.') {
      const s = kind.schema.at(inner.pointer);
      if (!inner.item || !s || s.type === 'object') problems.push({ tag: shown, reason: '{.} 只能用在由简单值组成的列表的循环里' });
      continue;
    }
    if (raw === NUMBER_TAG) {
      if (!scopes.some((s) => s.item)) problems.push({ tag: shown, reason: `{${NUMBER_TAG}} 只能用在循环里` });
      continue;
    }
    const cb = parseCheckbox(raw);
    if (cb) {
      const pointer = resolve(cb.path);
      if (!pointer) {
        problems.push({ tag: shown, reason: `“${cb.path}”不是本文书的字段` });
        continue;
      }
      const s = kind.schema.at(pointer)!;
      const options = s.enum ?? s.items?.enum;
      if (options && !options.includes(cb.option)) problems.push({ tag: shown, reason: `字段“${cb.path}”没有选项“${cb.option}”（可选：${options.join('、')}）` });
      continue;
    }
    const pointer = resolve(raw);
    if (!pointer) problems.push({ tag: shown, reason: '不是本文书的字段' });
    else if (kind.schema.at(pointer)!.type === 'object') problems.push({ tag: shown, reason: '是一组字段，不能直接打印；请写出其中的字段' });
    else if (kind.schema.at(pointer)!.type === 'array') problems.push({ tag: shown, reason: `是列表，请用循环 {#${raw}}…{/${raw}} 打印` });
  }
  return problems;
}
