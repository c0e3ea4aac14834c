import type { Kind } from '../core/kind.js';
import type { DocModel } from '../core/model.js';
import { assertValid } from '../core/records.js';
import { UserError } from '../core/errors.js';
import { modelToPdf, type PdfOptions } from './render.js';

/** The document model of a record, or of a blank form when `record` is null. */
export function documentModel(kind: Kind, record: unknown | null): DocModel {
  if (record === null && !kind.def.blankForm) throw new UserError(`${kind.title}没有空白表，请提供数据文件`);
  return { page: kind.def.page, blocks: kind.def.layout(kind.values(record, record === null), kind) };
}

/** Validate, then render a PDF. A blank form needs no record. */
export async function renderPdf(kind: Kind, record: unknown | null, opts: PdfOptions = {}): Promise<Uint8Array> {
  if (record !== null && !opts.validated) assertValid(kind, record);
  return modelToPdf(kind, documentModel(kind, record), opts);
}
