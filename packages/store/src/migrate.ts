/**
 * Applies `migrations/init.sql` (schema version 1) and then every `migrations/NNN_name.sql`
 * (NNN ≥ 002) not yet recorded in schema_migrations, each in its own transaction, under a
 * session advisory lock so two processes starting together apply each file once.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { isConnectionError } from './db.js';
import { type StoreLogger, silentLogger } from './logger.js';
import type { Database } from './schema.js';
import { StoreError } from './store-error.js';

/** `migrations/` of this package (this file is packages/store/{src,dist}/; the repository root links it). */
export const DEFAULT_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

/** Any constant shared by every process of this project ('brout' in ASCII). */
const MIGRATION_LOCK_KEY = 0x62_72_6f_75_74;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
}

export interface MigrateOptions {
  /** Directory of init.sql and NNN_name.sql files; default `DEFAULT_MIGRATIONS_DIR`. */
  readonly dir?: string;
  readonly logger?: StoreLogger;
}

export interface MigrateResult {
  /** Versions applied by this call, in order (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The highest version recorded after this call. */
  readonly version: number;
}

/**
 * Brings the schema up to date. Idempotent; concurrent calls serialise on an advisory lock.
 * @throws StoreError 'store.migration' naming the file that failed (its transaction is rolled
 *   back, earlier files stay applied), or a 'store.unreachable' error when the server is down.
 */
export async function migrate(
  target: Kysely<Database> | pg.Pool,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const logger = options.logger ?? silentLogger;
  const migrations = await listMigrations(options.dir ?? DEFAULT_MIGRATIONS_DIR);
  // A pool handed in is wrapped without taking ownership: we never destroy this Kysely.
  const db =
    target instanceof Kysely
      ? target
      : new Kysely<Database>({ dialect: new PostgresDialect({ pool: target }) });
  try {
    return await applyLocked(db, migrations, logger);
  } catch (e) {
    if (isConnectionError(e)) {
      throw new StoreError(
        'store.unreachable',
        `cannot reach PostgreSQL to migrate the schema: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
}

function applyLocked(
  db: Kysely<Database>,
  migrations: readonly Migration[],
  logger: StoreLogger,
): Promise<MigrateResult> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
        conn,
      );
      const done = new Set(
        (await conn.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
      );
      const applied: number[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        const text = await readFile(m.file, 'utf8');
        logger.info({ version: m.version, name: m.name }, 'applying schema migration');
        try {
          await sql`BEGIN`.execute(conn);
          await sql.raw(withoutPsqlMetaCommands(text)).execute(conn);
          await sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name}) ON CONFLICT (version) DO NOTHING`.execute(
            conn,
          );
          await sql`COMMIT`.execute(conn);
        } catch (e) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw new StoreError('store.migration', `migration ${m.file} failed: ${(e as Error).message}`, {
            context: { version: m.version, file: m.file },
            cause: e,
          });
        }
        applied.push(m.version);
        done.add(m.version);
      }
      return { applied, version: Math.max(0, ...done) };
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`
        .execute(conn)
        .catch(() => undefined);
    }
  });
}

/**
 * The SQL of a migration file without its psql meta-commands (`\set ON_ERROR_STOP on`, lines
 * starting with a backslash), which only psql understands; each becomes an empty comment so line
 * numbers in server errors stay right.
 */
export function withoutPsqlMetaCommands(text: string): string {
  return text.replace(/^[ \t]*\\.*$/gm, '--');
}

const NUMBERED = /^(\d{3,})_([a-z0-9][a-z0-9_-]*)\.sql$/;

/**
 * The migrations of `dir` in the order they apply: init.sql as version 1, then NNN_name.sql.
 * @throws StoreError 'store.migration' when init.sql is missing, a .sql file is misnamed, or two
 *   files share a version.
 */
export async function listMigrations(dir: string): Promise<Migration[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new StoreError('store.migration', `cannot read the migrations directory ${dir}`, { cause: e });
  }
  if (!names.includes('init.sql')) throw new StoreError('store.migration', `${dir} has no init.sql`);
  const list: Migration[] = [{ version: 1, name: 'init', file: join(dir, 'init.sql') }];
  for (const name of names.sort()) {
    if (!name.endsWith('.sql') || name === 'init.sql') continue;
    const m = NUMBERED.exec(name);
    const version = m ? Number.parseInt(m[1]!, 10) : Number.NaN;
    if (!m || version < 2) {
      throw new StoreError(
        'store.migration',
        `${join(dir, name)}: migrations are named NNN_name.sql with NNN ≥ 002`,
      );
    }
    if (list.some((x) => x.version === version)) {
      throw new StoreError('store.migration', `${dir}: two migrations have version ${version}`);
    }
    list.push({ version, name: m[2]!, file: join(dir, name) });
  }
  return list.sort((a, b) => a.version - b.version);
}
