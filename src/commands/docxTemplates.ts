import type { Command } from 'commander';
import { allKinds, getKind } from '../kinds/index.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { docxTemplatesDir, writeTemplates } from '../docx/index.js';
import { out } from './shared.js';

export function register(p: Command): void {
  p.command('docx-templates')
    .description('由各文书的版式生成 Word 模板（.docx，含 {字段} 标记），供在 Word/WPS 中修改文字后用 render --template 套用')
    .argument('[kinds...]', `文书类型（默认全部）：${allKinds().map((k) => k.name).join(' | ')}`)
    .option('-o, --output <dir>', '输出文件夹', docxTemplatesDir)
    .option('--fonts <config.json>', '字体配置：模板中各角色的字体名（name）')
    .action((names: string[], o: { output: string; fonts?: string }) => {
      const kinds = names.length ? names.map(getKind) : allKinds();
      for (const f of writeTemplates(kinds, o.output, loadFontConfig(o.fonts))) out(`已生成 ${f}`);
    });
}
