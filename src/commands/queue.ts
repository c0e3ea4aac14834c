import type { Command } from 'commander';
import { queueStatus } from '../queue/status.js';
import { queueUrl } from './worker.js';
import { out } from './shared.js';

export function register(p: Command): void {
  const q = p.command('queue').description('Redis 队列的运维命令');
  q.command('status')
    .description('队列状况：各队列等待、进行中、延后重试、失败的任务数，以及每个在线工作进程')
    .option('--queue <url>', 'Redis 地址（默认取环境变量 REDIS_URL）')
    .option('--json', '以 JSON 输出')
    .action(async (o: { queue?: string; json?: boolean }) => {
      const s = await queueStatus({ url: queueUrl(o.queue) });
      if (o.json) {
        out(JSON.stringify(s, null, 2));
        return;
      }
      if (!s.queues.length) out('队列中没有任务');
      for (const x of s.queues) out(`队列 ${x.name}：等待 ${x.waiting}，进行中 ${x.active}，延后重试 ${x.delayed}，失败 ${x.failed}，已完成（留存的最近记录）${x.completed}`);
      out(`在线工作进程 ${s.workers.length} 个${s.workers.length ? '：' : ''}`);
      for (const w of s.workers) {
        const up = Math.round((Date.now() - w.since) / 1000);
        out(`  ${w.id}（${w.host} 进程 ${w.pid}）：${w.concurrency} 线程，进行中 ${w.active} 个任务，已完成 ${w.completed} 个任务（${w.rows} 行），重试 ${w.retried}，内存 ${w.rssMb} MB，已运行 ${up} 秒，队列 ${w.queue}`);
      }
    });
}
