import cliProgress from 'cli-progress';

/** Progress of a batch: a bar on a terminal, periodic plain lines otherwise, or nothing. */
export interface Progress {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
  return `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分`;
}

/** Rate over the whole run so far (records per second). */
class Rate {
  private t0 = performance.now();
  perSecond(done: number): number {
    const dt = (performance.now() - this.t0) / 1000;
    return dt > 0 ? done / dt : 0;
  }
}

export function barProgress(stream: NodeJS.WriteStream = process.stderr, unit = '份'): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `{bar} {value}/{total} | {rate} ${unit}/秒 | 剩余 {left}`,
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let rate = new Rate();
  return {
    start(total) {
      rate = new Rate();
      bar.start(total, 0, { rate: '0', left: '—' });
    },
    update(done) {
      const r = rate.perSecond(done);
      bar.update(done, { rate: r.toFixed(1), left: duration(r > 0 ? (bar.getTotal() - done) / r : Infinity) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** One line every `intervalMs` (and at the end): count, rate, time left. */
export function lineProgress(write: (s: string) => void = (s) => process.stderr.write(s + '\n'), intervalMs = 5000, unit = '份'): Progress {
  let total = 0;
  let done = 0;
  let last = 0;
  let rate = new Rate();
  const line = () => {
    const r = rate.perSecond(done);
    const pct = total ? Math.floor((done / total) * 100) : 100;
    write(`进度：${done}/${total}（${pct}%），每秒 ${r.toFixed(1)} ${unit}，预计剩余 ${duration(r > 0 ? (total - done) / r : Infinity)}`);
  };
  return {
    start(t) {
      total = t;
      rate = new Rate();
      last = performance.now();
    },
    update(d) {
      done = d;
      if (performance.now() - last >= intervalMs) {
        last = performance.now();
        line();
      }
    },
    stop() {
      line();
    },
  };
}

/** A bar when the stream is a terminal, plain lines when it is not. */
export function autoProgress(stream: NodeJS.WriteStream = process.stderr, unit = '份'): Progress {
  return stream.isTTY ? barProgress(stream, unit) : lineProgress((s) => stream.write(s + '\n'), 5000, unit);
}
