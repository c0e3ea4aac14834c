import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Keeps the main thread's heap small during a long batch. Reading a spreadsheet makes a lot of
 * short-lived garbage, and V8 sizes the main heap by allocation rate (up to gigabytes) rather than by
 * what is alive (tens of MB), so resident memory would grow with the batch. Workers get hard heap
 * limits (resourceLimits); the main thread cannot, so it collects when its heap passes a threshold.
 */
let gc: (() => void) | undefined | null;

function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      const g = (globalThis as { gc?: () => void }).gc;
      if (g) gc = g;
      else {
        v8.setFlagsFromString('--expose-gc');
        gc = vm.runInNewContext('gc') as () => void;
      }
    } catch {
      gc = null;
    }
  }
  return gc ?? null;
}

export class HeapGuard {
  private count = 0;
  constructor(
    private limitBytes = 64 * 1024 * 1024,
    private every = 256,
  ) {}
  /** Call once per row; checks the heap every few rows and collects when it is above the limit. */
  tick(): void {
    if (++this.count % this.every) return;
    if (v8.getHeapStatistics().used_heap_size < this.limitBytes) return;
    collector()?.();
  }
}

/** One guard for the main thread: every row read or dispatched ticks it. */
const shared = new HeapGuard();
export const tickHeap = (): void => shared.tick();
