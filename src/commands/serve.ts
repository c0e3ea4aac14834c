import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { out } from './shared.js';

export const DEFAULT_DATA = './bangban-data';

export function register(p: Command): void {
  p.command('serve')
    .description('启动帮办工作台（网页，默认只在本机 127.0.0.1 访问）；设置 DATABASE_URL=postgres://… 时使用 PostgreSQL，否则数据存于 --data 文件夹（SQLite）；设置 REDIS_URL=redis://… 时生成与识别交给队列的 bangban worker 进程')
    .option('--port <n>', '端口', (v) => Number.parseInt(v, 10), 8080)
    .option('--host <address>', '监听地址（让其他电脑访问时设为 0.0.0.0，并放在 HTTPS 代理之后）', '127.0.0.1')
    .option('--data <folder>', '数据文件夹（数据库、上传文件、批量结果）', DEFAULT_DATA)
    .option('--threads <n>', '生成文书的线程数（默认每个 CPU 核一个；队列模式默认 1 个，只做空白表和可填写表单）', (v) => Number(v))
    .action(async (o: { port: number; host: string; data: string; threads?: number }) => {
      if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new UserError('端口应为 0–65535 的整数');
      if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads > 0 && o.threads <= 64)) throw new UserError('--threads 应为 1–64 的整数');
      const { createDesk } = await import('../serve/app.js');
      const desk = await createDesk({ dataDir: o.data, databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL || undefined, renderThreads: o.threads });
      if (!(await desk.store.users()).length) out('提示：还没有工作人员账号，请先运行 bangban user add 姓名 --role admin');
      try {
        await desk.app.listen({ port: o.port, host: o.host });
      } catch (e) {
        await desk.close();
        const code = (e as NodeJS.ErrnoException).code;
        throw new UserError(code === 'EADDRINUSE' ? `端口 ${o.port} 已被占用，请用 --port 换一个` : `无法启动：${(e as Error).message}`);
      }
      const a = desk.app.server.address();
      const port = typeof a === 'object' && a ? a.port : o.port;
      out(`帮办工作台已启动：http://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host}:${port}/（数据：${process.env.DATABASE_URL ? 'PostgreSQL' : o.data}；生成与识别：${desk.engine.describe}；Ctrl+C 停止）`);
      await new Promise<void>((resolve) => {
        const stop = () => void desk.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
