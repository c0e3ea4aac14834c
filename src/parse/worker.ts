/** Worker-thread entry for ingest: parse one file (one outcome per form in it), never throw. */
import { isFormFailure, parseFileForms, ParseFailure, type PageRange, type ParseResult } from './index.js';

export type Outcome = { ok: true; result: ParseResult & { pageRange?: PageRange } } | { ok: false; file: string; code: string; error: string; pageRange?: PageRange };

export async function parseOutcome(task: { file: string; kind?: string }): Promise<Outcome[]> {
  try {
    const forms = await parseFileForms(task.file, { kind: task.kind });
    return forms.map((f): Outcome => (isFormFailure(f) ? { ok: false, file: task.file, code: f.code, error: f.error, pageRange: f.pageRange } : { ok: true, result: f }));
  } catch (e) {
    if (e instanceof ParseFailure) return [{ ok: false, file: task.file, code: e.code, error: e.message }];
    return [{ ok: false, file: task.file, code: 'unreadable', error: `无法读取（${(e as Error)?.message ?? String(e)}）` }];
  }
}

export default parseOutcome;
