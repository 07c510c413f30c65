/**
 * What the temperature chart shows: CPU temperature (one series per host), BME280 temperature,
 * humidity and pressure, and the CO2 sensor's ppm and its own temperature reading. All sensors
 * of a kind are read with one `time >= start AND time < end` query on the (time) index; ranges
 * over a day are averaged per sensor and bucket in SQL, from the rollups (see
 * `rollupBucketsQuery`) or, for buckets under 5 minutes, from the samples (see `perBucket`).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db-types.js';
import type { TimeRange } from '../time.js';
import { chooseBucket, executeWithoutJit, perBucket } from './bucket.js';
import {
  BME280_ROLLUP,
  CO2_ROLLUP,
  CPU_ROLLUP,
  type RollupSource,
  rollupBucketsQuery,
  rollupWidthFor,
} from './rollup.js';
import type { SeriesPoint } from './series.js';

/** `serial`: one value of a keilog-style serial sensor (extra.sensor_reading), when asked for. */
export type TempKind = 'cpu' | 'temperature' | 'humidity' | 'pressure' | 'co2' | 'co2-temperature' | 'serial';

export interface TempSeries {
  readonly kind: TempKind;
  /** Host name, device path or bus address, as the poller stored it. */
  readonly sensor: string;
  /** For `serial`: the value's name on the sensor's line. */
  readonly name?: string;
  /** For `serial`: the value's unit as stored (the latest non-null one), or null. */
  readonly unit?: string | null;
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
  /** Serial sensor values to add, by name; 'all': every name in the range. Default: none. */
  readonly serial?: readonly string[] | 'all';
}

/** Which column of which table feeds which series. */
const CPU: Record<string, TempKind> = { celsius: 'cpu' };
const BME280: Record<string, TempKind> = {
  temperature_c: 'temperature',
  humidity_pct: 'humidity',
  pressure_hpa: 'pressure',
};
const CO2: Record<string, TempKind> = { ppm: 'co2', temperature_c: 'co2-temperature' };

const KIND_ORDER: readonly TempKind[] = [
  'cpu',
  'temperature',
  'humidity',
  'pressure',
  'co2',
  'co2-temperature',
  'serial',
];

export async function queryTempData(
  db: Kysely<Database>,
  range: TimeRange,
  options: TempQueryOptions = {},
): Promise<TempData> {
  const start = range.start.getTime();
  const end = range.end.getTime();
  const bucketMs = options.bucketMs === undefined ? chooseBucket(end - start) : options.bucketMs;
  const run = async (q: RawBuilder<Record<string, unknown>>) =>
    bucketMs === null ? (await q.execute(db)).rows : executeWithoutJit(db, q);
  const serial = options.serial ?? [];
  const [cpu, bme, co2, readings] = await Promise.all([
    run(tempQuery(db, 'cpu_temperature', Object.keys(CPU), range, bucketMs)),
    run(tempQuery(db, 'bme280_sample', Object.keys(BME280), range, bucketMs)),
    run(tempQuery(db, 'co2_sample', Object.keys(CO2), range, bucketMs)),
    serial.length === 0 ? [] : run(serialQuery(db, serial, range, bucketMs)),
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
  collect(cpu, CPU);
  collect(bme, BME280);
  collect(co2, CO2);
  const serialSeries = new Map<
    string,
    { name: string; sensor: string; unit: string | null; points: SeriesPoint[] }
  >();
  for (const row of readings) {
    const y = row.value;
    if (typeof y !== 'number' || !Number.isFinite(y)) continue;
    const sensor = row.sensor as string;
    const name = row.name as string;
    const key = `${sensor}\u0000${name}`;
    let s = serialSeries.get(key);
    if (!s) {
      s = { name, sensor, unit: null, points: [] };
      serialSeries.set(key, s);
    }
    if (typeof row.unit === 'string') s.unit = row.unit;
    s.points.push({ x: new Date(row.t as Date).getTime() + (bucketMs === null ? 0 : bucketMs / 2), y });
  }
  for (const s of serialSeries.values())
    series.set(`serial\u0000${s.sensor}\u0000${s.name}`, { kind: 'serial', ...s });
  const ordered = [...series.values()].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.sensor.localeCompare(b.sensor) ||
      (a.name ?? '').localeCompare(b.name ?? ''),
  );
  return { start, end, bucketMs, series: ordered };
}

type TempTable = 'cpu_temperature' | 'bme280_sample' | 'co2_sample';

const ROLLUPS: Record<TempTable, RollupSource> = {
  cpu_temperature: CPU_ROLLUP,
  bme280_sample: BME280_ROLLUP,
  co2_sample: CO2_ROLLUP,
};

/**
 * One sensor table's rows in the range, as (sensor, t, value columns…) ordered by time; bucketed
 * ranges average each column per sensor and bucket. Exported so its plan can be checked.
 */
export function tempQuery(
  db: Kysely<Database>,
  table: TempTable,
  columns: readonly string[],
  range: TimeRange,
  bucketMs: number | null,
): RawBuilder<Record<string, unknown>> {
  if (bucketMs === null) {
    return sql`${db
      .selectFrom(table)
      .select([
        'sensor',
        sql<Date>`time`.as('t'),
        ...columns.map((c) => sql<number | null>`${sql.ref(c)}::float8`.as(c)),
      ])
      .where('time', '>=', range.start)
      .where('time', '<', range.end)
      .orderBy('time')}`;
  }
  const widthMs = rollupWidthFor(bucketMs);
  if (widthMs !== null) {
    const outputs = columns.map((c) => ({ as: c, fn: 'avg' as const, column: c }));
    return sql`SELECT bucket AS t, sensor, ${sql.join(columns.map((c) => sql.ref(c)))} FROM (${rollupBucketsQuery(
      ROLLUPS[table],
      range,
      bucketMs,
      widthMs,
      outputs,
      { perKey: true },
    )}) AS per_bucket`;
  }
  const averages = sql.join(columns.map((c) => sql`avg(${sql.ref(c)})::float8 AS ${sql.ref(c)}`));
  return sql`SELECT bucket AS t, sensor, ${sql.join(columns.map((c) => sql.ref(c)))} FROM (${perBucket(
    range,
    bucketMs,
    (from, to) => sql`
      SELECT sensor, ${averages}
      FROM ${sql.table(table)}
      WHERE time >= ${from} AND time < ${to}
      GROUP BY sensor`,
  )}) AS per_bucket`;
}

/**
 * Serial sensor values in the range, as (sensor, name, t, value, unit) ordered by time, for the
 * names asked for (or all); bucketed ranges average per (sensor, name) and bucket, straight from
 * extra.sensor_reading (no rollup) through its (time) index. Exported so its plan can be checked.
 */
export function serialQuery(
  db: Kysely<Database>,
  names: readonly string[] | 'all',
  range: TimeRange,
  bucketMs: number | null,
): RawBuilder<Record<string, unknown>> {
  const only = names === 'all' ? sql<boolean>`TRUE` : sql<boolean>`name = ANY(${[...names]}::text[])`;
  if (bucketMs === null) {
    return sql`${db
      .selectFrom('extra.sensor_reading')
      .select(['sensor', 'name', sql<Date>`time`.as('t'), sql<number>`value::float8`.as('value'), 'unit'])
      .where('time', '>=', range.start)
      .where('time', '<', range.end)
      .where(only)
      .orderBy('time')}`;
  }
  return sql`SELECT bucket AS t, sensor, name, value, unit FROM (${perBucket(
    range,
    bucketMs,
    (from, to) => sql`
      SELECT sensor, name, avg(value)::float8 AS value, max(unit) AS unit
      FROM extra.sensor_reading
      WHERE time >= ${from} AND time < ${to} AND ${only}
      GROUP BY sensor, name`,
  )}) AS per_bucket`;
}
