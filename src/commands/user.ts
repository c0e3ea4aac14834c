import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { UserError } from '../core/errors.js';
import { out } from './shared.js';
import { DEFAULT_DATA } from './serve.js';

/** The password: asked twice, not echoed, on a terminal; else the first line of standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      (rl as any)._writeToOutput = (s: string) => (s.startsWith(q) ? process.stderr.write(q) : undefined);
      rl.question(q, (a) => (rl.close(), process.stderr.write('\n'), resolve(a)));
    });
  const a = await ask('密码：');
  if ((await ask('再输一次：')) !== a) throw new UserError('两次输入的密码不一致');
  return a;
}

async function openStore(data: string) {
  const { openDb } = await import('../serve/db.js');
  const { Store } = await import('../serve/store.js');
  return Store.open(await openDb({ dataDir: data, databaseUrl: process.env.DATABASE_URL }));
}

export function register(p: Command): void {
  const user = p.command('user').description('管理工作台的工作人员账号');
  user
    .command('add')
    .description('添加工作人员（在终端上提示输入密码，否则从标准输入读取第一行）')
    .argument('<name>', '用户名')
    .option('--role <role>', 'staff（工作人员）或 admin（管理员）', 'staff')
    .option('--data <folder>', '数据文件夹', DEFAULT_DATA)
    .action(async (name: string, o: { role: string; data: string }) => {
      if (o.role !== 'staff' && o.role !== 'admin') throw new UserError('角色应为 staff 或 admin');
      if (!/^[\p{L}\p{N}_.-]{1,40}$/u.test(name)) throw new UserError('用户名应为 1–40 个文字、字母、数字或 _ . -');
      const { passwordProblem } = await import('../serve/auth.js');
      const store = await openStore(o.data);
      try {
        if (await store.userExists(name)) throw new UserError(`用户 ${name} 已存在`);
        const password = await readPassword();
        const problem = passwordProblem(password);
        if (problem) throw new UserError(problem);
        await store.addUser(name, o.role, password);
        await store.audit('命令行', 'create', `user:${name}`, o.role);
        out(`已添加${o.role === 'admin' ? '管理员' : '工作人员'} ${name}`);
      } finally {
        await store.close();
      }
    });
  user
    .command('passwd')
    .description('重设工作人员的密码')
    .argument('<name>', '用户名')
    .option('--data <folder>', '数据文件夹', DEFAULT_DATA)
    .action(async (name: string, o: { data: string }) => {
      const { passwordProblem } = await import('../serve/auth.js');
      const store = await openStore(o.data);
      try {
        if (!(await store.userExists(name))) throw new UserError(`没有用户 ${name}`);
        const password = await readPassword();
        const problem = passwordProblem(password);
        if (problem) throw new UserError(problem);
        await store.setPassword(name, password);
        await store.audit('命令行', 'update', `user:${name}`, '重设密码');
        out(`已重设 ${name} 的密码`);
      } finally {
        await store.close();
      }
    });
  user
    .command('list')
    .description('列出工作人员')
    .option('--data <folder>', '数据文件夹', DEFAULT_DATA)
    .action(async (o: { data: string }) => {
      const store = await openStore(o.data);
      try {
        for (const u of await store.users()) out(`${u.name}\t${u.role}\t${u.createdAt}`);
      } finally {
        await store.close();
      }
    });
}
