/**
 * How the [database] section maps onto the store: a URL, or the embedded PostgreSQL in
 * <data_dir>/postgres; the spool in <data_dir>/spool. Both the poller and the graph commands
 * open the store through this, so they meet the same database.
 */
import { join } from 'node:path';
import type { DatabaseTarget } from '../store/db.js';
import type { SpoolOptions } from '../store/spool.js';
import type { PollerConfig } from './load-config.js';

export function databaseTarget(database: PollerConfig['database']): DatabaseTarget {
  if (database.url !== undefined) return { url: database.url };
  return { embedded: { dir: join(database.dataDir, 'postgres'), port: database.embeddedPort } };
}

export function spoolOptions(database: PollerConfig['database']): Pick<SpoolOptions, 'dir' | 'maxBytes'> {
  return { dir: join(database.dataDir, 'spool'), maxBytes: database.spoolMaxMb * 1024 * 1024 };
}
