import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatabaseConfig } from './database-config.js';
import { libpqToUrl } from './legacy-database.js';

describe('[routeB] db_url of the original power-consumption', () => {
  it('the graph commands read it as [database] url, other [routeB] keys ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'legacy-db-'));
    const path = join(dir, 'power_consumption.ini');
    await writeFile(
      path,
      '[routeB]\ndevice = /dev/ttyUSB0\ntimeout = 5\ndb_url = postgres://pi@localhost/power\n',
    );
    expect((await loadDatabaseConfig({ path, env: {} })).url).toBe('postgres://pi@localhost/power');
  });

  it('turns libpq key=value strings into URLs', () => {
    expect(libpqToUrl('postgres://x/y')).toBe('postgres://x/y');
    expect(libpqToUrl('dbname=power')).toBe('postgresql://localhost/power');
    expect(libpqToUrl('host=/var/run/postgresql dbname=power user=pi')).toBe(
      'postgresql://pi@localhost/power?host=%2Fvar%2Frun%2Fpostgresql',
    );
    expect(libpqToUrl('host=db sslmode=require dbname=p')).toBe('postgresql://db/p?sslmode=require');
  });
});
