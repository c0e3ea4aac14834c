/**
 * One batch at a time per output folder. proper-lockfile holds the lock (a directory made with
 * mkdir, kept fresh by its mtime); beside it an owner file names the process, so that a folder left
 * locked by a killed run (kill -9, a power cut) is taken over at once when that process is gone,
 * instead of after the lock's stale time.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { UserError } from '../core/errors.js';

export const LOCK_DIR = '.bangban.lock';
export const LOCK_OWNER = '.bangban.lock.json';

interface Owner {
  pid: number;
  host: string;
  started: string;
}

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The owner of a held lock is gone: claim the takeover by renaming its owner file (only one process
 * can), check that it is still the dead owner's, and remove the lock.
 */
function takeOver(folder: string, dead: Owner): boolean {
  const ownerFile = join(folder, LOCK_OWNER);
  const claimed = `${ownerFile}.${process.pid}`;
  try {
    renameSync(ownerFile, claimed);
  } catch {
    return false;
  }
  const now = readOwner(claimed);
  if (now?.pid !== dead.pid || now.host !== dead.host) {
    renameSync(claimed, ownerFile); // someone took over first: that lock is theirs
    return false;
  }
  rmSync(claimed, { force: true });
  rmSync(join(folder, LOCK_DIR), { recursive: true, force: true });
  return true;
}

/** Lock an existing output folder; returns the release. `shown` is the folder as the user wrote it. */
export async function lockFolder(folder: string, shown: string): Promise<() => Promise<void>> {
  const ownerFile = join(folder, LOCK_OWNER);
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(folder, {
        lockfilePath: join(folder, LOCK_DIR),
        realpath: false,
        // long enough that a main thread busy reading a large spreadsheet keeps it fresh
        stale: 60_000,
        // the lock went stale and another process took it: the other run reports; this one finishes its rows
        onCompromised: () => undefined,
      });
      writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() } satisfies Owner));
      return async () => {
        rmSync(ownerFile, { force: true });
        await release().catch(() => undefined);
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw new UserError(`无法锁定输出文件夹 ${shown}（${code ?? (e as Error).message}）`);
      let owner = readOwner(ownerFile);
      // the owner writes its name just after taking the lock: give it a moment to be named
      for (let i = 0; !owner && i < 20; i++) {
        await delay(25);
        owner = readOwner(ownerFile);
      }
      if (attempt < 2 && owner && owner.host === hostname() && !alive(owner.pid) && takeOver(folder, owner)) continue;
      const who = owner ? `（进程 ${owner.pid}${owner.host === hostname() ? '' : `，主机 ${owner.host}`}，${owner.started.replace('T', ' ').slice(0, 19)} UTC 开始）` : '';
      throw new UserError(`输出文件夹 ${shown} 正由另一个 bangban batch 使用${who}：请等它结束后再运行，或换一个输出文件夹`);
    }
  }
}
