import { Option, type Command } from 'commander';
import { allKinds, getKind } from '../kinds/index.js';
import { readJsonFile } from '../core/io.js';
import { UserError } from '../core/errors.js';
import { assignField } from '../core/assign.js';
import type { Kind } from '../core/kind.js';
import { writeFileAtomicSync } from '../core/atomic.js';
import { loadFontConfig } from '../pdf/fonts.js';
import { formatFor, renderDocument } from '../render.js';
import { out, err } from './shared.js';

/** Source kinds that some kind can be prefilled from, each an option `--from-<source> <file>`. */
function prefillOptions(): { source: string; option: Option }[] {
  const sources = [...new Set(allKinds().flatMap((k) => Object.keys(k.def.prefill ?? {})))];
  return sources.map((source) => {
    const targets = allKinds().filter((k) => k.def.prefill?.[source]).map((k) => k.title);
    return { source, option: new Option(`--from-${source} <file.json>`, `用${getKind(source).title}的数据预填${targets.join('、')}`) };
  });
}

export function register(p: Command): void {
  const prefills = prefillOptions();
  const cmd = p
    .command('render')
    .description('生成文书；先校验，无效时列出错误、不写文件')
    .argument('<kind>', `文书类型：${allKinds().map((k) => k.name).join(' | ')}`)
    .argument('[data]', 'JSON 数据文件；可生成空白表的文书省略时生成空白表')
    .requiredOption('-o, --output <file>', '输出文件；格式按扩展名')
    .option('--format <format>', '输出格式（默认按扩展名）')
    .option('--fonts <config.json>', '字体配置：为 title、body、heading 指定字体文件')
    .option('--template <file.docx>', 'DOCX：用自己编辑过的 Word 模板（标记见 docs/docx-templates.md）')
    .option('--wording <file.hbs>', `用自己编辑过的文字模板（Handlebars，见 docs/document-templates.md）代替 templates/ 中的；用于${allKinds().filter((k) => k.def.wording).map((k) => k.name).join('、')}，PDF 与 DOCX 均可`)
    .option('--fillable', 'PDF：可填写的表单（AcroForm），表单域按字段路径命名，如 applicant.name、services.事前辅导')
    .option('--set <path=value>', '设置字段，可重复，如 --set trustee.idNumber=411302199001011236', (v: string, all: string[]) => [...all, v], [] as string[]);
  for (const { option } of prefills) cmd.addOption(option);
  cmd.action(async (kindName: string, data: string | undefined, o: RenderFlags) => {
    const kind = getKind(kindName);
    const format = formatFor(o.output, o.format);
    if (o.wording && !kind.def.wording) {
      const kinds = allKinds().filter((k) => k.def.wording).map((k) => `${k.title}（${k.name}）`);
      throw new UserError(`${kind.title}的文字不来自文字模板，--wording 只用于${kinds.join('、')}`);
    }
    const from = prefills.filter(({ option }) => o[option.attributeName()] !== undefined).map(({ source, option }) => ({ source, file: String(o[option.attributeName()]) }));
    const record = buildRecord(kind, data, from, o.set);
    const longest = longestList(record);
    // layout runs in this thread in long stretches: say beforehand when it will take a while
    if (longest > LONG_LIST) err(`正在生成 ${o.output}（列表有 ${longest} 项，可能需要一些时间）……`);
    const t0 = performance.now();
    const ticker = setInterval(() => err(`仍在生成 ${o.output}，已用 ${Math.round((performance.now() - t0) / 1000)} 秒……`), 3000);
    let bytes: Uint8Array;
    try {
      bytes = await renderDocument(kind, record, format, { template: o.template, wording: o.wording, fonts: loadFontConfig(o.fonts), fillable: o.fillable });
    } finally {
      clearInterval(ticker);
    }
    writeFileAtomicSync(o.output, bytes);
    const seconds = (performance.now() - t0) / 1000;
    out(`已生成 ${o.output}${seconds >= 2 ? `（用时 ${seconds.toFixed(1)} 秒）` : ''}`);
  });
}

/** Lists longer than this make a render take seconds (a notice of 100 materials: some 13 pages). */
const LONG_LIST = 100;

function longestList(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((m: number, x) => Math.max(m, longestList(x)), v.length);
  if (v && typeof v === 'object') return Object.values(v).reduce((m: number, x) => Math.max(m, longestList(x)), 0);
  return 0;
}

interface RenderFlags {
  output: string;
  format?: string;
  fonts?: string;
  set: string[];
  template?: string;
  wording?: string;
  fillable?: boolean;
  /** --from-<source> files, by commander's attribute name (fromApplication). */
  [from: string]: unknown;
}

/** The record from the data file, or prefilled from another kind's record (the kind's `prefill`); then each --set applied. */
function buildRecord(kind: Kind, data: string | undefined, from: { source: string; file: string }[], set: string[]): unknown {
  let record: unknown = data === undefined ? null : readJsonFile(data);
  if (from.length > 1) throw new UserError(`${from.map((f) => `--from-${f.source}`).join(' 与 ')} 只能用一个`);
  for (const { source, file } of from) {
    const prefill = kind.def.prefill?.[source];
    if (!prefill) throw new UserError(`${kind.title}不能从${getKind(source).title}预填（--from-${source}）`);
    if (record !== null) throw new UserError(`数据文件与 --from-${source} 只能用一个`);
    record = prefill(readJsonFile(file));
  }
  if (!set.length) return record;
  if (record === null) record = {};
  if (typeof record !== 'object' || Array.isArray(record)) throw new UserError('数据文件应为 JSON 对象，才能用 --set 设置字段');
  for (const a of set) assignField(record as Record<string, unknown>, kind.schema, a);
  return record;
}
