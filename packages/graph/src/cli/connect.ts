/**
 * The database the poller writes to, found the way the poller finds it: `--config FILE`, else
 * power_consumption.ini in the directory the command was run from, else the one in the
 * repository root; DATABASE_URL overrides its [database] url, and with neither the embedded
 * PostgreSQL in <data_dir>/postgres is used.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { databaseTarget, findConfigFile, loadDatabaseConfig, openDatabase } from '@b-route/store';
import { GraphError } from '../errors.js';
import type { Connect } from './run.js';

export const connectFromSettings: Connect = async ({ configPath, env, cwd }) => {
  const path = await findConfigFile(configPath, cwd);
  let database: Awaited<ReturnType<typeof loadDatabaseConfig>>;
  try {
    database = await loadDatabaseConfig({ ...(path === undefined ? {} : { path }), env, cwd });
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
      `no data yet: nothing has been stored (the embedded PostgreSQL in ${target.embedded.dir} does not exist yet; start the poller first, or set [database] url or DATABASE_URL)`,
    );
  }
  const handle = await openDatabase({ ...target, maxConnections: 4 });
  return { db: handle.db, close: () => handle.close() };
};
