import { DAY_MS, HOUR_MS, MINUTE_MS } from '@b-route/core';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { type Expression, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jstMidnight, type TimeRange } from '../time.js';
import { BUCKET_ORIGIN_MS, chooseBucket } from './bucket.js';
import { bucketedSamplesQuery, queryPowerData } from './power.js';
import { rollupWidthFor, splitForRollup } from './rollup.js';
import { queryTempData, tempQuery } from './temp.js';

describe('rollupWidthFor', () => {
  it('takes the hourly rollup for whole hours, the 5-minute one for whole 5 minutes, else none', () => {
    expect(rollupWidthFor(6 * HOUR_MS)).toBe(HOUR_MS);
    expect(rollupWidthFor(7 * DAY_MS)).toBe(HOUR_MS);
    expect(rollupWidthFor(30 * MINUTE_MS)).toBe(5 * MINUTE_MS);
    expect(rollupWidthFor(5 * MINUTE_MS)).toBe(5 * MINUTE_MS);
    expect(rollupWidthFor(2 * MINUTE_MS)).toBeNull();
    expect(rollupWidthFor(MINUTE_MS)).toBeNull();
    // Every bucket a range over a day can get from chooseBucket from a week up has one.
    for (const days of [7, 14, 30, 31, 90, 365, 366, 3650]) {
      expect(rollupWidthFor(chooseBucket(days * DAY_MS)!)).not.toBeNull();
    }
  });
});

describe('splitForRollup', () => {
  const at = (h: number, m = 0) => BUCKET_ORIGIN_MS + 100 * DAY_MS + h * HOUR_MS + m * MINUTE_MS;

  it('serves a range on the grid from the rollup alone', () => {
    expect(splitForRollup(at(0), at(24), HOUR_MS)).toEqual({ rollup: { from: at(0), to: at(24) }, raw: [] });
  });

  it('reads the ragged edges raw', () => {
    expect(splitForRollup(at(0, 10), at(5, 50), HOUR_MS)).toEqual({
      rollup: { from: at(1), to: at(5) },
      raw: [
        { from: at(0, 10), to: at(1) },
        { from: at(5), to: at(5, 50) },
      ],
    });
  });

  it('reads a range inside one rollup bucket raw', () => {
    expect(splitForRollup(at(3, 10), at(3, 50), HOUR_MS)).toEqual({
      rollup: null,
      raw: [{ from: at(3, 10), to: at(3, 50) }],
    });
    expect(splitForRollup(at(3), at(3, 50), HOUR_MS)).toEqual({
      rollup: null,
      raw: [{ from: at(3), to: at(3, 50) }],
    });
    expect(splitForRollup(at(3), at(3), HOUR_MS)).toEqual({ rollup: null, raw: [] });
  });
});

const METER = '001C6400601421A3';
const first = jstMidnight('2024-01-01');
const year: TimeRange = { start: first, end: jstMidnight('2025-01-01') };
const ORIGIN = new Date(BUCKET_ORIGIN_MS).toISOString();

let pg: TestDatabase;

beforeAll(async () => {
  pg = await createTestDatabase();
  const f = first.toISOString();
  // A year of 2-minute power samples (263,520 rows) with NULLs, and of 10-minute readings of two
  // CPUs, a BME280 and a CO2 sensor whose temperature is sometimes missing; all through the
  // triggers, in statements of a month each as a backfill would write them.
  for (let m = 0; m < 12; m++) {
    await sql`
      INSERT INTO power_sample (meter, time, power_w, current_r_a, current_t_a)
      SELECT ${METER}, t,
             CASE WHEN n % 29 = 3 THEN NULL ELSE (1000 * sin(n / 97.0) + (n % 7) * 13)::int END,
             CASE WHEN n % 31 = 0 THEN NULL ELSE (n % 150) / 10.0 END,
             (n % 90) / 7.0
      FROM generate_series(${f}::timestamptz + ${m} * interval '1 month',
                           ${f}::timestamptz + ${m + 1} * interval '1 month' - interval '1 microsecond',
                           interval '2 minutes') AS t,
           LATERAL (SELECT (extract(epoch FROM t)::bigint / 120) AS n) AS x`.execute(pg.db);
  }
  await sql`
    INSERT INTO cpu_temperature (sensor, time, celsius)
    SELECT s, t, 40 + 10 * sin(extract(epoch FROM t) / 7000) + length(s)
    FROM generate_series(${f}::timestamptz, ${year.end.toISOString()}::timestamptz - interval '1 second', interval '10 minutes') AS t,
         unnest(ARRAY['pi-a', 'pi-bb']) AS s`.execute(pg.db);
  await sql`
    INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
    SELECT 'i2c-1:0x76', t, 20 + 5 * sin(e / 13751), 1013 + 8 * sin(e / 400000), 50 + 15 * cos(e / 13751)
    FROM generate_series(${f}::timestamptz, ${year.end.toISOString()}::timestamptz - interval '1 second', interval '10 minutes') AS t,
         LATERAL (SELECT extract(epoch FROM t)::float8 AS e) AS x`.execute(pg.db);
  await sql`
    INSERT INTO co2_sample (sensor, time, ppm, temperature_c)
    SELECT '/dev/serial0', t, 400 + (e / 600)::bigint % 900, CASE WHEN (e / 600)::bigint % 5 = 0 THEN NULL ELSE 22 + sin(e / 9000) END
    FROM generate_series(${f}::timestamptz, ${year.end.toISOString()}::timestamptz - interval '1 second', interval '10 minutes') AS t,
         LATERAL (SELECT extract(epoch FROM t)::float8 AS e) AS x`.execute(pg.db);
  await sql`ANALYZE`.execute(pg.db);
});

afterAll(async () => {
  await pg?.close();
});

interface RawPowerBucket {
  t: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  r: number | null;
  tp: number | null;
}

/** The power aggregates straight from the samples, with GROUP BY: what the chart must show. */
async function rawPower(range: TimeRange, bucketMs: number): Promise<RawPowerBucket[]> {
  const { rows } = await sql<{ b: Date } & Omit<RawPowerBucket, 't'>>`
    SELECT date_bin(${`${bucketMs / 1000} seconds`}::interval, time, ${ORIGIN}::timestamptz) AS b,
           avg(power_w)::float8 AS avg, min(power_w)::float8 AS min, max(power_w)::float8 AS max,
           avg(current_r_a)::float8 AS r, avg(current_t_a)::float8 AS tp
    FROM power_sample WHERE meter = ${METER} AND time >= ${range.start} AND time < ${range.end}
    GROUP BY 1 ORDER BY 1`.execute(pg.db);
  return rows.map(({ b, ...v }) => ({ t: b.getTime() + bucketMs / 2, ...v }));
}

function points(rows: RawPowerBucket[], pick: (r: RawPowerBucket) => number | null) {
  return rows.flatMap((r) => (pick(r) === null ? [] : [{ x: r.t, y: pick(r)! }]));
}

function expectClose(actual: { x: number; y: number }[], expected: { x: number; y: number }[]): void {
  expect(actual.map((p) => p.x)).toEqual(expected.map((p) => p.x));
  actual.forEach((p, i) => {
    expect(Math.abs(p.y - expected[i]!.y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected[i]!.y)));
  });
}

describe('charts from the rollups', () => {
  it('draw a year of power exactly as the samples aggregate', async () => {
    const d = await queryPowerData(pg.db, year);
    expect(d.bucketMs).toBe(6 * HOUR_MS);
    const raw = await rawPower(year, 6 * HOUR_MS);
    expect(raw).toHaveLength(366 * 4);
    // Power is an integer: its average is the same numeric division as avg(), bit for bit.
    expect(d.power).toEqual(points(raw, (r) => r.avg));
    expect(d.powerMin).toEqual(points(raw, (r) => r.min));
    expect(d.powerMax).toEqual(points(raw, (r) => r.max));
    expectClose(
      d.currentR,
      points(raw, (r) => r.r),
    );
    expectClose(
      d.currentT,
      points(raw, (r) => r.tp),
    );
  });

  it('merge the raw samples of ragged range edges with the rollup rows between them', async () => {
    const cases: Array<[string, string, number]> = [
      ['2024-03-10T10:17:30+09:00', '2024-11-20T13:42:10+09:00', 6 * HOUR_MS],
      ['2024-05-03T23:58:00+09:00', '2024-06-01T00:03:00+09:00', 30 * MINUTE_MS],
      ['2024-05-03T00:01:00+09:00', '2024-05-10T00:04:00+09:00', 10 * MINUTE_MS],
    ];
    for (const [s, e, bucketMs] of cases) {
      const range = { start: new Date(s), end: new Date(e) };
      const d = await queryPowerData(pg.db, range, { bucketMs });
      const raw = await rawPower(range, bucketMs);
      expect(d.power).toEqual(points(raw, (r) => r.avg));
      expect(d.powerMin).toEqual(points(raw, (r) => r.min));
      expect(d.powerMax).toEqual(points(raw, (r) => r.max));
      expectClose(
        d.currentR,
        points(raw, (r) => r.r),
      );
    }
  });

  it('draw a year of every sensor as the samples aggregate', async () => {
    const d = await queryTempData(pg.db, year);
    expect(d.bucketMs).toBe(6 * HOUR_MS);
    const { rows } = await sql<{ kind: string; sensor: string; b: Date; y: number }>`
      SELECT kind, sensor, date_bin('6 hours', time, ${ORIGIN}::timestamptz) AS b, avg(v)::float8 AS y
      FROM (SELECT 'cpu' AS kind, sensor, time, celsius::float8 AS v FROM cpu_temperature
            UNION ALL SELECT 'temperature', sensor, time, temperature_c FROM bme280_sample
            UNION ALL SELECT 'humidity', sensor, time, humidity_pct FROM bme280_sample
            UNION ALL SELECT 'pressure', sensor, time, pressure_hpa FROM bme280_sample
            UNION ALL SELECT 'co2', sensor, time, ppm FROM co2_sample
            UNION ALL SELECT 'co2-temperature', sensor, time, temperature_c FROM co2_sample) AS s
      WHERE v IS NOT NULL
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(pg.db);
    expect(d.series.map((s) => `${s.kind}/${s.sensor}`)).toEqual([
      'cpu/pi-a',
      'cpu/pi-bb',
      'temperature/i2c-1:0x76',
      'humidity/i2c-1:0x76',
      'pressure/i2c-1:0x76',
      'co2//dev/serial0',
      'co2-temperature//dev/serial0',
    ]);
    for (const s of d.series) {
      const expected = rows
        .filter((r) => r.kind === s.kind && r.sensor === s.sensor)
        .map((r) => ({ x: r.b.getTime() + 3 * HOUR_MS, y: r.y }));
      expect(expected).toHaveLength(366 * 4);
      expectClose(s.points, expected);
    }
  });
});

async function plan(query: Expression<unknown>): Promise<string> {
  const { rows } = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${query}`.execute(pg.db);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const INDEX = /(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)/g;

function indexesUsed(text: string): string[] {
  return [...text.matchAll(INDEX)].map((m) => m[1]!);
}

describe('year query plans (no planner settings changed)', () => {
  it('reads the hourly power rollup through its index, not the samples', async () => {
    const text = await plan(bucketedSamplesQuery(year, METER, 6 * HOUR_MS));
    expect(text).not.toMatch(/Seq Scan/);
    expect(text).toMatch(/width_s = 3600/);
    const used = indexesUsed(text);
    expect(used.length).toBeGreaterThan(0);
    expect(
      used.every((i) => ['power_sample_rollup_pkey', 'power_sample_rollup_bucket_idx'].includes(i)),
    ).toBe(true);
  });

  it('reads the sensors’ hourly rollups through their (width, bucket) index', async () => {
    for (const [table, columns] of [
      ['cpu_temperature', ['celsius']],
      ['bme280_sample', ['temperature_c', 'humidity_pct', 'pressure_hpa']],
      ['co2_sample', ['ppm', 'temperature_c']],
    ] as const) {
      const text = await plan(tempQuery(pg.db, table, columns, year, 6 * HOUR_MS));
      expect(text, table).not.toMatch(/Seq Scan/);
      expect(indexesUsed(text), table).toEqual([`${table}_rollup_bucket_idx`]);
    }
  });

  it('adds index range scans on the samples for ragged edges only', async () => {
    const range = {
      start: new Date('2024-03-10T10:17:30+09:00'),
      end: new Date('2024-11-20T13:42:10+09:00'),
    };
    const text = await plan(bucketedSamplesQuery(range, METER, 6 * HOUR_MS));
    expect(text).not.toMatch(/Seq Scan/);
    const used = indexesUsed(text);
    expect(used.filter((i) => i.startsWith('power_sample_rollup_'))).toHaveLength(1);
    expect(used.filter((i) => i === 'power_sample_pkey' || i === 'power_sample_time_idx')).toHaveLength(2);
  });
});
