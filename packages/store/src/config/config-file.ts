/**
 * Where the poller and the graph commands look for their configuration: `--config FILE`
 * (relative to the directory the command was run from), else `power_consumption.ini` there, else
 * the one in the repository root — `pnpm --filter poller start` runs inside packages/poller, so
 * the directory it was typed in comes from pnpm's INIT_CWD.
 */
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the CLI looks when no path is given. */
export const DEFAULT_CONFIG_PATH = 'power_consumption.ini';

/** The repository root (this file is packages/store/{src,dist}/config/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The default places, in the order they are tried. */
export function configCandidates(cwd: string): string[] {
  return [...new Set([resolve(cwd, DEFAULT_CONFIG_PATH), join(REPO_ROOT, DEFAULT_CONFIG_PATH)])];
}

/**
 * The file to read: `explicit` resolved against `cwd` (returned even when missing, so loading it
 * reports the error), else the first default candidate that exists, else undefined.
 */
export async function findConfigFile(explicit: string | undefined, cwd: string): Promise<string | undefined> {
  if (explicit !== undefined) return resolve(cwd, explicit);
  for (const candidate of configCandidates(cwd)) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // not there; try the next one
    }
  }
  return undefined;
}
