import type { Command } from 'commander';
import { allKinds } from '../kinds/index.js';
import { collectPdfs, ingestFiles, problemReport, writeOutputs } from '../parse/ingest.js';
import { UserError } from '../core/errors.js';
import { queueParseExecutor } from '../queue/ingest.js';
import { ExitCode, out, err } from './shared.js';
import { PROGRESS_HELP, progressFor } from './progress.js';

export function register(p: Command): void {
  p.command('ingest')
    .description('批量读取填好的表单 PDF 与扫描件（OCR 识别的低置信字段列为需人工核对；一个 PDF 里有多份表单时逐份读出，注明页码）：有效记录写入 JSONL（可直接用于 batch），可另存 CSV / XLSX；列出每个有问题的文件及原因')
    .argument('<inputs...>', 'PDF/图像文件或文件夹（递归查找 .pdf .png .jpg .tif）')
    .option('-o, --output <records.jsonl>', '有效记录（每行一条 JSON）')
    .option('--csv <file.csv>', '全部读出的表单，中文表头（含状态与问题列）')
    .option('--xlsx <file.xlsx>', '同上，Excel 工作簿（每种文书一个工作表）')
    .option('--include-invalid', 'JSONL 中也写入无效记录（保留读出的原值）')
    .option('--kind <kind>', `指定文书类型（默认按内容识别）：${allKinds().map((k) => k.name).join(' | ')}`)
    .option('--queue <url>', '经 Redis 队列交给工作进程（bangban worker，可在多台机器上）读取，如 redis://127.0.0.1:6379')
    .option('-j, --jobs <n>', '并行线程数（默认为 CPU 核数）', (v) => Number.parseInt(v, 10))
    .option('--progress <mode>', PROGRESS_HELP, 'auto')
    .action(async (inputs: string[], o: { output?: string; csv?: string; xlsx?: string; includeInvalid?: boolean; kind?: string; jobs?: number; progress: string; queue?: string }) => {
      if (!o.output && !o.csv && !o.xlsx) throw new UserError('请用 -o、--csv 或 --xlsx 指定至少一个输出文件');
      const files = collectPdfs(inputs);
      if (!files.length) throw new UserError(`没有找到 PDF 文件：${inputs.join('、')}`);
      const progress = progressFor(o.progress, '个文件');
      progress.start(files.length);
      let r;
      try {
        r = await ingestFiles(files, { kind: o.kind, jobs: o.jobs, onProgress: (done) => progress.update(done), executor: o.queue ? queueParseExecutor({ url: o.queue }) : undefined });
      } finally {
        progress.stop();
      }
      const written = await writeOutputs(r, { jsonl: o.output, csv: o.csv, xlsx: o.xlsx, includeInvalid: o.includeInvalid });
      const s = r.summary;
      out(`读取 ${s.read} 个文件${s.forms > s.read ? `（${s.forms} 份表单）` : ''}：有效 ${s.valid}，无效 ${s.invalid}，无法读取 ${s.unreadable}`);
      const problems = problemReport(r);
      if (problems.length) {
        out('有问题的文件：');
        for (const l of problems) out(`  ${l}`);
      }
      for (const f of written) err(`已写入 ${f}`);
      if (s.invalid || s.unreadable) throw new ExitCode(1);
    });
}
