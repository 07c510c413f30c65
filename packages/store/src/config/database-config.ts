/**
 * The [database] section of power_consumption.ini and how it maps onto the store: a URL, or the
 * embedded PostgreSQL in <data_dir>/postgres; the spool in <data_dir>/spool. The poller and the
 * graph commands both open the store through this, so they meet the same database.
 */
import { dirname, join, resolve } from 'node:path';
import type { DatabaseTarget } from '../db.js';
import type { SpoolOptions } from '../spool.js';
import { integer, path, text } from './fields.js';
import { parseIni } from './ini.js';
import { translateLegacyDatabase } from './legacy-database.js';
import { maskUrlPassword } from './mask-url.js';
import { readConfigText, readSettings } from './settings.js';

function postgresUrl(raw: string) {
  return /^postgres(ql)?:\/\/\S+$/i.test(raw) ? { ok: true as const, value: raw } : { ok: false as const };
}

/** The keys of [database]. */
export const DATABASE_SECTION = {
  url: text(
    undefined,
    'a postgres:// or postgresql:// URL, or empty for the embedded PostgreSQL',
    postgresUrl,
    false,
    maskUrlPassword,
  ),
  data_dir: path('data', 'a directory path'),
  embedded_port: integer(54_329, 1024, 65_535, 'a TCP port from 1024 to 65535'),
  spool_max_mb: integer(64, 1, 100_000, 'an integer number of MiB from 1 to 100000'),
} as const;

/** DATABASE_URL overrides [database] url. */
export const DATABASE_ENV_OVERRIDES = { DATABASE_URL: ['database', 'url'] } as const;

export interface DatabaseConfig {
  /** Connection URL; undefined = the embedded PostgreSQL (DATABASE_URL overrides). */
  url: string | undefined;
  /** Absolute path; the embedded cluster lives in <dataDir>/postgres, the spool in <dataDir>/spool. */
  dataDir: string;
  /** Port of the embedded PostgreSQL on 127.0.0.1. Default 54329. */
  embeddedPort: number;
  /** Bound of the on-disk spool in MiB. Default 64. */
  spoolMaxMb: number;
}

export interface LoadDatabaseConfigOptions {
  /** The file to read; undefined = defaults and environment only. */
  readonly path?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Base of relative paths when there is no file; default process.cwd(). */
  readonly cwd?: string;
}

/**
 * [database] of a configuration file (other sections are left to the poller that owns them).
 * @throws ConfigError 'config.read', 'config.syntax', 'config.unknown-key', 'config.invalid'
 */
export async function loadDatabaseConfig(options: LoadDatabaseConfigOptions): Promise<DatabaseConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.path === undefined ? undefined : resolve(cwd, options.path);
  const source = file ?? 'config';
  // An old power_consumption.ini names the database in [routeB] db_url.
  const { doc } = translateLegacyDatabase(
    parseIni(file === undefined ? '' : await readConfigText(file), source),
    source,
  );
  const values = readSettings(
    doc,
    { database: DATABASE_SECTION },
    {
      env: options.env,
      envOverrides: DATABASE_ENV_OVERRIDES,
      baseDir: file === undefined ? cwd : dirname(file),
      source,
      otherSections: 'ignore',
    },
  );
  return values.database as unknown as DatabaseConfig;
}

export function databaseTarget(database: DatabaseConfig): DatabaseTarget {
  if (database.url !== undefined) return { url: database.url };
  return { embedded: { dir: join(database.dataDir, 'postgres'), port: database.embeddedPort } };
}

export function spoolOptions(database: DatabaseConfig): Pick<SpoolOptions, 'dir' | 'maxBytes'> {
  return { dir: join(database.dataDir, 'spool'), maxBytes: database.spoolMaxMb * 1024 * 1024 };
}
