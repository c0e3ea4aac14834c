/**
 * Rows that arrive together go to the queue as one job: one BullMQ add, lock and move to finished,
 * one result hash and one notice for several rows, which is most of the queue's cost per row (see
 * docs/scale-out.md, "Measured"). Rows are grouped by number, in fixed blocks (rows 1–8, 9–16, …),
 * so that a resumed submitter, which sends the same rows, makes the same jobs and finds their
 * results waiting. A block goes when its last row has arrived, when a row of a later block arrives,
 * or when no row has come for a few milliseconds (the end of the input, a slow input).
 */
export const ROWS_PER_JOB = 8;
const IDLE_MS = 5;

interface Waiting<T, R> {
  number: number;
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class RowGroups<T, R> {
  private block = -1;
  private rows: Waiting<T, R>[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** `send` gets a group's rows in order and returns their outcomes in the same order. */
  constructor(
    private send: (rows: { number: number; item: T }[]) => Promise<R[]>,
    private size = ROWS_PER_JOB,
  ) {}

  /** Row `number` (1-based; rows come in increasing order) and its outcome once its group is back. */
  add(number: number, item: T): Promise<R> {
    const block = Math.floor((number - 1) / this.size);
    if (block !== this.block) this.flush();
    this.block = block;
    return new Promise<R>((resolve, reject) => {
      this.rows.push({ number, item, resolve, reject });
      if (number % this.size === 0) this.flush();
      else if (this.timer) this.timer.refresh();
      else this.timer = setTimeout(() => this.flush(), IDLE_MS);
    });
  }

  /** Send what is waiting now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.rows;
    if (!rows.length) return;
    this.rows = [];
    this.send(rows.map(({ number, item }) => ({ number, item }))).then(
      (outcomes) => rows.forEach((r, i) => r.resolve(outcomes[i])),
      (e) => rows.forEach((r) => r.reject(e)),
    );
  }
}
