/** Worker-thread entry for ingest: parse one file, never throw. */
import { parseFile, ParseFailure, type ParseResult } from './index.js';

export type Outcome = { ok: true; result: ParseResult } | { ok: false; file: string; code: string; error: string };

export async function parseOutcome(task: { file: string; kind?: string }): Promise<Outcome> {
  try {
    return { ok: true, result: await parseFile(task.file, { kind: task.kind }) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, file: task.file, code: e.code, error: e.message };
    return { ok: false, file: task.file, code: 'unreadable', error: `无法读取（${(e as Error)?.message ?? String(e)}）` };
  }
}

export default parseOutcome;
