import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';

/** Tests that need a Debian tool run when it is there, or always when CI requires tools. */
export const toolOrRequired = (cmd: string, args: string[]) => process.env.BANGBAN_REQUIRE_TOOLS === '1' || spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** A form field's widget rectangle on page 1, in points from the page's top left. */
export async function fieldArea(bytes: Uint8Array, name: string): Promise<{ x: number; y: number; w: number; h: number }> {
  const doc = await PDFDocument.load(bytes);
  const r = doc.getForm().getField(name).acroField.getWidgets()[0].getRectangle();
  const top = doc.getPage(0).getHeight() - (r.y + r.height);
  return { x: r.x, y: top, w: r.width, h: r.height };
}

/**
 * Dark pixels (< 128 of 255) inside a field's rectangle (inset 1 pt) as poppler renders page 1 at
 * 72 dpi: 0 for an empty field, dozens per drawn character.
 */
export async function inkInField(bytes: Uint8Array, name: string): Promise<number> {
  const a = await fieldArea(bytes, name);
  const file = join(mkdtempSync(join(tmpdir(), 'ink-')), 'f.pdf');
  writeFileSync(file, bytes);
  const crop = [a.x + 1, a.y + 1, a.w - 2, a.h - 2].map((n) => String(Math.round(n)));
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '72', '-f', '1', '-l', '1', '-x', crop[0], '-y', crop[1], '-W', crop[2], '-H', crop[3], file]);
  // P5 <w> <h> 255 then the pixels
  const header = pgm.subarray(0, 40).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return dark;
}
