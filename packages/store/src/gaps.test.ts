import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestIntervalSlot, latestSample, missingIntervalSlots } from './gaps.js';
import { createTestDatabase, type TestDatabase } from './testing/test-db.js';

const METER = '001C6400601421A3';
/** 2025-01-01 00:00 in Japan. */
const DAY = Date.parse('2025-01-01T00:00:00+09:00');
const slot = (n: number): Date => new Date(DAY + n * 1_800_000);

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  const rows = [];
  for (let n = 0; n < 48; n++) {
    if (n === 3 || n === 4 || n === 40) continue; // the holes
    rows.push({
      meter: METER,
      direction: 'normal' as const,
      slot: slot(n),
      kwh: 100 + n,
      count: 1000 + n,
      source: 'history' as const,
    });
  }
  rows.push({
    meter: METER,
    direction: 'reverse' as const,
    slot: slot(3),
    kwh: 1,
    count: 10,
    source: 'poll' as const,
  });
  rows.push({
    meter: 'OTHER',
    direction: 'normal' as const,
    slot: slot(4),
    kwh: 1,
    count: 10,
    source: 'poll' as const,
  });
  await t.db.insertInto('energy_interval').values(rows).execute();
});
afterAll(() => t.close());

describe('missingIntervalSlots', () => {
  it('finds the half hours of a day with no value for that meter and direction', async () => {
    expect(await missingIntervalSlots(t.db, METER, 'normal', slot(0), slot(48))).toEqual([
      slot(3),
      slot(4),
      slot(40),
    ]);
  });

  it('treats the range as [from, to) and starts at the first boundary not before from', async () => {
    expect(await missingIntervalSlots(t.db, METER, 'normal', slot(3), slot(40))).toEqual([slot(3), slot(4)]);
    expect(
      await missingIntervalSlots(t.db, METER, 'normal', new Date(slot(3).getTime() + 1), slot(41)),
    ).toEqual([slot(4), slot(40)]);
    expect(await missingIntervalSlots(t.db, METER, 'normal', slot(5), slot(5))).toEqual([]);
  });

  it('counts every slot of an empty direction or unknown meter, and continues past the last row', async () => {
    const reverse = await missingIntervalSlots(t.db, METER, 'reverse', slot(0), slot(48));
    expect(reverse).toHaveLength(47);
    expect(reverse).not.toContainEqual(slot(3));
    expect(await missingIntervalSlots(t.db, 'NOBODY', 'normal', slot(46), slot(50))).toEqual([
      slot(46),
      slot(47),
      slot(48),
      slot(49),
    ]);
  });

  it('looks each slot up through the primary key', async () => {
    await t.db.connection().execute(async (c) => {
      await sql`SET enable_seqscan = off`.execute(c);
      const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT s.slot
        FROM generate_series(${slot(0)}::timestamptz, ${slot(48)}::timestamptz, interval '30 minutes') AS s(slot)
        WHERE NOT EXISTS (SELECT 1 FROM energy_interval e
          WHERE e.meter = ${METER} AND e.direction = 'normal' AND e.slot = s.slot)`.execute(c);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('energy_interval_pkey');
    });
  });
});

describe('latest rows', () => {
  it('latestIntervalSlot gives the newest slot, or undefined', async () => {
    expect(await latestIntervalSlot(t.db, METER, 'normal')).toEqual(slot(47));
    expect(await latestIntervalSlot(t.db, METER, 'reverse')).toEqual(slot(3));
    expect(await latestIntervalSlot(t.db, 'NOBODY', 'normal')).toBeUndefined();
  });

  it('latestSample gives the newest row of a meter or sensor', async () => {
    await t.db
      .insertInto('power_sample')
      .values([
        { meter: METER, time: slot(1), power_w: 300, current_r_a: 3, current_t_a: null },
        { meter: METER, time: slot(2), power_w: 400, current_r_a: 4, current_t_a: null },
        { meter: 'OTHER', time: slot(9), power_w: 1, current_r_a: 0, current_t_a: null },
      ])
      .execute();
    await t.db
      .insertInto('bme280_sample')
      .values({
        sensor: 'i2c-1/0x76',
        time: slot(5),
        temperature_c: 20,
        pressure_hpa: 1000,
        humidity_pct: 40,
      })
      .execute();
    expect(await latestSample(t.db, 'power_sample', METER)).toEqual({
      meter: METER,
      time: slot(2),
      power_w: 400,
      current_r_a: 4,
      current_t_a: null,
    });
    expect((await latestSample(t.db, 'bme280_sample', 'i2c-1/0x76'))?.pressure_hpa).toBe(1000);
    expect(await latestSample(t.db, 'co2_sample', 'none')).toBeUndefined();
  });
});
