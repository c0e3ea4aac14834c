import { UserError } from '../core/errors.js';

/**
 * Handlebars' errors in a template, as one Chinese line naming the template, the line and the
 * problem: an unknown field (strict mode), a block closed with the wrong name or never closed, a
 * broken {{…}}. Anything else keeps Handlebars' own first line.
 */
export function templateError(e: unknown, text: string, source: string, schemaFile?: string): UserError {
  const err = e as Error & { lineNumber?: number; column?: number };
  const message = String(err?.message ?? e);
  const lines = text.split(/\r?\n/);
  const at = (line: number | undefined) => (line ? `第 ${line} 行` : '');
  const where = (line: number | undefined) => `模板 ${source} ${at(line)}`.trimEnd();

  // Strict mode: "nam" not defined in [object Object] - 2:4 (the column is where the path starts).
  const undef = /^"([^"]*)" not defined in .*? - (\d+):(\d+)$/.exec(message);
  if (undef) {
    const line = Number(undef[2]);
    const path = /^[^\s}()]+/.exec(lines[line - 1]?.slice(Number(undef[3])) ?? '')?.[0] ?? undef[1];
    const fields = schemaFile ? `（可用的字段见 schemas/${schemaFile}）` : '';
    return new UserError(`${where(line)}：{{${path}}} 中的“${undef[1]}”不是本文书的字段${fields}`);
  }
  // {{#if x}}…{{/each}}
  const mismatch = /^(\S+) doesn't match (\S+) - (\d+):(\d+)$/.exec(message);
  if (mismatch) return new UserError(`${where(Number(mismatch[3]))}：块 {{#${mismatch[1]}}} 的结束标记写成了 {{/${mismatch[2]}}}`);

  const parse = /^Parse error on line (\d+):\n(.*)\n(-*)\^\n(.*)$/s.exec(message);
  if (parse) {
    const line = Number(parse[1]);
    // Handlebars quotes the text around the mistake and points at it: show the tag it is in.
    // The quote may start inside the tag: find its end in the template's own line.
    const quoted = parse[2].slice(0, parse[3].length + 1).replace(/^\.\.\./, '');
    const own = lines[line - 1] ?? '';
    let tail = quoted;
    while (tail.length > 4 && !own.includes(tail)) tail = tail.slice(1);
    const end = tail && own.includes(tail) ? own.indexOf(tail) : -1;
    const [lineText, caret] = end >= 0 ? [own, end + tail.length - 1] : [quoted, quoted.length - 1];
    const open = lineText.lastIndexOf('{{', caret);
    const near = (open >= 0 && caret - open < 40 ? lineText.slice(open, caret + 1) : lineText.slice(Math.max(0, caret - 15), caret + 1)).trim();
    if (/got 'EOF'/.test(parse[4]) && /OPEN_ENDBLOCK|INVERSE/.test(parse[4])) {
      const open = unclosedBlock(text);
      if (open) return new UserError(`${where(open.line)}的 {{#${open.name} …}} 没有结束标记 {{/${open.name}}}`);
      return new UserError(`模板 ${source} 有块没有结束：{{#if …}}、{{#each …}} 要用 {{/if}}、{{/each}} 结束`);
    }
    return new UserError(`${where(line)}语法错误：“${near}”处的 {{…}} 标记不完整或写法不对`);
  }
  const lexical = /^Lexical error on line (\d+)/.exec(message);
  if (lexical) return new UserError(`${where(Number(lexical[1]))}语法错误：{{…}} 标记写法不对`);
  return new UserError(`模板 ${source} 有错误：${message.split('\n')[0]}`);
}

/** The innermost block a template opens and never closes, with its line. */
function unclosedBlock(text: string): { name: string; line: number } | undefined {
  // Comments out, line breaks kept, so positions still give line numbers.
  const plain = text.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (c) => c.replace(/[^\n]/g, ' '));
  const stack: { name: string; line: number }[] = [];
  for (const m of plain.matchAll(/\{\{~?\s*([#^/])\s*([^\s}~]+)/g)) {
    const line = plain.slice(0, m.index).split('\n').length;
    if (m[1] !== '/') stack.push({ name: m[2], line });
    else if (stack.at(-1)?.name === m[2]) stack.pop();
  }
  return stack.at(-1);
}
