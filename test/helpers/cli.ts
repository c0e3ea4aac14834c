import { expect, vi } from 'vitest';
import { main } from '../../src/cli.js';

/** Runs the command line in this process, capturing what it prints. */
export async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** User mistakes never print a stack trace. */
export const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);
