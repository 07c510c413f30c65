/**
 * Leftovers of a process that died while initialising or starting the embedded cluster
 * (`kill -9`, a power cut, or a signal before the CLI could clean up): a scratch cluster
 * `pgdata.init-<pid>` (tens of MB), a password file `.pwfile-<pid>` and the `.lock` it held.
 * Each is named after (or holds) its creator's pid; once that process is gone they are ours to
 * remove. A running server never needs them, so every start sweeps, not only one that takes
 * the lock.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './file-lock.js';
import type { StoreLogger } from './logger.js';

const LEFTOVER = /^(?:pgdata\.init|\.pwfile)-(\d+)$/;

/** Removes leftovers of dead processes in `dir`; resolves with the names removed. Never throws. */
export async function sweepEmbeddedLeftovers(dir: string, logger?: StoreLogger): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(LEFTOVER.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    if (
      await rm(join(dir, name), { recursive: true, force: true }).then(
        () => true,
        () => false,
      )
    ) {
      removed.push(name);
    }
  }
  if (names.includes('.lock')) {
    const pid = Number.parseInt(await readFile(join(dir, '.lock'), 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid)) {
      // Re-check just before removing: a live process may have taken the lock meanwhile.
      const again = Number.parseInt(await readFile(join(dir, '.lock'), 'utf8').catch(() => ''), 10);
      if (again === pid) {
        await rm(join(dir, '.lock'), { force: true }).catch(() => undefined);
        removed.push('.lock');
      }
    }
  }
  if (removed.length > 0) {
    logger?.info(
      { dir, removed },
      'removed what an interrupted start of the embedded PostgreSQL left behind',
    );
  }
  return removed;
}
