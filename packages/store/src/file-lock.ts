import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeOnExit } from './exit-cleanup.js';
import { StoreError } from './store-error.js';

export interface FileLockOptions {
  /** Give up after this long; default 120 000 ms (an initdb on a slow SD card plus a start). */
  readonly timeoutMs?: number;
  /** Poll interval while another process holds the lock; default 100 ms. */
  readonly pollMs?: number;
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding the owner's pid),
 * so two processes of this machine never initialise or start the same cluster at once. A lock
 * whose owner is gone (crash, kill -9) is taken over; so is an empty lock older than 10 s (its
 * owner died between creating and writing it).
 * @throws StoreError 'store.embedded' when the lock stays held past the timeout.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await tryCreate(path)) break;
    const holder = await readHolder(path);
    if (holder === 'gone') continue;
    if (holder.stale) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new StoreError(
        'store.embedded',
        `timed out waiting for lock ${path} held by pid ${holder.pid ?? '?'}; remove it if that process is gone`,
        { context: { path, pid: holder.pid } },
      );
    }
    await sleep(pollMs);
  }
  const forget = removeOnExit(path);
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
    forget();
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StoreError('store.embedded', `cannot create lock ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/**
 * Who holds the lock. Taking over a stale lock (unlink, then O_EXCL create) can race with a
 * second process doing the same in the same instant; that needs a crashed previous holder and
 * two starts within milliseconds of each other, and is accepted.
 */
async function readHolder(path: string): Promise<'gone' | { pid: number | undefined; stale: boolean }> {
  try {
    const text = await readFile(path, 'utf8');
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0) return { pid, stale: !isAlive(pid) };
    const age = Date.now() - (await stat(path)).mtimeMs;
    return { pid: undefined, stale: age > 10_000 };
  } catch (e) {
    // Released between our attempt and this read: try again at once.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new StoreError('store.embedded', `cannot read lock ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Whether a process with this pid exists (EPERM means it exists but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
