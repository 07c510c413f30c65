/**
 * Real PostgreSQL for tests. One embedded server per test run (cluster under
 * `<repo>/data/test-postgres`, port 54339 or $TEST_PG_PORT), shared by every test file and
 * worker process; each caller gets its own fresh database (`test_<pid>_<random>`), dropped again
 * by `close()`.
 *
 * Server lifetime: every process using it registers under `clients/<pid>`. The server stops
 * when the last live client releases it: the vitest global setup (`test-global-setup.ts`) is
 * one for the whole run, so the server stays up until the run ends; without it, the last test
 * database closed in the last running file stops it.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../db.js';
import { type EmbeddedServer, startEmbedded, stopEmbedded } from '../embedded.js';
import { isAlive, withFileLock } from '../file-lock.js';
import { migrate } from '../migrate.js';

/** Cluster directory of the shared test server. */
export const TEST_PG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../data/test-postgres');
/** Port of the shared test server (distinct from the embedded default 54329). */
export const TEST_PG_PORT = Number(process.env.TEST_PG_PORT ?? 54339);

export interface TestDatabase extends DatabaseHandle {
  /** Name of this test's database. */
  readonly name: string;
  /** Connection URL of this test's database (holds the test server's password). */
  readonly url: string;
  /** The shared server, e.g. `server.urlFor('postgres')` for admin work. */
  readonly server: EmbeddedServer;
  /** Closes the pool, drops the database and releases the server. Idempotent. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply migrations/ before returning; default true. */
  readonly migrate?: boolean;
}

let server: Promise<EmbeddedServer> | undefined;
let users = 0;

/** Registers this process as a client of the shared test server and starts it if needed. */
export async function acquireTestServer(): Promise<EmbeddedServer> {
  users += 1;
  server ??= withClients(async () => {
    await writeFile(join(TEST_PG_DIR, 'clients', String(process.pid)), '');
    return startEmbedded({
      dir: TEST_PG_DIR,
      port: TEST_PG_PORT,
      database: 'postgres',
      // Test data is thrown away: skip the disk flushes that make small commits slow.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
  }).catch((e: unknown) => {
    server = undefined;
    throw e;
  });
  try {
    return await server;
  } catch (e) {
    users -= 1;
    throw e;
  }
}

/** Undoes one `acquireTestServer()`; the last release of the last live process stops the server. */
export async function releaseTestServer(): Promise<void> {
  users -= 1;
  if (users > 0 || !server) return;
  server = undefined;
  await withClients(async () => {
    await rm(join(TEST_PG_DIR, 'clients', String(process.pid)), { force: true });
    const others = (await readdir(join(TEST_PG_DIR, 'clients'))).map(Number).filter((pid) => {
      if (isAlive(pid)) return true;
      void rm(join(TEST_PG_DIR, 'clients', String(pid)), { force: true });
      return false;
    });
    if (others.length === 0) await stopEmbedded({ dir: TEST_PG_DIR });
  });
}

/** A fresh, migrated (unless `migrate: false`) database on the shared test server. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const srv = await acquireTestServer();
  const name = `test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  try {
    await admin(srv, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = srv.urlFor(name);
    const handle = await openDatabase({ url, maxConnections: 8 });
    if (options.migrate ?? true) await migrate(handle.db);
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        await handle.close();
        await admin(srv, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        await releaseTestServer();
      })();
      return closing;
    };
    return { ...handle, name, url, server: srv, close };
  } catch (e) {
    await releaseTestServer();
    throw e;
  }
}

/** Runs `fn` with a fresh test database and drops it afterwards, whatever `fn` does. */
export async function withTestDatabase<T>(
  fn: (t: TestDatabase) => Promise<T>,
  options: TestDatabaseOptions = {},
): Promise<T> {
  const t = await createTestDatabase(options);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

async function withClients<T>(fn: () => Promise<T>): Promise<T> {
  await mkdir(join(TEST_PG_DIR, 'clients'), { recursive: true });
  return withFileLock(join(TEST_PG_DIR, '.clients.lock'), fn);
}

async function admin(srv: EmbeddedServer, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: srv.urlFor('postgres') });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
