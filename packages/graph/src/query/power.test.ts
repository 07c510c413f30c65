import { DAY_MS, HOUR_MS, MINUTE_MS } from '@b-route/core';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstMidnight } from '../time.js';
import { isEmptyPowerData, latestMeter, queryPowerData } from './power.js';

const METER = '001C6400601421A3';
const OTHER = '00000000DEADBEEF';
const day = jstMidnight('2024-06-01');
const dayRange = { start: day, end: new Date(day.getTime() + DAY_MS) };

let pg: TestDatabase;

beforeAll(async () => {
  pg = await createTestDatabase();
  const d = day.toISOString();
  // 10-second samples for the whole day plus one at the closing midnight (outside the range);
  // power rises with the minute of the day and goes negative (selling) from 12:00 to 13:00.
  await sql`
    INSERT INTO power_sample (meter, time, power_w, current_r_a, current_t_a)
    SELECT ${METER}, t,
           CASE WHEN t >= ${d}::timestamptz + interval '12 hours' AND t < ${d}::timestamptz + interval '13 hours'
                THEN -500 ELSE floor(extract(epoch FROM t - ${d}::timestamptz) / 60)::int END,
           10.5, 3.25
    FROM generate_series(${d}::timestamptz, ${d}::timestamptz + interval '1 day', interval '10 seconds') AS t`.execute(
    pg.db,
  );
  // Another meter with older data only.
  await sql`
    INSERT INTO power_sample (meter, time, power_w)
    SELECT ${OTHER}, t, 9999 FROM generate_series(${d}::timestamptz, ${d}::timestamptz + interval '1 hour', interval '1 minute') AS t`.execute(
    pg.db,
  );
  await sql`
    INSERT INTO energy_reading (meter, time, normal_kwh, reverse_kwh, coefficient, unit_kwh)
    SELECT ${METER}, t, 1000 + n * 0.01, 50, 1, 0.1
    FROM generate_series(0, 1439) AS n, LATERAL (SELECT ${d}::timestamptz + n * interval '1 minute' AS t) x`.execute(
    pg.db,
  );
  // Slots 00:00 … 24:00: 0.5 kWh bought each half hour; 0.25 kWh sold in the two half hours
  // ending 12:30 and 13:00; the 18:00 slot is missing.
  await sql`
    INSERT INTO energy_interval (meter, direction, slot, kwh, count, source)
    SELECT ${METER}, 'normal', ${d}::timestamptz + n * interval '30 minutes', 1000 + n * 0.5, 10000 + n * 5, 'history'
    FROM generate_series(0, 48) AS n WHERE n <> 36`.execute(pg.db);
  await sql`
    INSERT INTO energy_interval (meter, direction, slot, kwh, count, source)
    SELECT ${METER}, 'reverse', ${d}::timestamptz + n * interval '30 minutes',
           50 + 0.25 * greatest(0, least(n, 26) - 24), 500, 'history'
    FROM generate_series(0, 48) AS n`.execute(pg.db);
});

afterAll(async () => {
  await pg?.close();
});

describe('queryPowerData', () => {
  it('reads a day raw: every sample in [start, end), values as stored', async () => {
    const d = await queryPowerData(pg.db, dayRange);
    expect(d.meter).toBe(METER);
    expect(d.bucketMs).toBeNull();
    expect(d.power).toHaveLength(8640);
    expect(d.power[0]).toEqual({ x: day.getTime(), y: 0 });
    expect(d.power.at(-1)!.x).toBe(day.getTime() + DAY_MS - 10_000);
    expect(d.power.find((p) => p.x === day.getTime() + 12 * HOUR_MS)!.y).toBe(-500);
    expect(d.currentR[0]!.y).toBe(10.5);
    expect(d.currentT[0]!.y).toBe(3.25);
    expect(d.powerMin).toEqual([]);
    expect(d.normalKwh).toHaveLength(1440);
    expect(d.normalKwh[0]!.y).toBe(1000);
  });

  it('turns slots into half-hour bars and day totals', async () => {
    const d = await queryPowerData(pg.db, dayRange);
    expect(d.barPeriodMs).toBe(30 * MINUTE_MS);
    // 48 half hours minus the two around the missing 18:00 slot.
    expect(d.bought).toHaveLength(46);
    expect(d.bought.every((b) => b.kwh === 0.5)).toBe(true);
    expect(d.boughtKwh).toBe(24);
    expect(d.sold.filter((b) => b.kwh > 0).map((b) => (b.start - day.getTime()) / HOUR_MS)).toEqual([
      12, 12.5,
    ]);
    expect(d.soldKwh).toBe(0.5);
  });

  it('filters by an explicit meter and picks the meter with the latest data by default', async () => {
    expect(await latestMeter(pg.db, dayRange)).toBe(METER);
    const early = { start: day, end: new Date(day.getTime() + 30 * MINUTE_MS) };
    const other = await queryPowerData(pg.db, early, { meter: OTHER });
    expect(other.power.every((p) => p.y === 9999)).toBe(true);
    expect(other.power).toHaveLength(30);
    expect(other.bought).toEqual([]);
  });

  it('averages ranges over a day per bucket, with min and max', async () => {
    const range = { start: day, end: new Date(day.getTime() + 2 * DAY_MS) };
    const d = await queryPowerData(pg.db, range);
    expect(d.bucketMs).toBe(2 * MINUTE_MS);
    expect(d.power).toHaveLength(721); // 720 buckets of the day and the one holding the closing sample
    // The first bucket holds minutes 0 and 1: power 0 (×6) and 1 (×6).
    expect(d.power[0]).toEqual({ x: day.getTime() + MINUTE_MS, y: 0.5 });
    expect(d.powerMin[0]!.y).toBe(0);
    expect(d.powerMax[0]!.y).toBe(1);
    expect(d.currentR[0]!.y).toBe(10.5);
    expect(d.boughtKwh).toBe(24);
  });

  it('starts day buckets at JST midnight', async () => {
    const range = { start: day, end: new Date(day.getTime() + 3 * DAY_MS) };
    const d = await queryPowerData(pg.db, range, { bucketMs: DAY_MS });
    // The sample at the closing midnight falls in the second JST day.
    expect(d.power.map((p) => p.x)).toEqual([
      day.getTime() + 12 * HOUR_MS,
      day.getTime() + DAY_MS + 12 * HOUR_MS,
    ]);
    expect(d.normalKwh[0]!.y).toBeCloseTo(1000 + 1439 * 0.01, 6);
  });

  it('reports an empty range as empty', async () => {
    const range = { start: new Date(day.getTime() + 5 * DAY_MS), end: new Date(day.getTime() + 6 * DAY_MS) };
    const d = await queryPowerData(pg.db, range);
    expect(d.meter).toBeNull();
    expect(isEmptyPowerData(d)).toBe(true);
    expect(d.boughtKwh).toBeNull();
    expect(isEmptyPowerData(await queryPowerData(pg.db, dayRange))).toBe(false);
  });
});
