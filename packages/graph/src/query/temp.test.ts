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

describe('queryTempData with serial sensors', () => {
  // A second month, clear of the rows above: two XBee nodes printing t=…,lux=… every 10 minutes.
  const month = jstMidnight('2024-07-01');
  const monthRange = { start: month, end: new Date(month.getTime() + 31 * DAY_MS) };
  const first = { start: month, end: new Date(month.getTime() + DAY_MS) };

  beforeAll(async () => {
    const m = month.toISOString();
    // xbee-1: t = 20 in the first half of each hour, 22 in the second; lux = 100 all along.
    // xbee-2: t = 30 (unit ℃). A third name, `v`, is never asked for by name.
    await sql`
      INSERT INTO extra.sensor_reading (sensor, name, time, value, unit)
      SELECT 'xbee-1', 't', t, CASE WHEN extract(minute FROM t) < 30 THEN 20 ELSE 22 END, 'degC'
      FROM generate_series(${m}::timestamptz, ${m}::timestamptz + interval '31 days' - interval '10 minutes', interval '10 minutes') AS t
      UNION ALL
      SELECT 'xbee-1', 'lux', t, 100, 'lx'
      FROM generate_series(${m}::timestamptz, ${m}::timestamptz + interval '31 days' - interval '10 minutes', interval '10 minutes') AS t
      UNION ALL
      SELECT 'xbee-2', 't', t, 30, '℃'
      FROM generate_series(${m}::timestamptz, ${m}::timestamptz + interval '2 days' - interval '10 minutes', interval '10 minutes') AS t
      UNION ALL
      SELECT 'xbee-2', 'v', ${m}::timestamptz + interval '5 minutes', 3.3, NULL`.execute(pg.db);
  });

  it('adds nothing without the option, and nothing for an unknown name', async () => {
    expect((await queryTempData(pg.db, first)).series).toEqual([]);
    expect((await queryTempData(pg.db, first, { serial: ['nosuch'] })).series).toEqual([]);
  });

  it('returns the raw values of a day, one series per (sensor, name), with the unit', async () => {
    const d = await queryTempData(pg.db, first, { serial: ['t', 'lux'] });
    expect(d.bucketMs).toBeNull();
    expect(d.series.map((s) => `${s.kind}:${s.sensor}:${s.name}:${s.unit}:${s.points.length}`)).toEqual([
      'serial:xbee-1:lux:lx:144',
      'serial:xbee-1:t:degC:144',
      'serial:xbee-2:t:℃:144',
    ]);
    const t1 = d.series.find((s) => s.sensor === 'xbee-1' && s.name === 't')!;
    expect(t1.points.slice(0, 4)).toEqual([
      { x: month.getTime(), y: 20 },
      { x: month.getTime() + 600_000, y: 20 },
      { x: month.getTime() + 1_200_000, y: 20 },
      { x: month.getTime() + 1_800_000, y: 22 },
    ]);
  });

  it("takes every name in the range with 'all', a NULL unit as null", async () => {
    const d = await queryTempData(pg.db, first, { serial: 'all' });
    expect(d.series.map((s) => `${s.sensor}:${s.name}:${s.unit}`)).toEqual([
      'xbee-1:lux:lx',
      'xbee-1:t:degC',
      'xbee-2:t:℃',
      'xbee-2:v:null',
    ]);
    expect(d.series.at(-1)!.points).toEqual([{ x: month.getTime() + 300_000, y: 3.3 }]);
  });

  it('averages a month per (sensor, name) and bucket from the raw table', async () => {
    const d = await queryTempData(pg.db, monthRange, { serial: ['t'] });
    expect(d.bucketMs).toBe(30 * 60_000);
    const t1 = d.series.find((s) => s.sensor === 'xbee-1')!;
    const t2 = d.series.find((s) => s.sensor === 'xbee-2')!;
    expect(t1.points).toHaveLength(31 * 48);
    // Each half hour holds three readings, all 20 (first half) or all 22 (second half).
    expect(t1.points.slice(0, 3)).toEqual([
      { x: month.getTime() + 15 * 60_000, y: 20 },
      { x: month.getTime() + 45 * 60_000, y: 22 },
      { x: month.getTime() + 75 * 60_000, y: 20 },
    ]);
    expect(t1.unit).toBe('degC');
    expect(t2.points).toHaveLength(2 * 48);
    expect(new Set(t2.points.map((p) => p.y))).toEqual(new Set([30]));
    // Per hour: the two half hours' averages come out to 21.
    const hourly = await queryTempData(pg.db, monthRange, { serial: ['t'], bucketMs: 60 * 60_000 });
    expect(new Set(hourly.series[0]!.points.map((p) => p.y))).toEqual(new Set([21]));
  });
});
