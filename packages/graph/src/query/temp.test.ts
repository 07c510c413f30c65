import { DAY_MS, HOUR_MS } from '@b-route/core';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstMidnight } from '../time.js';
import { queryTempData } from './temp.js';

const day = jstMidnight('2024-06-01');
const dayRange = { start: day, end: new Date(day.getTime() + DAY_MS) };

let pg: TestDatabase;

beforeAll(async () => {
  pg = await createTestDatabase();
  const d = day.toISOString();
  await sql`
    INSERT INTO cpu_temperature (sensor, time, celsius)
    SELECT h, t, CASE h WHEN 'pi-a' THEN 45 ELSE 55 END
    FROM unnest(ARRAY['pi-a', 'pi-b']) AS h,
         generate_series(${d}::timestamptz, ${d}::timestamptz + interval '1 day' - interval '1 minute', interval '1 minute') AS t`.execute(
    pg.db,
  );
  await sql`
    INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
    SELECT 'i2c-1:0x76', t, 22.5, 1013.25, 40
    FROM generate_series(${d}::timestamptz, ${d}::timestamptz + interval '12 hours', interval '1 minute') AS t`.execute(
    pg.db,
  );
});

afterAll(async () => {
  await pg?.close();
});

describe('queryTempData', () => {
  it('returns one series per kind and sensor that has data, and none for CO2 without rows', async () => {
    const d = await queryTempData(pg.db, dayRange);
    expect(d.bucketMs).toBeNull();
    expect(d.series.map((s) => `${s.kind}:${s.sensor}:${s.points.length}`)).toEqual([
      'cpu:pi-a:1440',
      'cpu:pi-b:1440',
      'temperature:i2c-1:0x76:721',
      'humidity:i2c-1:0x76:721',
      'pressure:i2c-1:0x76:721',
    ]);
    const bme = d.series.find((s) => s.kind === 'pressure')!;
    expect(bme.points[0]).toEqual({ x: day.getTime(), y: 1013.25 });
  });

  it('adds CO2 ppm and its temperature when the sensor has rows, leaving out a NULL temperature', async () => {
    const d0 = day.toISOString();
    await sql`INSERT INTO co2_sample (sensor, time, ppm, temperature_c) VALUES
      ('/dev/serial0', ${d0}::timestamptz + interval '1 hour', 800, 24),
      ('/dev/serial0', ${d0}::timestamptz + interval '2 hours', 900, NULL)`.execute(pg.db);
    const d = await queryTempData(pg.db, dayRange);
    expect(d.series.find((s) => s.kind === 'co2')!.points.map((p) => p.y)).toEqual([800, 900]);
    expect(d.series.find((s) => s.kind === 'co2-temperature')!.points).toEqual([
      { x: day.getTime() + HOUR_MS, y: 24 },
    ]);
  });

  it('averages per sensor and bucket over longer ranges', async () => {
    const range = { start: day, end: new Date(day.getTime() + 7 * DAY_MS) };
    const d = await queryTempData(pg.db, range, { bucketMs: DAY_MS });
    const cpu = d.series.filter((s) => s.kind === 'cpu');
    expect(cpu.map((s) => s.points)).toEqual([
      [{ x: day.getTime() + DAY_MS / 2, y: 45 }],
      [{ x: day.getTime() + DAY_MS / 2, y: 55 }],
    ]);
  });

  it('returns no series for an empty range', async () => {
    const range = { start: new Date(day.getTime() - DAY_MS), end: day };
    expect((await queryTempData(pg.db, range)).series).toEqual([]);
  });
});
