/**
 * What to undo if the process is told to stop while it is creating things: the scratch cluster
 * and password file of an initdb, the lock file held meanwhile, the PostgreSQL tools it runs.
 * The store registers them while they exist; the CLI's start-up signal handler (before the
 * poller's graceful stop is installed) calls `cleanUpNow()` and exits. A `kill -9` runs nothing:
 * the next start sweeps those leftovers (`sweepEmbeddedLeftovers`).
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const paths = new Set<string>();
const children = new Set<ChildProcess>();

/** Removes `path` (recursively) if the process stops before the returned function is called. */
export function removeOnExit(path: string): () => void {
  paths.add(path);
  return () => paths.delete(path);
}

/** Ends `child` (SIGTERM) if the process stops while it runs; the returned function forgets it. */
export function killOnExit(child: ChildProcess): () => void {
  children.add(child);
  return () => children.delete(child);
}

/** Ends registered children and removes registered paths, synchronously. Returns what it removed. */
export function cleanUpNow(): string[] {
  for (const child of children) {
    try {
      child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
  children.clear();
  const removed: string[] = [];
  for (const path of paths) {
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // left for the next start's sweep
    }
  }
  paths.clear();
  return removed;
}
