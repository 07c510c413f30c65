/**
 * What the temperature chart shows: CPU temperature (one series per host), BME280 temperature,
 * humidity and pressure, and the CO2 sensor's ppm and its own temperature reading. All sensors
 * of a kind are read with one `time >= start AND time < end` query on the (time) index; ranges
 * over a day are averaged per bucket in SQL.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db-types.js';
import type { TimeRange } from '../time.js';
import { chooseBucket, dateBin } from './bucket.js';
import type { SeriesPoint } from './series.js';

export type TempKind = 'cpu' | 'temperature' | 'humidity' | 'pressure' | 'co2' | 'co2-temperature';

export interface TempSeries {
  readonly kind: TempKind;
  /** Host name, device path or bus address, as the poller stored it. */
  readonly sensor: string;
  readonly points: SeriesPoint[];
}

export interface TempData {
  readonly start: number;
  readonly end: number;
  readonly bucketMs: number | null;
  /** Only series with at least one point, in TempKind order then sensor name. */
  readonly series: TempSeries[];
}

export interface TempQueryOptions {
  /** Bucket size in ms, or null for raw samples; default chooseBucket(range length). */
  readonly bucketMs?: number | null;
}

const KIND_ORDER: readonly TempKind[] = [
  'cpu',
  'temperature',
  'humidity',
  'pressure',
  'co2',
  'co2-temperature',
];

export async function queryTempData(
  db: Kysely<Database>,
  range: TimeRange,
  options: TempQueryOptions = {},
): Promise<TempData> {
  const start = range.start.getTime();
  const end = range.end.getTime();
  const bucketMs = options.bucketMs === undefined ? chooseBucket(end - start) : options.bucketMs;
  const [cpu, bme, co2] = await Promise.all([
    tempQuery(db, 'cpu_temperature', { celsius: 'cpu' }, range, bucketMs).execute(),
    tempQuery(
      db,
      'bme280_sample',
      { temperature_c: 'temperature', humidity_pct: 'humidity', pressure_hpa: 'pressure' },
      range,
      bucketMs,
    ).execute(),
    tempQuery(db, 'co2_sample', { ppm: 'co2', temperature_c: 'co2-temperature' }, range, bucketMs).execute(),
  ]);
  const series = new Map<string, TempSeries>();
  const add = (kind: TempKind, sensor: string, x: number, y: unknown): void => {
    if (typeof y !== 'number' || !Number.isFinite(y)) return;
    const key = `${kind}\u0000${sensor}`;
    let s = series.get(key);
    if (!s) {
      s = { kind, sensor, points: [] };
      series.set(key, s);
    }
    s.points.push({ x, y });
  };
  const collect = (rows: readonly Record<string, unknown>[], columns: Record<string, TempKind>): void => {
    for (const row of rows) {
      const t = new Date(row.t as Date).getTime() + (bucketMs === null ? 0 : bucketMs / 2);
      for (const [column, kind] of Object.entries(columns)) add(kind, row.sensor as string, t, row[column]);
    }
  };
  collect(cpu, { celsius: 'cpu' });
  collect(bme, { temperature_c: 'temperature', humidity_pct: 'humidity', pressure_hpa: 'pressure' });
  collect(co2, { ppm: 'co2', temperature_c: 'co2-temperature' });
  const ordered = [...series.values()].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.sensor.localeCompare(b.sensor),
  );
  return { start, end, bucketMs, series: ordered };
}

type TempTable = 'cpu_temperature' | 'bme280_sample' | 'co2_sample';

/**
 * One sensor table's rows in the range, as (sensor, t, value columns…) ordered by time; bucketed
 * ranges average each column per sensor and bucket. Exported so its plan can be checked.
 */
export function tempQuery(
  db: Kysely<Database>,
  table: TempTable,
  columns: Record<string, TempKind>,
  range: TimeRange,
  bucketMs: number | null,
) {
  const names = Object.keys(columns);
  const base = db
    .selectFrom(table)
    .where('time', '>=', range.start)
    .where('time', '<', range.end)
    .select('sensor');
  if (bucketMs === null) {
    return base
      .select([sql<Date>`time`.as('t'), ...names.map((c) => sql<number | null>`${sql.ref(c)}::float8`.as(c))])
      .orderBy('time');
  }
  return base
    .select([
      dateBin(bucketMs, 'time').as('t'),
      ...names.map((c) => sql<number | null>`avg(${sql.ref(c)})::float8`.as(c)),
    ])
    .groupBy([sql`1`, sql`2`])
    .orderBy(sql`2`);
}
