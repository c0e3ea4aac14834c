import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';

/** Text encodings a staff spreadsheet export arrives in. */
export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/**
 * UTF-16 by its byte-order mark (Excel's “Unicode text”); else UTF-8 when the whole file decodes as
 * UTF-8 (with or without BOM); else GB18030 (Excel's CSV on Chinese Windows). Reads the file once,
 * in chunks, without keeping it.
 */
export async function detectEncoding(path: string): Promise<TextEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (chunk[0] === 0xff && chunk[1] === 0xfe) return 'utf-16le';
        if (chunk[0] === 0xfe && chunk[1] === 0xff) return 'utf-16be';
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch (e) {
    if (e instanceof TypeError) return 'gb18030';
    throw e;
  }
}

/** The file as a stream of text in the given encoding; a leading BOM is removed. */
export function textStream(path: string, encoding: TextEncoding): Readable {
  const raw = createReadStream(path);
  const text = iconv.decodeStream(encoding, { stripBOM: true }) as unknown as Readable;
  raw.on('error', (e) => text.destroy(e));
  return raw.pipe(text as unknown as NodeJS.WritableStream) as unknown as Readable;
}
