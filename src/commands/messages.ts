/**
 * commander's own words in Chinese: its errors (by their code) and the headings of its help. The
 * desk's staff read only Chinese; commander has no locale, so its output is translated here.
 */
import type { Command, CommanderError } from 'commander';

const quoted = (message: string) => /'([^']*)'/.exec(message)?.[1] ?? '';
const suggestion = (message: string) => {
  const m = /Did you mean (?:one of )?([^?]+)\?/.exec(message);
  return m ? `（是不是 ${m[1].trim()}？）` : '';
};

/** A commander error as one Chinese line; undefined for help and version, which are not errors. */
export function commanderMessage(e: CommanderError): string | undefined {
  const m = e.message;
  switch (e.code) {
    case 'commander.help':
    case 'commander.helpDisplayed':
    case 'commander.version':
      return undefined;
    case 'commander.unknownCommand':
      return `没有“${quoted(m)}”这个命令${suggestion(m)}；bangban --help 列出全部命令`;
    case 'commander.unknownOption':
      return `不认识的选项 ${quoted(m)}${suggestion(m)}；加 --help 查看可用选项`;
    case 'commander.missingArgument':
      return `缺少参数 <${quoted(m)}>；加 --help 查看用法`;
    case 'commander.optionMissingArgument':
      return `选项 ${quoted(m)} 后面缺少值`;
    case 'commander.missingMandatoryOptionValue':
      return `缺少必需的选项 ${quoted(m)}`;
    case 'commander.excessArguments': {
      const n = /Expected (\d+) argument/.exec(m)?.[1];
      return `参数太多${n ? `：只需要 ${n} 个` : ''}；加 --help 查看用法`;
    }
    case 'commander.conflictingOption':
      return `选项冲突：${m.replace(/^error:\s*/, '')}`;
    case 'commander.invalidArgument':
      return `参数不正确：${m.replace(/^error:\s*/, '')}`;
    default:
      return m.replace(/^error:\s*/, '');
  }
}

const HEADINGS: [RegExp, string][] = [
  [/^Usage: /gm, '用法：'],
  [/^Arguments:/gm, '参数：'],
  [/^Options:/gm, '选项：'],
  [/^Commands:/gm, '命令：'],
  [/\(default: ([^)]*)\)/g, '（默认：$1）'],
  [/\(choices: ([^)]*)\)/g, '（可选：$1）'],
];
const TERMS = (s: string) => s.replace(/\[options\]/g, '[选项]').replace(/\[command\]/g, '[命令]');
/** Columns a string takes on a terminal: CJK characters two. */
const width = (s: string) => [...s].reduce((w, c) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);

/** commander's help text with its headings in Chinese, its columns still aligned. */
export function chineseHelp(text: string): string {
  const lines = text.split('\n').map((line) => {
    const m = /^( {2}\S.*?)( {2,})(\S.*)$/.exec(line);
    if (!m) return TERMS(line);
    const term = TERMS(m[1]);
    return term + ' '.repeat(Math.max(2, m[2].length + width(m[1]) - width(term))) + m[3];
  });
  return HEADINGS.reduce((s, [re, to]) => s.replace(re, to), lines.join('\n'));
}

/** Chinese help and version flags, errors left to the caller (printed once, in Chinese). */
export function inChinese(p: Command, version: string): Command {
  return p
    .version(version, '-V, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .configureOutput({
      writeOut: (s) => process.stdout.write(chineseHelp(s)),
      writeErr: (s) => process.stderr.write(chineseHelp(s)),
      outputError: () => undefined,
    });
}
