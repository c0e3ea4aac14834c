import type { Command } from 'commander';
import { allKinds, getKind } from '../kinds/index.js';
import { validateRecord } from '../core/records.js';
import { formatIssue } from '../core/errors.js';
import { readJsonFile } from '../core/io.js';
import { ExitCode, out, err } from './shared.js';

export function register(p: Command): void {
  p.command('validate')
    .description('校验数据文件；有效退出 0，无效逐条列出错误并退出 1')
    .argument('<kind>', `文书类型：${allKinds().map((k) => k.name).join(' | ')}`)
    .argument('<file>', 'JSON 数据文件')
    .action((kindName: string, file: string) => {
      const kind = getKind(kindName);
      const r = validateRecord(kind, readJsonFile(file));
      for (const w of r.warnings) err(`提示：${formatIssue(w)}`);
      if (!r.valid) {
        for (const e of r.errors) out(formatIssue(e));
        throw new ExitCode(1);
      }
      out(`有效：${file}（${kind.title}）`);
    });
}
