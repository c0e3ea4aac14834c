import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

/** Read a JSON data file; a missing or malformed file is a one-line user error (exit 2). */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `找不到文件 ${path}` : code === 'EISDIR' ? `${path} 是文件夹，不是 JSON 文件` : `无法读取 ${path}（${code}）`);
  }
  return parseJsonText(text, path);
}

/**
 * JSON.parse with a Chinese error for staff: where the syntax breaks (line and column) and what is
 * usually wrong there, instead of V8's English message. `what` names the source (a file, 第 3 行).
 */
export function parseJsonText(text: string, what: string): unknown {
  const clean = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(clean);
  } catch (e) {
    throw new UserError(`${what} 不是有效的 JSON：${jsonErrorPlace(clean, (e as Error).message)}`);
  }
}

/**
 * "第 2 行第 15 列附近有语法错误（…）" from V8's "… at position 27" (or "line 2 column 15"); for a
 * one-line text (a JSON Lines row) only the column.
 */
export function jsonErrorPlace(text: string, message: string): string {
  const hint = '多余或缺少的逗号、引号或括号';
  const place = (line: number, col: number) => `${text.includes('\n') ? `第 ${line} 行` : ''}第 ${col} 列附近有语法错误（常见原因：${hint}）`;
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return place(Number(lc[1]), Number(lc[2]));
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1])).split('\n');
    return place(before.length, before[before.length - 1].length + 1);
  }
  if (/Unexpected end/.test(message)) return `内容不完整，结尾缺少括号或引号`;
  return `语法错误（常见原因：${hint}）`;
}
