// Small timing helpers shared by the benchmarks.
import { performance } from 'node:perf_hooks';

export function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Time `fn` `runs` times after `warmup` untimed runs; returns sorted milliseconds. */
export async function timeRuns(fn, { runs = 50, warmup = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

export const fmt = (n, d = 1) => n.toFixed(d);
