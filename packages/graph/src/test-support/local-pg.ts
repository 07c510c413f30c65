/**
 * A throw-away PostgreSQL server for this package's tests: initdb into a temporary directory,
 * listen on a Unix socket only, apply migrations/init.sql, remove everything on stop.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../db-types.js';

const BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find(
  (d) => existsSync(join(d, 'initdb')),
);
const INIT_SQL = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../migrations/init.sql');

export interface LocalPg {
  readonly url: string;
  readonly db: Kysely<Database>;
  stop(): Promise<void>;
}

function asPostgres(cmd: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const r = root
    ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
    : spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
}

export async function startLocalPg(): Promise<LocalPg> {
  if (!BIN) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'graph-pg-'));
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  asPostgres(join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = String(20000 + Math.floor(Math.random() * 20000));
  asPostgres(join(BIN, 'pg_ctl'), [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  const url = `postgresql://postgres@localhost:${port}/postgres?host=${encodeURIComponent(dir)}`;
  const pool = new pg.Pool({ host: dir, port: Number(port), user: 'postgres', database: 'postgres', max: 4 });
  await pool.query(readFileSync(INIT_SQL, 'utf8'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    url,
    db,
    async stop() {
      await db.destroy();
      asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
