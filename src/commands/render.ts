import type { Command } from 'commander';
import { allKinds, getKind } from '../kinds/index.js';
import { readJsonFile } from '../core/io.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { formatFor, renderDocument } from '../render.js';
import { out } from './shared.js';

export function register(p: Command): void {
  p.command('render')
    .description('生成文书；先校验，无效时列出错误、不写文件')
    .argument('<kind>', `文书类型：${allKinds().map((k) => k.name).join(' | ')}`)
    .argument('[data]', 'JSON 数据文件；可生成空白表的文书省略时生成空白表')
    .requiredOption('-o, --output <file>', '输出文件；格式按扩展名')
    .option('--format <format>', '输出格式（默认按扩展名）')
    .option('--fonts <config.json>', '字体配置：为 title、body、heading 指定字体文件')
    .action(async (kindName: string, data: string | undefined, o: { output: string; format?: string; fonts?: string }) => {
      const kind = getKind(kindName);
      const format = formatFor(o.output, o.format);
      const record = data === undefined ? null : readJsonFile(data);
      const bytes = await renderDocument(kind, record, format, { fonts: loadFontConfig(o.fonts) });
      writeFileAtomicSync(o.output, bytes);
      out(`已生成 ${o.output}`);
    });
}
