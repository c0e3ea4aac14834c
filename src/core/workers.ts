import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from './paths.js';

type PoolOptions = Omit<NonNullable<ConstructorParameters<typeof Piscina>[0]>, 'filename' | 'workerData'>;

/**
 * A pool of worker threads running the default export of `module` (a built .js file) for each task.
 * Workers start from workerEntry.cjs, which imports the module (see there why not directly).
 * `shared` goes to every worker's workerData as well (shared memory is not copied).
 */
export function workerPool(module: string, options: PoolOptions, shared: Record<string, unknown> = {}): Piscina {
  return new Piscina({ ...options, filename: join(packageRoot, 'dist', 'core', 'workerEntry.cjs'), workerData: { ...shared, module } });
}

/** The built worker module of a src/ folder (dist/<folder>/worker.js, also when tests run from src/); undefined until built. */
export function builtWorker(folder: string): string | undefined {
  const file = join(packageRoot, 'dist', folder, 'worker.js');
  return existsSync(file) ? file : undefined;
}
