import { UserError } from '../core/errors.js';
import type { TagProblem } from './tags.js';

interface DxtError {
  name?: string;
  message?: string;
  properties?: {
    id?: string;
    xtag?: string;
    explanation?: string;
    errors?: DxtError[];
    openingtag?: string;
    closingtag?: string;
    file?: string;
    offset?: number;
  };
}

/** One docxtemplater error in Chinese, naming the tag. */
function describe(e: DxtError): string {
  const p = e.properties ?? {};
  const tag = p.xtag ?? '';
  switch (p.id) {
    case 'unopened_tag':
      return `“${tag}”后有多余的右花括号 }（或缺少左花括号 {）`;
    case 'unclosed_tag':
      return `标记“{${tag}”缺少右花括号 }`;
    case 'duplicate_open_tag':
      return `标记“${tag}”里多了一个左花括号 {`;
    case 'duplicate_close_tag':
      return `标记“${tag}”里多了一个右花括号 }`;
    case 'unclosed_loop':
      return `循环“{#${tag}}”没有结束标记 {/${tag}}`;
    case 'unopened_loop':
      return `结束标记“{/${tag}}”前面没有对应的 {#${tag}}`;
    case 'closing_tag_does_not_match_opening_tag':
      return `循环“{#${p.openingtag ?? tag}}”的结束标记写成了“{/${p.closingtag ?? ''}}”`;
    case 'unbalanced_loop_tags':
      return `循环标记不成对（${p.explanation ?? tag}）`;
    case 'raw_xml_tag_should_be_only_text_in_paragraph':
    case 'raw_tag_outerxml_invalid':
      return `原始 XML 标记“{@${tag}}”不受支持`;
    case 'scopeparser_compilation_failed':
    case 'scopeparser_execution_failed':
      return `标记“${tag}”无法解析`;
    default:
      return tag ? `标记“${tag}”有误：${p.explanation ?? e.message ?? ''}` : (p.explanation ?? e.message ?? '未知错误');
  }
}

/** docxtemplater's TemplateError (alone, or a multi error listing several) as one UserError. */
export function templateError(e: unknown, template: string): UserError | undefined {
  const err = e as DxtError;
  if (!err || typeof err !== 'object' || !err.properties) return undefined;
  const list = err.properties.errors?.length ? err.properties.errors : [err];
  const lines = [...new Set(list.map(describe))];
  return new UserError(`模板 ${template} 有 ${lines.length} 处错误：${lines.join('；')}`);
}

/** Tags the schema does not back, as one UserError. */
export function tagError(problems: TagProblem[], template: string, kindTitle: string): UserError {
  const lines = problems.map((p) => `${p.tag} ${p.reason}`);
  return new UserError(`模板 ${template} 中有${kindTitle}没有的标记：${lines.join('；')}（可用的标记见 docs/docx-templates.md）`);
}
