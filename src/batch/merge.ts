import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { writeFileAtomicSync } from '../core/atomic.js';
import { FIXED_DATE } from '../core/dates.js';

/** Same fixed dates as the renderer, so the same batch merges to the same bytes. */

/**
 * One print-ready PDF of the given files, in order. With `duplex`, a document with an odd number of
 * pages is followed by a blank page so that every document starts on a new sheet.
 * Returns the merged page count.
 */
export async function mergePdfs(files: string[], out: string, title: string, duplex = false): Promise<{ pages: number; bytes: Uint8Array }> {
  const merged = await PDFDocument.create();
  merged.setTitle(title);
  merged.setCreator('bangban');
  merged.setProducer('bangban');
  merged.setCreationDate(FIXED_DATE);
  merged.setModificationDate(FIXED_DATE);
  for (const file of files) {
    const src = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
    const pages = await merged.copyPages(src, src.getPageIndices());
    for (const p of pages) merged.addPage(p);
    if (duplex && pages.length % 2 === 1) {
      const { width, height } = pages[pages.length - 1].getSize();
      merged.addPage([width, height]);
    }
  }
  const bytes = await merged.save();
  writeFileAtomicSync(out, bytes);
  return { pages: merged.getPageCount(), bytes };
}
