/**
 * The database the poller writes to, found the way the poller finds it: `--config FILE`, else
 * power_consumption.ini in the directory the command was run from, else the one in the
 * repository root; DATABASE_URL overrides its [database] url, and with neither the embedded
 * PostgreSQL in <data_dir>/postgres is used.
 */

import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG_PATH, databaseTarget, loadConfig, openDatabase } from '@b-route/poller';
import { GraphError } from '../errors.js';
import type { Connect } from './run.js';

/** The repository root (this file is packages/graph/src/cli/). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `explicit` resolved against `cwd`, else the first default file that exists, else undefined. */
export async function findConfigFile(explicit: string | undefined, cwd: string): Promise<string | undefined> {
  if (explicit !== undefined) return resolve(cwd, explicit);
  for (const candidate of new Set([
    resolve(cwd, DEFAULT_CONFIG_PATH),
    join(REPO_ROOT, DEFAULT_CONFIG_PATH),
  ])) {
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    ) {
      return candidate;
    }
  }
  return undefined;
}

export const connectFromSettings: Connect = async ({ configPath, env, cwd }) => {
  const path = await findConfigFile(configPath, cwd);
  let database: Awaited<ReturnType<typeof loadConfig>>['config']['database'];
  try {
    database = (await loadConfig({ ...(path === undefined ? {} : { path }), env, cwd })).config.database;
  } catch (e) {
    throw new GraphError('config.invalid', (e as Error).message, { cause: e });
  }
  const target = databaseTarget(database);
  // Drawing a chart should not create a database: without a cluster there is nothing to draw.
  if (
    'embedded' in target &&
    target.embedded.dir &&
    !existsSync(join(target.embedded.dir, 'pgdata', 'PG_VERSION'))
  ) {
    throw new GraphError(
      'db.unreachable',
      `no database: the embedded PostgreSQL in ${target.embedded.dir} has not been created yet (start the poller first) and no [database] url or DATABASE_URL is set`,
    );
  }
  const handle = await openDatabase({ ...target, maxConnections: 4 });
  return { db: handle.db, close: () => handle.close() };
};
