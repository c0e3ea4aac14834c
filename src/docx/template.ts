import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kind } from '../core/kind.js';
import { templatesDir } from '../core/paths.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { defaultFonts, type FontConfig } from '../pdf/fonts.js';
import { pageGeometry } from '../pdf/page.js';
import { tagValues } from './tagValues.js';
import { bodyXml } from './body.js';
import { findSections } from './conditions.js';
import { docxFiles, zipFiles } from './package.js';

/** Where a kind's committed DOCX template lives. */
export const docxTemplatesDir = join(templatesDir, 'docx');
export const templatePath = (kind: Kind): string => join(docxTemplatesDir, `${kind.name}.docx`);

/** The files of a kind's template: its layout, laid out with tags instead of values. */
export function templateFiles(kind: Kind, fonts: FontConfig = defaultFonts()): Record<string, string> {
  const geo = pageGeometry(kind.def.page);
  const { blocks, around } = findSections(kind, kind.def.layout(tagValues(kind), kind));
  const body = bodyXml({ kind, geo, official: kind.def.page === 'official', numbering: new Map(), around }, blocks);
  return docxFiles({ title: kind.title, body, geo, fonts });
}

export function buildTemplate(kind: Kind, fonts?: FontConfig): Uint8Array {
  return zipFiles(templateFiles(kind, fonts));
}

/** Write every kind's template to a folder (templates/docx by default); returns the files written. */
export function writeTemplates(kinds: Kind[], dir = docxTemplatesDir, fonts?: FontConfig): string[] {
  mkdirSync(dir, { recursive: true });
  return kinds.map((kind) => {
    const file = join(dir, `${kind.name}.docx`);
    writeFileAtomicSync(file, buildTemplate(kind, fonts));
    return file;
  });
}
