import { StringDecoder } from 'node:string_decoder';
import type ExcelJSModule from 'exceljs';

/**
 * exceljs, loaded when a spreadsheet is first read or written: it is a third of the CLI's start-up
 * time (~0.3 s), which every other command (render, validate, demo …) would otherwise pay.
 */
export async function excel(): Promise<typeof ExcelJSModule> {
  const ExcelJS = (await import('exceljs')).default;
  decodeWholeCharacters(ExcelJS);
  return ExcelJS;
}

type Chunk = Buffer | string;
interface ReaderProto {
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
  _parseWorksheet(iterator: AsyncIterable<Chunk>, sheetNo: unknown): unknown;
}
const PATCHED = Symbol('bangban.utf8');

/**
 * exceljs's streaming reader decodes every chunk of a sheet's XML on its own, so a Chinese character
 * whose three UTF-8 bytes straddle two chunks comes out as "��" (exceljs issues #2063, #2084,
 * #2316): about one row in 400 of a large sheet of company names. The shared strings and the sheets
 * are decoded here instead, carrying a split character over to the next chunk (exceljs passes text
 * through as it is).
 */
function decodeWholeCharacters(ExcelJS: typeof ExcelJSModule): void {
  const proto = (ExcelJS.stream.xlsx.WorkbookReader as unknown as { prototype: ReaderProto & { [PATCHED]?: true } }).prototype;
  if (proto[PATCHED]) return;
  const sharedStrings = proto._parseSharedStrings;
  proto._parseSharedStrings = function (entry) {
    entry.setEncoding('utf8');
    return sharedStrings.call(this, entry);
  };
  const worksheet = proto._parseWorksheet;
  proto._parseWorksheet = function (iterator, sheetNo) {
    return worksheet.call(this, decoded(iterator), sheetNo);
  };
  proto[PATCHED] = true;
}

async function* decoded(chunks: AsyncIterable<Chunk>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const c of chunks) {
    const text = typeof c === 'string' ? c : decoder.write(c);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
