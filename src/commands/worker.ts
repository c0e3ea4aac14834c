import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { startWorker } from '../queue/consumer.js';
import { DEFAULT_TIMING, queueName, redact } from '../queue/connection.js';
import { err } from './shared.js';

export const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(Number.isInteger(n) && n > 0)) throw new UserError(`${name} 应为正整数`);
  return n;
};

/** --queue, or REDIS_URL when it is set. */
export function queueUrl(v: string | undefined): string {
  const url = v ?? process.env.REDIS_URL;
  if (!url) throw new UserError('请用 --queue redis://主机:6379 指定队列（或设置环境变量 REDIS_URL）');
  return url;
}

export function register(p: Command): void {
  p.command('worker')
    .description('队列工作进程：从 Redis 队列领取生成与读取任务（可在任意多台机器上各运行一个），结果经队列交回提交者；SIGTERM 时做完手头任务再退出')
    .option('--queue <url>', 'Redis 地址，如 redis://127.0.0.1:6379（默认取环境变量 REDIS_URL）')
    .option('-c, --concurrency <n>', '同时处理的任务数（工作线程数，默认 1）', positiveInt('--concurrency'), 1)
    .option('--max-heap <MB>', '每个工作线程的堆内存上限，超出则换新线程并重试该任务', positiveInt('--max-heap'), 512)
    .option('--timeout <seconds>', '单个任务最长用时，超时则重试', positiveInt('--timeout'), 120)
    .option('--lock <seconds>', '任务锁时长：工作进程失联这么久后，它的任务由别的工作进程接手', positiveInt('--lock'), DEFAULT_TIMING.lockMs / 1000)
    .action(async (o: { queue?: string; concurrency: number; maxHeap: number; timeout: number; lock: number }) => {
      const url = queueUrl(o.queue);
      const w = await startWorker({
        url,
        concurrency: o.concurrency,
        maxHeapMb: o.maxHeap,
        timeoutMs: o.timeout * 1000,
        timing: { lockMs: o.lock * 1000, stalledIntervalMs: (o.lock * 1000) / 2 },
        log: (line) => err(`${new Date().toISOString()} ${line}`),
      });
      err(`工作进程 ${w.id} 已启动：队列 ${redact(url)} ${queueName()}，${o.concurrency} 个线程`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          // a second signal ends at once: the jobs in hand are then taken over by other workers
          const now = () => process.exit(130);
          process.once('SIGTERM', now);
          process.once('SIGINT', now);
          err('正在停止：做完手头的任务后退出');
          void w.close().then(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      err('工作进程已停止');
    });
}
