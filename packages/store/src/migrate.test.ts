import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, listMigrations, migrate } from './migrate.js';
import { isStoreError } from './store-error.js';
import { createTestDatabase, type TestDatabase, withTestDatabase } from './testing/test-db.js';

const PSQL = '/usr/bin/psql';
const hasPsql = existsSync(PSQL);
if (!hasPsql) console.warn(`SKIPPED: init.sql through psql (${PSQL} not installed)`);

/** Columns of /tmp/schema.md, in order: name, type as information_schema reports it, nullable. */
const EXPECTED: Record<string, [string, string, 'YES' | 'NO'][]> = {
  schema_migrations: [
    ['version', 'integer', 'NO'],
    ['name', 'text', 'NO'],
    ['applied_at', 'timestamp with time zone', 'NO'],
  ],
  meter: [
    ['meter', 'text', 'NO'],
    ['serial', 'text', 'YES'],
    ['manufacturer', 'text', 'YES'],
    ['coefficient', 'integer', 'NO'],
    ['unit_kwh', 'numeric', 'NO'],
    ['digits', 'smallint', 'YES'],
    ['first_seen', 'timestamp with time zone', 'NO'],
    ['last_seen', 'timestamp with time zone', 'NO'],
  ],
  power_sample: [
    ['meter', 'text', 'NO'],
    ['time', 'timestamp with time zone', 'NO'],
    ['power_w', 'integer', 'YES'],
    ['current_r_a', 'real', 'YES'],
    ['current_t_a', 'real', 'YES'],
  ],
  energy_reading: [
    ['meter', 'text', 'NO'],
    ['time', 'timestamp with time zone', 'NO'],
    ['normal_kwh', 'numeric', 'YES'],
    ['reverse_kwh', 'numeric', 'YES'],
    ['normal_count', 'bigint', 'YES'],
    ['reverse_count', 'bigint', 'YES'],
    ['coefficient', 'integer', 'NO'],
    ['unit_kwh', 'numeric', 'NO'],
  ],
  energy_interval: [
    ['meter', 'text', 'NO'],
    ['direction', 'text', 'NO'],
    ['slot', 'timestamp with time zone', 'NO'],
    ['kwh', 'numeric', 'NO'],
    ['count', 'bigint', 'NO'],
    ['source', 'text', 'NO'],
  ],
  cpu_temperature: [
    ['sensor', 'text', 'NO'],
    ['time', 'timestamp with time zone', 'NO'],
    ['celsius', 'real', 'NO'],
  ],
  co2_sample: [
    ['sensor', 'text', 'NO'],
    ['time', 'timestamp with time zone', 'NO'],
    ['ppm', 'integer', 'NO'],
    ['temperature_c', 'real', 'YES'],
  ],
  bme280_sample: [
    ['sensor', 'text', 'NO'],
    ['time', 'timestamp with time zone', 'NO'],
    ['temperature_c', 'double precision', 'NO'],
    ['pressure_hpa', 'double precision', 'NO'],
    ['humidity_pct', 'double precision', 'NO'],
  ],
  scan_log: [
    ['id', 'bigint', 'NO'],
    ['time', 'timestamp with time zone', 'NO'],
    ['channel', 'smallint', 'NO'],
    ['channel_page', 'smallint', 'NO'],
    ['pan_id', 'integer', 'NO'],
    ['address', 'text', 'NO'],
    ['lqi', 'smallint', 'NO'],
    ['pair_id', 'text', 'YES'],
    ['side', 'smallint', 'YES'],
  ],
};

async function columns(t: TestDatabase): Promise<Record<string, [string, string, string][]>> {
  const { rows } = await t.pool.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const out: Record<string, [string, string, string][]> = {};
  for (const r of rows) {
    out[r.table_name] ??= [];
    out[r.table_name]!.push([r.column_name, r.data_type, r.is_nullable]);
  }
  return out;
}

async function primaryKeys(t: TestDatabase): Promise<Record<string, string>> {
  const { rows } = await t.pool.query<{ table: string; cols: string }>(
    `SELECT c.conrelid::regclass::text AS table,
            string_agg(a.attname, ',' ORDER BY array_position(c.conkey, a.attnum)) AS cols
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.table, r.cols]));
}

describe('migrations/init.sql', () => {
  it.skipIf(!hasPsql)('applies with psql -f on an empty database, twice without error', async () => {
    await withTestDatabase(
      async (t) => {
        const run = promisify(execFile);
        for (let i = 0; i < 2; i++) {
          await run(PSQL, [
            '-v',
            'ON_ERROR_STOP=1',
            '-q',
            '-X',
            '-f',
            join(DEFAULT_MIGRATIONS_DIR, 'init.sql'),
            t.url,
          ]);
        }
        expect(await columns(t)).toEqual(EXPECTED);
        const { rows } = await t.pool.query('SELECT version, name FROM schema_migrations');
        expect(rows).toEqual([{ version: 1, name: 'init' }]);
        // migrate() sees version 1 recorded by psql and applies only the later numbered files.
        const later = (await listMigrations(DEFAULT_MIGRATIONS_DIR)).slice(1).map((m) => m.version);
        expect(await migrate(t.db)).toEqual({ applied: later, version: Math.max(1, ...later) });
      },
      { migrate: false },
    );
  });

  it.skipIf(!hasPsql)('init.sql and then every numbered file, with psql -f, record themselves', async () => {
    await withTestDatabase(
      async (t) => {
        const run = promisify(execFile);
        const files = (await listMigrations(DEFAULT_MIGRATIONS_DIR)).map((m) => m.file);
        for (let i = 0; i < 2; i++) {
          for (const f of files) await run(PSQL, ['-v', 'ON_ERROR_STOP=1', '-q', '-X', '-f', f, t.url]);
        }
        // public keeps exactly the agreed tables; additions live in schema extra.
        expect(await columns(t)).toEqual(EXPECTED);
        const all = (await listMigrations(DEFAULT_MIGRATIONS_DIR)).map((m) => m.version);
        expect(await migrate(t.db)).toEqual({ applied: [], version: Math.max(...all) });
        const { rows } = await t.pool.query(
          `SELECT column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_schema = 'extra' AND table_name = 'meter_fault' ORDER BY ordinal_position`,
        );
        expect(rows.map((r) => [r.column_name, r.data_type, r.is_nullable])).toEqual([
          ['meter', 'text', 'NO'],
          ['time', 'timestamp with time zone', 'NO'],
          ['fault', 'boolean', 'NO'],
        ]);
      },
      { migrate: false },
    );
  });

  it('creates exactly the agreed schema, keys and checks', async () => {
    await withTestDatabase(async (t) => {
      expect(await columns(t)).toEqual(EXPECTED);
      expect(await primaryKeys(t)).toEqual({
        schema_migrations: 'version',
        meter: 'meter',
        power_sample: 'meter,time',
        energy_reading: 'meter,time',
        energy_interval: 'meter,direction,slot',
        cpu_temperature: 'sensor,time',
        co2_sample: 'sensor,time',
        bme280_sample: 'sensor,time',
        scan_log: 'id',
      });
      const bad = (q: string) =>
        t.pool.query(q).then(
          () => 'accepted',
          (e: { code: string }) => e.code,
        );
      expect(await bad(`INSERT INTO energy_interval VALUES ('M', 'sideways', now(), 1, 1, 'poll')`)).toBe(
        '23514',
      );
      expect(await bad(`INSERT INTO energy_interval VALUES ('M', 'normal', now(), 1, 1, 'guess')`)).toBe(
        '23514',
      );
      const { rows } = await t.pool.query(
        `INSERT INTO meter (meter) VALUES ('001C6400601421A3') RETURNING coefficient, unit_kwh, first_seen, last_seen`,
      );
      expect(rows[0]).toMatchObject({ coefficient: 1, unit_kwh: 1 });
      expect(rows[0].first_seen).toBeInstanceOf(Date);
    });
  });

  it('indexes a one-day range over all meters or sensors', async () => {
    await withTestDatabase(async (t) => {
      await t.db.connection().execute(async (c) => {
        await sql`SET enable_seqscan = off`.execute(c);
        for (const table of [
          'power_sample',
          'cpu_temperature',
          'co2_sample',
          'bme280_sample',
          'energy_reading',
        ]) {
          const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT * FROM ${sql.table(table)}
            WHERE time >= '2025-01-01T00:00+09:00' AND time < '2025-01-02T00:00+09:00'`.execute(c);
          expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(`${table}_time_idx`);
        }
        const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT * FROM power_sample
          WHERE meter = 'M' AND time >= '2025-01-01T00:00+09:00' AND time < '2025-02-01T00:00+09:00'`.execute(
          c,
        );
        expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('power_sample_pkey');
      });
    });
  });
});

describe('migrate', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(() => t.close());

  it('applies init.sql once; a second run is a no-op', async () => {
    const all = (await listMigrations(DEFAULT_MIGRATIONS_DIR)).map((m) => m.version);
    expect(await migrate(t.db)).toEqual({ applied: all, version: Math.max(...all) });
    expect(await migrate(t.db)).toEqual({ applied: [], version: Math.max(...all) });
    const { rows } = await t.pool.query('SELECT count(*) AS n FROM schema_migrations');
    expect(rows[0].n).toBe(all.length);
  });

  it('applies each file once when two pools migrate at the same time', async () => {
    await withTestDatabase(
      async (fresh) => {
        const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
        try {
          await copyFile(join(DEFAULT_MIGRATIONS_DIR, 'init.sql'), join(dir, 'init.sql'));
          // Not idempotent on purpose: applied twice, it would fail (duplicate column).
          await writeFile(join(dir, '002_meter_note.sql'), 'ALTER TABLE meter ADD COLUMN note text;\n');
          const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: fresh.url, max: 2 }));
          try {
            const results = await Promise.all(pools.map((p) => migrate(p, { dir })));
            expect(results.map((r) => r.version)).toEqual([2, 2, 2]);
            expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2]);
          } finally {
            await Promise.all(pools.map((p) => p.end()));
          }
          const { rows } = await fresh.pool.query(
            'SELECT version, name FROM schema_migrations ORDER BY version',
          );
          expect(rows).toEqual([
            { version: 1, name: 'init' },
            { version: 2, name: 'meter_note' },
          ]);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      { migrate: false },
    );
  });

  it('rolls a failing migration back and names its file', async () => {
    await withTestDatabase(
      async (fresh) => {
        const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
        try {
          await copyFile(join(DEFAULT_MIGRATIONS_DIR, 'init.sql'), join(dir, 'init.sql'));
          await writeFile(
            join(dir, '002_half.sql'),
            'CREATE TABLE half_done (x int);\nSELECT no_such_function();\n',
          );
          const error = await migrate(fresh.db, { dir }).catch((e: unknown) => e);
          expect(isStoreError(error, 'store.migration')).toBe(true);
          expect((error as Error).message).toContain('002_half.sql');
          const { rows } = await fresh.pool.query(
            `SELECT (SELECT count(*) FROM schema_migrations) AS versions, to_regclass('half_done') AS half`,
          );
          expect(rows[0]).toEqual({ versions: 1, half: null });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      { migrate: false },
    );
  });
});

describe('listMigrations', () => {
  async function dirWith(files: string[]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    for (const f of files) await writeFile(join(dir, f), '');
    return dir;
  }

  it('orders init.sql first, then numbered files by number', async () => {
    const dir = await dirWith(['010_ten.sql', 'init.sql', '002_two.sql', 'README.md']);
    expect((await listMigrations(dir)).map((m) => [m.version, m.name])).toEqual([
      [1, 'init'],
      [2, 'two'],
      [10, 'ten'],
    ]);
  });

  it.each([
    [['002_two.sql'], 'has no init.sql'],
    [['init.sql', 'two.sql'], 'NNN_name.sql'],
    [['init.sql', '001_again.sql'], 'NNN ≥ 002'],
    [['init.sql', '002_a.sql', '002_b.sql'], 'two migrations have version 2'],
  ])('rejects %j', async (files, message) => {
    const dir = await dirWith(files);
    const error = await listMigrations(dir).catch((e: unknown) => e);
    expect(isStoreError(error, 'store.migration')).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});
