import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The package's root folder, whether running from src/ (tests) or dist/ (the command). */
export const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
export const schemasDir = join(packageRoot, 'schemas');
export const templatesDir = join(packageRoot, 'templates');
export const fixturesDir = join(packageRoot, 'fixtures');
