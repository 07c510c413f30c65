import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.js';
import { type DatabaseConfig, databaseTarget, loadDatabaseConfig, spoolOptions } from './database-config.js';

async function database(text: string, env: Record<string, string> = {}): Promise<DatabaseConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'db-config-'));
  const path = join(dir, 'power_consumption.ini');
  await writeFile(path, text);
  return loadDatabaseConfig({ path, env });
}

describe('store options from [database]', () => {
  it('uses the embedded PostgreSQL under data_dir when no URL is set', async () => {
    const db = await database('[database]\nembedded_port = 55000\ndata_dir = /srv/power/data');
    expect(databaseTarget(db)).toEqual({ embedded: { dir: '/srv/power/data/postgres', port: 55_000 } });
  });

  it('takes a relative data_dir from the file’s directory', async () => {
    const db = await database('[database]\ndata_dir = state');
    expect(db.dataDir.endsWith('/state')).toBe(true);
    expect(db.dataDir.startsWith(tmpdir())).toBe(true);
  });

  it('uses the URL from the file or DATABASE_URL', async () => {
    expect(databaseTarget(await database('[database]\nurl = postgres://h/db'))).toEqual({
      url: 'postgres://h/db',
    });
    expect(databaseTarget(await database('', { DATABASE_URL: 'postgres://env/db' }))).toEqual({
      url: 'postgres://env/db',
    });
  });

  it('puts the spool in data_dir/spool, bounded by spool_max_mb', async () => {
    expect(spoolOptions(await database('[database]\ndata_dir = /var/lib/power\nspool_max_mb = 2'))).toEqual({
      dir: '/var/lib/power/spool',
      maxBytes: 2 * 1024 * 1024,
    });
  });

  it('leaves the poller’s sections to the poller, but checks its own keys', async () => {
    const db = await database('[routeB]\nnot_a_key = 1\n[database]\nembedded_port = 55001');
    expect(db.embeddedPort).toBe(55_001);
    const error = await database('[database]\nembeded_port = 1').catch((e: unknown) => e);
    expect(isConfigError(error, 'config.unknown-key')).toBe(true);
    expect((error as Error).message).toContain('did you mean embedded_port?');
  });
});
