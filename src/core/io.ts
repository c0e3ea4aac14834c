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
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UserError(`${path} 不是有效的 JSON：${(e as Error).message}`);
  }
}
