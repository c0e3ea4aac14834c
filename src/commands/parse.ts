import type { Command } from 'commander';
import { allKinds } from '../kinds/index.js';
import { isFormFailure, parseFileForms, ParseFailure } from '../parse/index.js';
import { ExitCode, out, err } from './shared.js';

export function register(p: Command): void {
  p.command('parse')
    .description('读取填好的表单 PDF（表单域或页面文字）或扫描件/照片（PNG、JPEG、TIFF、纯图像 PDF，离线 OCR），输出 JSON 记录；有效退出 0，读出但无效退出 1，无法识别退出 2；一个文件里有多份表单时逐份读出，输出 JSON 数组（每份带页码范围 pageRange）')
    .argument('<file>', 'PDF 或图像文件')
    .option('--kind <kind>', `指定文书类型（默认按内容识别）：${allKinds().map((k) => k.name).join(' | ')}`)
    .action(async (file: string, o: { kind?: string }) => {
      try {
        const forms = await parseFileForms(file, { kind: o.kind });
        // one form: its object, as always; several: an array, one element per form with its pages
        out(JSON.stringify(forms.length === 1 ? forms[0] : forms, null, 2));
        for (const f of forms) if (isFormFailure(f)) err(`错误：${file} 第 ${f.pageRange[0]}–${f.pageRange[1]} 页：${f.error}`);
        if (forms.some((f) => isFormFailure(f) || !f.valid)) throw new ExitCode(1);
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        out(JSON.stringify({ file, error: e.message, code: e.code }, null, 2));
        err(`错误：${file}：${e.message}`);
        throw new ExitCode(2);
      }
    });
}
