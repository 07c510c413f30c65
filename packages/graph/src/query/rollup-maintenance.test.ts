/**
 * The rollups (migrations/init.sql, schema `rollup`) against a GROUP BY over the sample tables,
 * after every way rows arrive or leave: the poller's batched writer with duplicates, INSERT …
 * ON CONFLICT DO NOTHING by hand, UPDATE, DELETE, TRUNCATE, concurrent transactions, and
 * init.sql applied by psql to an empty database and again to one holding samples.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MIGRATIONS_DIR, StoreWriter, withoutPsqlMetaCommands } from '@b-route/store';
import { createTestDatabase, type TestDatabase, withTestDatabase } from '@b-route/store/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db-types.js';
import { jstMidnight } from '../time.js';
import { BUCKET_ORIGIN_MS } from './bucket.js';
import { BME280_ROLLUP, CO2_ROLLUP, CPU_ROLLUP, POWER_ROLLUP, type RollupSource } from './rollup.js';

const PSQL = '/usr/bin/psql';
const METER = '001C6400601421A3';
const OTHER = '00000000DEADBEEF';
const day = jstMidnight('2024-06-01').getTime();
const SOURCES: readonly RollupSource[] = [POWER_ROLLUP, CPU_ROLLUP, CO2_ROLLUP, BME280_ROLLUP];

/**
 * Rollup rows that differ from the samples' own aggregate per 5 minutes and per hour (both
 * ways: missing, extra, or different counts, sums, minima and maxima). Float sums are compared
 * with a relative tolerance: the rollup adds them in a different order.
 */
async function mismatches(db: Kysely<Database>, source: RollupSource): Promise<unknown[]> {
  const key = sql.ref(source.key);
  const cols = Object.entries(source.columns);
  const rawAggs = cols.flatMap(([c, spec]) => [
    sql`count(${sql.ref(c)}) AS ${sql.ref(`${c}_n`)}`,
    sql`coalesce(sum(${sql.ref(c)}::float8), 0) AS ${sql.ref(`${c}_sum`)}`,
    ...(spec.minMax
      ? [
          sql`min(${sql.ref(c)})::float8 AS ${sql.ref(`${c}_min`)}`,
          sql`max(${sql.ref(c)})::float8 AS ${sql.ref(`${c}_max`)}`,
        ]
      : []),
  ]);
  const differs = cols.flatMap(([c, spec]) => {
    const raw = (s: string) => sql.ref(`raw.${c}_${s}`);
    const r = (s: string) => sql.ref(`r.${c}_${s}`);
    return [
      sql`${raw('n')} IS DISTINCT FROM ${spec.nullable ? r('n') : sql.ref('r.n')}`,
      sql`NOT (abs(${raw('sum')} - ${r('sum')}::float8) <= 1e-9 * greatest(1, abs(${raw('sum')})))`,
      ...(spec.minMax
        ? [
            sql`${raw('min')} IS DISTINCT FROM ${r('min')}::float8`,
            sql`${raw('max')} IS DISTINCT FROM ${r('max')}::float8`,
          ]
        : []),
    ];
  });
  const origin = new Date(BUCKET_ORIGIN_MS).toISOString();
  const { rows } = await sql`
    WITH raw AS (
      SELECT ${key}, w.width_s, date_bin(make_interval(secs => w.width_s), time, ${origin}::timestamptz) AS bucket,
             count(*) AS n, ${sql.join(rawAggs)}
      FROM ${sql.table(source.table)} CROSS JOIN (VALUES (300), (3600)) AS w(width_s)
      GROUP BY 1, 2, 3)
    SELECT ${key}, width_s, bucket, raw.n AS raw_n, r.n AS rollup_n
    FROM raw FULL JOIN ${sql.table(`rollup.${source.table}`)} AS r USING (${key}, width_s, bucket)
    WHERE raw.n IS DISTINCT FROM r.n OR ${sql.join(differs, sql` OR `)}
    ORDER BY 1, 2, 3
    LIMIT 5`.execute(db);
  return rows;
}

async function rollupRows(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM ${sql.table(`rollup.${table}`)}`.execute(db);
  return rows[0]!.n;
}

async function sampleCount(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
  return rows[0]!.n;
}

/** Rows like the poller's: 10-second power with NULLs now and then, sensors every minute. */
function* powerRows(meter: string, from: number, count: number, stepMs = 10_000) {
  for (let i = 0; i < count; i++) {
    yield {
      meter,
      time: new Date(from + i * stepMs),
      power_w: i % 17 === 5 ? null : ((i * 37) % 2400) - 600,
      current_r_a: i % 13 === 0 ? null : ((i * 7) % 150) / 10,
      current_t_a: i % 11 === 0 ? null : ((i * 3) % 90) / 10 + 0.05,
    };
  }
}

async function backendPid(client: {
  query(q: string): Promise<{ rows: Array<{ pid: number }> }>;
}): Promise<number> {
  return (await client.query('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

/** Resolves once the backend `pid` waits for a lock another transaction holds. */
async function blockedOnLock(pid: number): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ waiting: boolean }>`
      SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = ${pid}`.execute(pg.db);
    if (rows[0]?.waiting) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

let pg: TestDatabase;

beforeAll(async () => {
  pg = await createTestDatabase();
});

afterAll(async () => {
  await pg?.close();
});

beforeEach(async () => {
  await sql`TRUNCATE power_sample, cpu_temperature, co2_sample, bme280_sample`.execute(pg.db);
});

describe('rollups kept by the database', () => {
  it('match the samples after the batched writer stored them, duplicates and all', async () => {
    const writer = new StoreWriter({ db: pg.db, maxBatch: 250, flushIntervalMs: 60_000 });
    // Three hours of two meters, then the first 40 minutes again (a replayed spool) and 150
    // minutes from 00:50 with other values: the 130 minutes that overlap must neither replace
    // nor add to what is stored, the 20 after the third hour are new.
    for (const r of powerRows(METER, day, 1080)) writer.add('power_sample', r);
    for (const r of powerRows(OTHER, day + 5_000, 1080)) writer.add('power_sample', r);
    await writer.flush();
    for (const r of powerRows(METER, day, 240)) writer.add('power_sample', r);
    for (const r of powerRows(METER, day + 3_000_000, 900))
      writer.add('power_sample', { ...r, power_w: 99_999 });
    for (let i = 0; i < 400; i++) {
      const time = new Date(day + i * 60_000 + 7_000);
      writer.add('cpu_temperature', { sensor: i % 2 ? 'pi-a' : 'pi-b', time, celsius: 40 + (i % 23) / 4 });
      writer.add('co2_sample', {
        sensor: '/dev/serial0',
        time,
        ppm: 400 + i,
        temperature_c: i % 5 ? 21 + i / 100 : null,
      });
      writer.add('bme280_sample', {
        sensor: 'i2c-1:0x76',
        time,
        temperature_c: 20 + Math.sin(i / 30),
        pressure_hpa: 1013 + i / 1000,
        humidity_pct: 50 + Math.cos(i / 30),
      });
    }
    for (let i = 0; i < 100; i++) {
      const time = new Date(day + i * 60_000 + 7_000);
      writer.add('cpu_temperature', { sensor: i % 2 ? 'pi-a' : 'pi-b', time, celsius: -99 });
    }
    await writer.close();
    expect(writer.stats.rejected).toBe(0);

    expect(await sampleCount(pg.db, 'power_sample')).toBe(1080 + 1080 + 120);
    const { rows } = await sql<{ n: number; max: number }>`
      SELECT sum(n)::int AS n, max(power_w_max) AS max FROM rollup.power_sample WHERE width_s = 3600`.execute(
      pg.db,
    );
    expect(rows[0]).toEqual({ n: 2280, max: 99_999 });
    for (const source of SOURCES) {
      expect(await rollupRows(pg.db, source.table), source.table).toBeGreaterThan(0);
      expect(await mismatches(pg.db, source), source.table).toEqual([]);
    }
  });

  it('count only the rows an INSERT … ON CONFLICT DO NOTHING actually inserted', async () => {
    const insert = (from: number, count: number, power: number) =>
      sql`
      INSERT INTO power_sample (meter, time, power_w)
      SELECT ${METER}, ${new Date(from).toISOString()}::timestamptz + n * interval '10 seconds', ${power}
      FROM generate_series(0, ${count - 1}) AS n
      ON CONFLICT DO NOTHING`.execute(pg.db);
    expect(Number((await insert(day, 360, 100)).numAffectedRows)).toBe(360);
    // All duplicates: the statement's transition table is empty.
    expect(Number((await insert(day, 360, 5000)).numAffectedRows)).toBe(0);
    // Half duplicates, half new.
    expect(Number((await insert(day + 1_800_000, 360, 300)).numAffectedRows)).toBe(180);
    // A key twice in one statement: the second is skipped like any conflict.
    await sql`INSERT INTO power_sample (meter, time, power_w)
      VALUES (${METER}, ${new Date(day + 7_200_000).toISOString()}, 1), (${METER}, ${new Date(day + 7_200_000).toISOString()}, 2)
      ON CONFLICT DO NOTHING`.execute(pg.db);
    const { rows } = await sql<{ width_s: number; n: number; sum: number; max: number }>`
      SELECT width_s, sum(n)::int AS n, sum(power_w_sum)::int AS sum, max(power_w_max) AS max
      FROM rollup.power_sample GROUP BY width_s ORDER BY width_s`.execute(pg.db);
    const expected = { n: 541, sum: 360 * 100 + 180 * 300 + 1, max: 300 };
    expect(rows).toEqual([
      { width_s: 300, ...expected },
      { width_s: 3600, ...expected },
    ]);
    expect(await mismatches(pg.db, POWER_ROLLUP)).toEqual([]);
  });

  it('recount the hours an UPDATE or DELETE touched, minima and maxima included', async () => {
    const writer = new StoreWriter({ db: pg.db, maxBatch: 1000 });
    for (const r of powerRows(METER, day, 2160)) writer.add('power_sample', r);
    for (let i = 0; i < 360; i++) {
      writer.add('co2_sample', {
        sensor: 'co2',
        time: new Date(day + i * 60_000),
        ppm: 400 + i,
        temperature_c: 20,
      });
    }
    await writer.close();
    const t = (ms: number) => new Date(day + ms).toISOString();
    // The hour's maximum and a 5-minute bucket's minimum leave; a value changes; a NULL appears.
    await sql`UPDATE power_sample SET power_w = 5000 WHERE time = ${t(3_600_000)}`.execute(pg.db);
    await sql`UPDATE power_sample SET power_w = NULL, current_r_a = 99 WHERE time = ${t(3_610_000)}`.execute(
      pg.db,
    );
    await sql`DELETE FROM power_sample WHERE power_w = 5000`.execute(pg.db);
    await sql`DELETE FROM power_sample WHERE time >= ${t(600_000)} AND time < ${t(900_000)}`.execute(pg.db);
    // A row moved to another meter and another hour.
    await sql`UPDATE power_sample SET meter = ${OTHER}, time = time + interval '1 day' WHERE time = ${t(1_000_000)}`.execute(
      pg.db,
    );
    // A whole hour emptied: its rollup rows go.
    await sql`DELETE FROM power_sample WHERE time >= ${t(2 * 3_600_000)} AND time < ${t(3 * 3_600_000)}`.execute(
      pg.db,
    );
    await sql`DELETE FROM co2_sample WHERE ppm = (SELECT max(ppm) FROM co2_sample)`.execute(pg.db);
    await sql`UPDATE co2_sample SET temperature_c = NULL WHERE ppm < 420`.execute(pg.db);
    expect(await mismatches(pg.db, POWER_ROLLUP)).toEqual([]);
    expect(await mismatches(pg.db, CO2_ROLLUP)).toEqual([]);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM rollup.power_sample WHERE bucket >= ${t(2 * 3_600_000)} AND bucket < ${t(3 * 3_600_000)}`.execute(
      pg.db,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('empty with TRUNCATE', async () => {
    await sql`INSERT INTO cpu_temperature VALUES ('pi', now(), 50)`.execute(pg.db);
    expect(await rollupRows(pg.db, 'cpu_temperature')).toBe(2);
    await sql`TRUNCATE cpu_temperature`.execute(pg.db);
    expect(await rollupRows(pg.db, 'cpu_temperature')).toBe(0);
  });

  it('add up inserts of concurrent transactions into the same buckets', async () => {
    const first = await pg.pool.connect();
    const second = await pg.pool.connect();
    const insert = (c: typeof first, offsetS: number) =>
      c.query(
        `INSERT INTO power_sample (meter, time, power_w)
         SELECT $1, $2::timestamptz + (n * 20 + $3) * interval '1 second', n + $3 FROM generate_series(0, 89) AS n`,
        [METER, new Date(day).toISOString(), offsetS],
      );
    try {
      await first.query('BEGIN');
      await insert(first, 0);
      // The second writes into the same (still uncommitted) buckets and waits for the first.
      const secondPid = await backendPid(second);
      const writing = insert(second, 10);
      await blockedOnLock(secondPid);
      await first.query('COMMIT');
      await writing;
    } finally {
      first.release();
      second.release();
    }
    expect(await sampleCount(pg.db, 'power_sample')).toBe(180);
    expect(await mismatches(pg.db, POWER_ROLLUP)).toEqual([]);
  });

  it('recount a DELETE after a concurrent insert into the same hour has committed', async () => {
    await sql`INSERT INTO power_sample (meter, time, power_w)
      SELECT ${METER}, ${new Date(day).toISOString()}::timestamptz + n * interval '10 seconds', 1
      FROM generate_series(0, 99) AS n`.execute(pg.db);
    const inserter = await pg.pool.connect();
    const deleter = await pg.pool.connect();
    try {
      await inserter.query('BEGIN');
      // Into the same hour, and a 5-minute bucket that has no rollup row yet.
      await inserter.query(
        `INSERT INTO power_sample (meter, time, power_w) VALUES ($1, $2::timestamptz + interval '30 minutes', 7)`,
        [METER, new Date(day).toISOString()],
      );
      // The delete's recount waits for the inserting transaction to end, then counts its row.
      const deleterPid = await backendPid(deleter);
      const deleting = deleter.query('DELETE FROM power_sample WHERE time = $1', [
        new Date(day + 10_000).toISOString(),
      ]);
      await blockedOnLock(deleterPid);
      await inserter.query('COMMIT');
      await deleting;
    } finally {
      inserter.release();
      deleter.release();
    }
    expect(await sampleCount(pg.db, 'power_sample')).toBe(100);
    expect(await mismatches(pg.db, POWER_ROLLUP)).toEqual([]);
  });

  it('are counted once from existing samples when init.sql runs again, and not again after', async () => {
    await sql`INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
      SELECT 's', ${new Date(day).toISOString()}::timestamptz + n * interval '1 minute', n / 10.0, 1000 + n, 50
      FROM generate_series(0, 299) AS n`.execute(pg.db);
    // As if the rollup had been created after these samples were stored.
    await sql`TRUNCATE rollup.bme280_sample`.execute(pg.db);
    const init = await readFile(join(DEFAULT_MIGRATIONS_DIR, 'init.sql'), 'utf8');
    await sql.raw(withoutPsqlMetaCommands(init)).execute(pg.db);
    expect(await mismatches(pg.db, BME280_ROLLUP)).toEqual([]);
    await sql.raw(withoutPsqlMetaCommands(init)).execute(pg.db);
    expect(await mismatches(pg.db, BME280_ROLLUP)).toEqual([]);
    expect(await rollupRows(pg.db, 'bme280_sample')).toBe(60 + 5);
  });
});

describe.skipIf(!existsSync(PSQL))('init.sql through psql', () => {
  it('creates working rollups on an empty database, twice without error', async () => {
    await withTestDatabase(
      async (t) => {
        const run = promisify(execFile);
        for (let i = 0; i < 2; i++) {
          await run(PSQL, [
            '-v',
            'ON_ERROR_STOP=1',
            '-q',
            '-X',
            '-1',
            '-f',
            join(DEFAULT_MIGRATIONS_DIR, 'init.sql'),
            t.url,
          ]);
        }
        await run(PSQL, [
          '-v',
          'ON_ERROR_STOP=1',
          '-q',
          '-X',
          '-c',
          `INSERT INTO power_sample (meter, time, power_w) SELECT '${METER}', '2024-06-01T00:00+09'::timestamptz + n * interval '10 seconds', n FROM generate_series(0, 719) n`,
          t.url,
        ]);
        expect(await mismatches(t.db, POWER_ROLLUP)).toEqual([]);
        expect(await rollupRows(t.db, 'power_sample')).toBe(24 + 2);
      },
      { migrate: false },
    );
  });
});
