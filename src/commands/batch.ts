import type { Command } from 'commander';
import { allKinds } from '../kinds/index.js';
import { UserError } from '../core/errors.js';
import { join } from 'node:path';
import { runBatch, MANIFEST_CSV } from '../batch/run.js';
import { PROGRESS_HELP, progressFor } from './progress.js';
import { ExitCode, out, err } from './shared.js';
import { queueExecutor } from '../queue/batch.js';

interface Options {
  output: string;
  items: string[];
  name?: string;
  format: string;
  merge?: boolean;
  duplex?: boolean;
  fonts?: string;
  wording?: string;
  template?: string;
  jobs?: string;
  force?: boolean;
  clean?: boolean;
  progress: string;
  queue?: string;
}

const MAX_PROBLEM_LINES = 50;

export function register(p: Command): void {
  p.command('batch')
    .description('按表格批量生成文书：每行一份，逐条校验，出错的行列出行号和字段，其余照常生成；附清单（manifest.csv / manifest.json）')
    .argument('<kind>', `文书类型：${allKinds().map((k) => k.name).join(' | ')}`)
    .argument('<input>', '数据文件：.xlsx、.csv（UTF-8 或 GB18030）、.jsonl 或 JSON 数组')
    .requiredOption('-o, --output <folder>', '输出文件夹')
    .option('--items <file>', '列表字段的表格（CSV/XLSX，按“序号”对应记录；可重复）', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--name <pattern>', `文件名模式（字段路径或中文列名，{序号} 为记录号；默认 ${allKinds().map((k) => `${k.name} ${k.def.fileName ?? '{序号}'}`).join('，')}）`)
    .option('--format <format>', '输出格式：pdf、docx 或 both', 'pdf')
    .option('--merge', '另生成一份合并的 PDF（merged.pdf，按输入顺序），便于一次打印')
    .option('--duplex', '合并时为奇数页的文书补一页空白，双面打印时每份从新的一张纸开始')
    .option('--fonts <config.json>', '字体配置')
    .option('--wording <file.hbs>', `用自己编辑过的文字模板（${allKinds().filter((k) => k.def.wording).map((k) => k.title).join('、')}；见 docs/document-templates.md）`)
    .option('--template <file.docx>', '用自己的 Word 模板生成 DOCX')
    .option('-j, --jobs <n>', '工作线程数（默认每核一个）')
    .option('--force', '全部重新生成（默认跳过已生成且未变的）；文件夹里有另一批文书时，保留它们并照常写入本批')
    .option('--clean', '先删除输出文件夹里上一批生成的文件（只删清单记录且未改动的）和清单，再生成')
    .option('--queue <url>', '经 Redis 队列交给工作进程（bangban worker，可在多台机器上）生成，如 redis://127.0.0.1:6379')
    .option('--progress <mode>', PROGRESS_HELP, 'auto')
    .action(async (kindName: string, input: string, o: Options) => {
      const jobs = o.jobs === undefined ? undefined : Number(o.jobs);
      if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new UserError('--jobs 应为正整数');
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(130);
        controller.abort();
        err('\n已中断：正在等待进行中的文件写完，再写清单（再按一次 Ctrl-C 立即退出）');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const r = await runBatch({
          kind: kindName,
          input,
          items: o.items,
          output: o.output,
          name: o.name,
          format: o.format,
          merge: o.merge,
          duplex: o.duplex,
          fonts: o.fonts,
          wording: o.wording,
          template: o.template,
          jobs,
          force: o.force,
          clean: o.clean,
          progress: progressFor(o.progress),
          signal: controller.signal,
          executor: o.queue ? queueExecutor({ url: o.queue }) : undefined,
        });
        for (const n of r.notes) err(`提示：${n}`);
        for (const line of r.problems.slice(0, MAX_PROBLEM_LINES)) out(line);
        if (r.problemCount > MAX_PROBLEM_LINES) out(`……另有 ${r.problemCount - MAX_PROBLEM_LINES} 条问题，见 ${MANIFEST_CSV}`);
        const s = r.summary;
        out(
          `${r.interrupted ? '已中断' : '完成'}：生成 ${s.ok} 份，未变跳过 ${s.unchanged} 份，数据有误 ${s.invalid} 份，生成失败 ${s.failed} 份；清单 ${join(r.folder, MANIFEST_CSV)}` +
            (r.merged ? `；合并 ${r.merged}` : ''),
        );
        if (r.interrupted) throw new ExitCode(130);
        // nothing to do is not success: the wrong file, or a sheet still to be filled (docs/batch.md)
        if (s.invalid || s.failed || r.total === 0) throw new ExitCode(1);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
