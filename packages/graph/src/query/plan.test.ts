/**
 * The range queries must be served by an index, not by reading whole tables: a year of 10-second
 * samples is 3 million rows. The tables are seeded with enough rows (and ANALYZEd) for the
 * planner to prefer an index on its own for a one-day range; the planner is not forced.
 */

import { DAY_MS } from '@b-route/core';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { type Expression, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstMidnight } from '../time.js';
import { bucketedReadingsQuery, bucketedSamplesQuery, rawSamplesQuery } from './power.js';
import { serialQuery, tempQuery } from './temp.js';

const METER = '001C6400601421A3';
const first = jstMidnight('2024-05-01');
// 200,000 samples 10 s apart: about 23 days.
const ROWS = 200_000;
const day = { start: new Date(first.getTime() + 10 * DAY_MS), end: new Date(first.getTime() + 11 * DAY_MS) };

let pg: TestDatabase;

beforeAll(async () => {
  pg = await createTestDatabase();
  const f = first.toISOString();
  await sql`
    INSERT INTO power_sample (meter, time, power_w, current_r_a, current_t_a)
    SELECT ${METER}, ${f}::timestamptz + n * interval '10 seconds', (n % 3000)::int, 5, 5
    FROM generate_series(0, ${ROWS - 1}) AS n`.execute(pg.db);
  await sql`
    INSERT INTO cpu_temperature (sensor, time, celsius)
    SELECT 'pi', ${f}::timestamptz + n * interval '10 seconds', 40 + n % 10 FROM generate_series(0, ${ROWS - 1}) AS n`.execute(
    pg.db,
  );
  await sql`
    INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
    SELECT 'bme', ${f}::timestamptz + n * interval '10 seconds', 20, 1000, 50 FROM generate_series(0, ${ROWS - 1}) AS n`.execute(
    pg.db,
  );
  await sql`
    INSERT INTO energy_reading (meter, time, normal_kwh, reverse_kwh, coefficient, unit_kwh)
    SELECT ${METER}, ${f}::timestamptz + n * interval '5 minutes', 1000 + n * 0.01, 50, 1, 0.1
    FROM generate_series(0, ${Math.floor(ROWS / 30)}) AS n`.execute(pg.db);
  await sql`
    INSERT INTO extra.sensor_reading (sensor, name, time, value, unit)
    SELECT 'xbee', nm, ${f}::timestamptz + n * interval '10 seconds', n % 10, 'degC'
    FROM generate_series(0, ${ROWS / 2 - 1}) AS n, unnest(ARRAY['t', 'lux']) AS nm`.execute(pg.db);
  await sql`ANALYZE`.execute(pg.db);
});

afterAll(async () => {
  await pg?.close();
});

async function plan(query: Expression<unknown>): Promise<string> {
  const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(pg.db);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const INDEX_SCAN = /(Index Scan|Index Only Scan|Bitmap Index Scan)( Backward)? (using|on) (\w+)/;

function indexUsed(text: string): string | undefined {
  return INDEX_SCAN.exec(text)?.[4];
}

describe('range query plans on a seeded table (no planner settings changed)', () => {
  it('reads one meter-day of power through the (meter, time) key or the (time) index', async () => {
    const text = await plan(rawSamplesQuery(pg.db, day, METER));
    expect(text).not.toMatch(/Seq Scan/);
    expect(['power_sample_pkey', 'power_sample_time_idx']).toContain(indexUsed(text));
  });

  it('reads one day of power without a meter filter through the (time) index', async () => {
    const text = await plan(rawSamplesQuery(pg.db, day, null));
    expect(text).not.toMatch(/Seq Scan/);
    expect(indexUsed(text)).toBe('power_sample_time_idx');
  });

  it('averages two days of power per bucket through an index', async () => {
    const twoDays = { start: day.start, end: new Date(day.start.getTime() + 2 * DAY_MS) };
    const text = await plan(bucketedSamplesQuery(twoDays, METER, 120_000));
    expect(text).not.toMatch(/Seq Scan on power_sample/);
    expect(['power_sample_pkey', 'power_sample_time_idx']).toContain(indexUsed(text));
  });

  it('aggregates the whole table per bucket under 5 minutes from the index without sorting it', async () => {
    const all = { start: first, end: new Date(first.getTime() + 24 * DAY_MS) };
    const text = await plan(bucketedSamplesQuery(all, METER, 60_000));
    expect(text).not.toMatch(/Seq Scan on power_sample/);
    expect(text).not.toMatch(/Sort Key: .*date_bin/);
    expect(['power_sample_pkey', 'power_sample_time_idx']).toContain(indexUsed(text));
  });

  it('reads one day of every CPU and BME280 sensor through the (time) index', async () => {
    const cpu = await plan(tempQuery(pg.db, 'cpu_temperature', ['celsius'], day, null));
    expect(cpu).not.toMatch(/Seq Scan/);
    expect(indexUsed(cpu)).toBe('cpu_temperature_time_idx');
    const bme = await plan(tempQuery(pg.db, 'bme280_sample', ['temperature_c'], day, null));
    expect(bme).not.toMatch(/Seq Scan/);
    expect(indexUsed(bme)).toBe('bme280_sample_time_idx');
    const twoDays = { start: day.start, end: new Date(day.start.getTime() + 2 * DAY_MS) };
    const bucketed = await plan(
      tempQuery(pg.db, 'bme280_sample', ['temperature_c', 'humidity_pct'], twoDays, 120_000),
    );
    expect(bucketed).not.toMatch(/Seq Scan on bme280_sample/);
    expect(indexUsed(bucketed)).toBe('bme280_sample_time_idx');
  });

  it('reads a day of serial sensor values, and averages a month of them per bucket, through an index', async () => {
    const raw = await plan(serialQuery(pg.db, ['t'], day, null));
    expect(raw).not.toMatch(/Seq Scan/);
    expect(['sensor_reading_time_idx', 'sensor_reading_pkey']).toContain(indexUsed(raw));
    const all = await plan(serialQuery(pg.db, 'all', day, null));
    expect(all).not.toMatch(/Seq Scan/);
    expect(indexUsed(all)).toBe('sensor_reading_time_idx');
    const month = { start: first, end: new Date(first.getTime() + 30 * DAY_MS) };
    const bucketed = await plan(serialQuery(pg.db, ['t', 'lux'], month, 30 * 60_000));
    expect(bucketed).not.toMatch(/Seq Scan on sensor_reading/);
    expect(bucketed).not.toMatch(/Sort Key: .*date_bin/);
    expect(['sensor_reading_time_idx', 'sensor_reading_pkey']).toContain(indexUsed(bucketed));
  });

  it('averages a week per 10 minutes from the 5-minute rollups through their indexes', async () => {
    const week = { start: day.start, end: new Date(day.start.getTime() + 7 * DAY_MS) };
    const power = await plan(bucketedSamplesQuery(week, METER, 600_000));
    expect(power).not.toMatch(/Seq Scan/);
    expect(power).toMatch(/width_s = 300\b/);
    expect(['power_sample_rollup_pkey', 'power_sample_rollup_bucket_idx']).toContain(indexUsed(power));
    const bme = await plan(
      tempQuery(pg.db, 'bme280_sample', ['temperature_c', 'humidity_pct'], week, 600_000),
    );
    expect(bme).not.toMatch(/Seq Scan/);
    expect(indexUsed(bme)).toBe('bme280_sample_rollup_bucket_idx');
  });

  it('reads the last cumulative readings of a bucket with one backward index step each', async () => {
    const week = { start: day.start, end: new Date(day.start.getTime() + 7 * DAY_MS) };
    const text = await plan(bucketedReadingsQuery(week, METER, 600_000));
    expect(text).not.toMatch(/Seq Scan on energy_reading/);
    expect(text).toMatch(/Limit/);
    expect(text).toMatch(/Index Scan Backward using energy_reading_(pkey|time_idx)/);
  });

  it('the planner settings are the defaults', async () => {
    const r = await sql<{ enable_seqscan: string }>`SHOW enable_seqscan`.execute(pg.db);
    expect(r.rows[0]!.enable_seqscan).toBe('on');
  });
});
