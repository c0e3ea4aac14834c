import { Command, CommanderError } from 'commander';
import { mkdirSync } from 'node:fs';
import { join, extname } from 'node:path';
import { allKinds, getKind } from './kinds/index.js';
import { validateRecord } from './core/records.js';
import { formatIssue, UserError, ValidationError } from './core/errors.js';
import { readJsonFile } from './core/io.js';
import { writeFileAtomicSync } from './core/atomic.js';
import { fixturesDir } from './core/paths.js';
import { renderPdf } from './pdf/index.js';
import { loadFontConfig } from './pdf/fonts.js';

const out = (s: string) => process.stdout.write(s + '\n');
const err = (s: string) => process.stderr.write(s + '\n');

function program(): Command {
  const p = new Command('bangban')
    .description('帮办：政务服务表单、授权委托书与补正告知书的生成与回读')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

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

  p.command('render')
    .description('生成文书；先校验，无效时列出错误、不写文件')
    .argument('<kind>', `文书类型：${allKinds().map((k) => k.name).join(' | ')}`)
    .argument('[data]', 'JSON 数据文件；申请表省略时生成空白表')
    .requiredOption('-o, --output <file>', '输出文件（.pdf）')
    .option('--fonts <config.json>', '字体配置：为 title、body、heading 指定字体文件')
    .action(async (kindName: string, data: string | undefined, o: { output: string; fonts?: string }) => {
      const kind = getKind(kindName);
      const record = data === undefined ? null : readJsonFile(data);
      const bytes = await renderPdf(kind, record, { fonts: loadFontConfig(o.fonts) });
      writeFileAtomicSync(o.output, bytes);
      out(`已生成 ${o.output}`);
    });

  p.command('demo')
    .description('用自带示例数据生成全部文书到 ./out，并列出生成的文件')
    .option('-o, --output <dir>', '输出文件夹', 'out')
    .option('--fonts <config.json>', '字体配置')
    .action(async (o: { output: string; fonts?: string }) => {
      mkdirSync(o.output, { recursive: true });
      const fonts = loadFontConfig(o.fonts);
      for (const kind of allKinds()) {
        const record = readJsonFile(join(fixturesDir, kind.def.demoFixture));
        const file = join(o.output, `${kind.name}.pdf`);
        writeFileAtomicSync(file, await renderPdf(kind, record, { fonts }));
        out(`${file}\t${kind.title}`);
        if (kind.def.blankForm) {
          const blank = join(o.output, `${kind.name}-blank.pdf`);
          writeFileAtomicSync(blank, await renderPdf(kind, null, { fonts }));
          out(`${blank}\t${kind.title}（空白表）`);
        }
      }
    });
  return p;
}

/** Thrown by an action to end with a given exit code after printing its own output. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ValidationError) {
      out(e.message);
      return 1;
    }
    if (e instanceof UserError) {
      err(`错误：${e.message}`);
      return e.exitCode;
    }
    err(`内部错误：${(e as Error).message}`);
    if (process.env.BANGBAN_DEBUG) err(String((e as Error).stack));
    return 3;
  }
}
