import type { Block, Span } from '../core/model.js';
import { UserError } from '../core/errors.js';

/**
 * The line markup of document templates. After Handlebars has run, each line decides its block:
 *
 *   # text            title (consecutive lines make one title of several lines)
 *   ## text           a centred heading in the heading font (e.g. 回执)
 *   @docNumber text   发文字号
 *   @left text        a line of its own, flush left (addressee, signature lines)
 *   @gap              an empty line
 *   - text            a list item (consecutive items make one list)
 *   @table list | col width [header] | …   a ruled table with one row per item of `list`
 *   @signature        the following lines (issuer, date) as the signature block
 *   @cut text         a cut line with its caption; what follows stays on one page
 *   text              body text: consecutive lines join into one indented paragraph
 *   (blank line)      ends a paragraph, list or signature
 *   \text             literal text, for a paragraph that starts with # - @ or \
 */
export interface MarkupHooks {
  /** The spans of a line's text (values substituted). */
  spans(text: string): Span[];
  /** Plain text of a line. */
  text(text: string): string;
  /** A table from the part of an `@table` line after the directive. */
  table(spec: string): Block;
  /** Where the template came from, for error messages. */
  source: string;
}

export function parseMarkup(rendered: string, h: MarkupHooks): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] | undefined;
  let list: Span[][] | undefined;
  let signature: Span[][] | undefined;
  let title: string[] | undefined;

  const close = () => {
    if (paragraph) blocks.push({ type: 'paragraph', spans: h.spans(paragraph.join('')), indent: true });
    if (list) blocks.push({ type: 'list', items: list });
    if (signature?.length) blocks.push({ type: 'signature', lines: signature });
    if (title) blocks.push({ type: 'title', spans: h.spans(title.join('\n')) });
    paragraph = list = signature = title = undefined;
  };

  for (const raw of rendered.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) {
      close();
      continue;
    }
    if (signature && !line.startsWith('@')) {
      signature.push(h.spans(line));
      continue;
    }
    const directive = /^@([A-Za-z]+)(?:\s+(.*))?$/.exec(line);
    if (directive) {
      const [, name, rest = ''] = directive;
      close();
      switch (name) {
        case 'docNumber':
          blocks.push({ type: 'docNumber', spans: h.spans(rest) });
          break;
        case 'left':
          blocks.push({ type: 'paragraph', spans: h.spans(rest), align: 'left' });
          break;
        case 'gap':
          blocks.push({ type: 'paragraph', spans: [{ text: ' ' }], align: 'left' });
          break;
        case 'table':
          blocks.push(h.table(rest));
          break;
        case 'signature':
          signature = [];
          break;
        case 'cut':
          blocks.push({ type: 'cutLine', text: h.text(rest) });
          break;
        default:
          throw new UserError(`模板 ${h.source}：不认识的指令“@${name}”（可用 @docNumber、@left、@gap、@table、@signature、@cut）`);
      }
      continue;
    }
    const heading = /^(#{1,2})\s+(.*)$/.exec(line);
    if (heading) {
      if (heading[1] === '#') {
        if (!title) close();
        (title ??= []).push(heading[2]);
      } else {
        close();
        blocks.push({ type: 'paragraph', spans: h.spans(heading[2]), role: 'heading', align: 'center' });
      }
      continue;
    }
    if (/^-\s/.test(line)) {
      if (!list) close();
      (list ??= []).push(h.spans(line.slice(1).trim()));
      continue;
    }
    if (!paragraph) close();
    (paragraph ??= []).push(line.replace(/^\\/, ''));
  }
  close();
  return blocks;
}
