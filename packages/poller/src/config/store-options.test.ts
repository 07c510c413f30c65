import { describe, expect, it } from 'vitest';
import { configFromIni } from './load-config.js';
import { databaseTarget, spoolOptions } from './store-options.js';

const database = (text: string, env: Record<string, string> = {}) =>
  configFromIni(text, { env, baseDir: '/srv/power' }).config.database;

describe('store options from [database]', () => {
  it('uses the embedded PostgreSQL under data_dir when no URL is set', () => {
    expect(databaseTarget(database('[database]\nembedded_port = 55000'))).toEqual({
      embedded: { dir: '/srv/power/data/postgres', port: 55_000 },
    });
  });

  it('uses the URL from the file or DATABASE_URL', () => {
    expect(databaseTarget(database('[database]\nurl = postgres://h/db'))).toEqual({ url: 'postgres://h/db' });
    expect(databaseTarget(database('', { DATABASE_URL: 'postgres://env/db' }))).toEqual({
      url: 'postgres://env/db',
    });
  });

  it('puts the spool in data_dir/spool, bounded by spool_max_mb', () => {
    expect(spoolOptions(database('[database]\ndata_dir = /var/lib/power\nspool_max_mb = 2'))).toEqual({
      dir: '/var/lib/power/spool',
      maxBytes: 2 * 1024 * 1024,
    });
  });
});
