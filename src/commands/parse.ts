import type { Command } from 'commander';
import { allKinds } from '../kinds/index.js';
import { parseFile, ParseFailure } from '../parse/index.js';
import { ExitCode, out, err } from './shared.js';

export function register(p: Command): void {
  p.command('parse')
    .description('读取填好的表单 PDF（表单域或页面文字）或扫描件/照片（PNG、JPEG、TIFF、纯图像 PDF，离线 OCR），输出 JSON 记录；有效退出 0，读出但无效退出 1，无法识别退出 2')
    .argument('<file>', 'PDF 或图像文件')
    .option('--kind <kind>', `指定文书类型（默认按内容识别）：${allKinds().map((k) => k.name).join(' | ')}`)
    .action(async (file: string, o: { kind?: string }) => {
      try {
        const r = await parseFile(file, { kind: o.kind });
        out(JSON.stringify(r, null, 2));
        if (!r.valid) throw new ExitCode(1);
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        out(JSON.stringify({ file, error: e.message, code: e.code }, null, 2));
        err(`错误：${file}：${e.message}`);
        throw new ExitCode(2);
      }
    });
}
