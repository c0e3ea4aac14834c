import { Command, CommanderError } from 'commander';
import { UserError, ValidationError } from './core/errors.js';
import { ExitCode, out, err } from './commands/shared.js';
import * as validate from './commands/validate.js';
import * as render from './commands/render.js';
import * as demo from './commands/demo.js';
import * as docxTemplates from './commands/docxTemplates.js';
import * as batch from './commands/batch.js';
import * as template from './commands/template.js';
import * as parse from './commands/parse.js';
import * as ingest from './commands/ingest.js';
import { commanderMessage, inChinese } from './commands/messages.js';
import { packageVersion } from './batch/run.js';
import * as worker from './commands/worker.js';
import * as queue from './commands/queue.js';
import * as serve from './commands/serve.js';
import * as user from './commands/user.js';

/** Each command lives in src/commands/<name>.ts and registers itself here. */
const commands = [validate, render, demo, docxTemplates, batch, template, parse, ingest, worker, queue, serve, user];

function program(): Command {
  const p = inChinese(new Command('bangban'), packageVersion())
    .description('帮办：政务服务表单、授权委托书与补正告知书的生成与回读')
    .exitOverride();
  for (const c of commands) c.register(p);
  return p;
}

/** Run the command line; returns the exit code. User mistakes print one line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    if (e instanceof CommanderError) {
      const message = commanderMessage(e);
      if (message && e.exitCode !== 0) err(`错误：${message}`);
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ValidationError) {
      out(e.message);
      return 1;
    }
    if (e instanceof UserError) {
      err(`错误：${e.message}`);
      return e.exitCode;
    }
    err(`内部错误：${(e as Error).message}（设置 BANGBAN_DEBUG=1 查看详情）`);
    if (process.env.BANGBAN_DEBUG) err(String((e as Error).stack));
    return 3;
  }
}
