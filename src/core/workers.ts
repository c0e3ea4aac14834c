import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from './paths.js';

type PoolOptions = Omit<NonNullable<ConstructorParameters<typeof Piscina>[0]>, 'filename' | 'workerData'>;

/**
 * A pool of worker threads running the default export of `module` (a built .js file) for each task.
 * Workers start from workerEntry.cjs, which imports the module (see there why not directly).
 */
export function workerPool(module: string, options: PoolOptions): Piscina {
  return new Piscina({ ...options, filename: join(packageRoot, 'dist', 'core', 'workerEntry.cjs'), workerData: { module } });
}
