import type { Command } from 'commander';
import { allKinds, getKind } from '../kinds/index.js';
import { writeTemplate } from '../batch/template.js';
import { out } from './shared.js';

export function register(p: Command): void {
  p.command('template')
    .description('生成批量填写用的表格模板（表头为中文字段名，带一行示例；列表字段另有工作表，按“序号”对应）')
    .argument('<kind>', `文书类型：${allKinds().map((k) => k.name).join(' | ')}`)
    .requiredOption('-o, --output <file>', '模板文件：.xlsx，或 .csv（列表字段另写一个 CSV）')
    .action(async (kindName: string, o: { output: string }) => {
      const kind = getKind(kindName);
      for (const f of await writeTemplate(kind, o.output)) out(`已生成 ${f}`);
    });
}
