import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { allKinds } from '../kinds/index.js';
import { readJsonFile } from '../core/io.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { fixturesDir } from '../core/paths.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { formats, renderDocument } from '../render.js';
import { out } from './shared.js';

export function register(p: Command): void {
  p.command('demo')
    .description('用自带示例数据生成全部文书（每种格式）到 ./out，并列出生成的文件')
    .option('-o, --output <dir>', '输出文件夹', 'out')
    .option('--fonts <config.json>', '字体配置')
    .action(async (o: { output: string; fonts?: string }) => {
      mkdirSync(o.output, { recursive: true });
      const fonts = loadFontConfig(o.fonts);
      for (const kind of allKinds()) {
        const record = readJsonFile(join(fixturesDir, kind.def.demoFixture));
        for (const format of Object.keys(formats)) {
          const file = join(o.output, `${kind.name}.${format}`);
          writeFileAtomicSync(file, await renderDocument(kind, record, format, { fonts }));
          out(`${file}\t${kind.title}`);
          if (kind.def.blankForm) {
            const blank = join(o.output, `${kind.name}-blank.${format}`);
            writeFileAtomicSync(blank, await renderDocument(kind, null, format, { fonts }));
            out(`${blank}\t${kind.title}（空白）`);
          }
        }
      }
    });
}
