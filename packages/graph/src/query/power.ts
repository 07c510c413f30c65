/**
 * What the power chart shows, read from power_sample (E7 power, E8 currents), energy_reading
 * (E0/E3 cumulative kWh) and energy_interval (cumulative kWh at each 30-minute boundary).
 * Every range query is `time >= start AND time < end` (plus `meter = ?`), which the (meter, time)
 * primary keys and the (time) indexes serve; ranges over a day are aggregated per bucket in SQL,
 * from the power rollup (see `rollupBucketsQuery`) or, for buckets under 5 minutes, from the
 * samples (see `perBucket`).
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db-types.js';
import type { TimeRange } from '../time.js';
import { BUCKET_ORIGIN_MS, chooseBarPeriod, chooseBucket, executeWithoutJit, perBucket } from './bucket.js';
import { type EnergyBar, halfHourBars, SLOT_MS, sumBars } from './energy-bars.js';
import { POWER_ROLLUP, rollupBucketsQuery, rollupWidthFor } from './rollup.js';
import { pointsOf, type SeriesPoint } from './series.js';

export interface PowerQueryOptions {
  /** The meter (16 hex digits); default: the meter with the latest data in the range. */
  readonly meter?: string;
  /** Bucket size in ms, or null for raw samples; default chooseBucket(range length). */
  readonly bucketMs?: number | null;
}

export interface PowerData {
  readonly start: number;
  readonly end: number;
  /** The meter charted; null when the range holds no meter's data. */
  readonly meter: string | null;
  /** Bucket of the averaged series; null when they are raw samples. */
  readonly bucketMs: number | null;
  /** Instantaneous power, W (negative while selling); a bucket's average when bucketed. */
  readonly power: SeriesPoint[];
  /** A bucket's lowest and highest power; empty for raw samples. */
  readonly powerMin: SeriesPoint[];
  readonly powerMax: SeriesPoint[];
  readonly currentR: SeriesPoint[];
  readonly currentT: SeriesPoint[];
  /** The meter's cumulative readings, kWh (E0 bought, E3 sold). */
  readonly normalKwh: SeriesPoint[];
  readonly reverseKwh: SeriesPoint[];
  /** Energy bought/sold per period (`barPeriodMs`), from the 30-minute slots. */
  readonly bought: EnergyBar[];
  readonly sold: EnergyBar[];
  readonly barPeriodMs: number;
  /** kWh bought/sold over the range; null when the range has too few readings to tell. */
  readonly boughtKwh: number | null;
  readonly soldKwh: number | null;
}

/** True when nothing at all can be drawn. */
export function isEmptyPowerData(d: PowerData): boolean {
  return (
    d.power.length === 0 &&
    d.currentR.length === 0 &&
    d.currentT.length === 0 &&
    d.normalKwh.length === 0 &&
    d.reverseKwh.length === 0 &&
    d.bought.length === 0 &&
    d.sold.length === 0
  );
}

/** Reads everything the power chart needs for `range`. */
export async function queryPowerData(
  db: Kysely<Database>,
  range: TimeRange,
  options: PowerQueryOptions = {},
): Promise<PowerData> {
  const start = range.start.getTime();
  const end = range.end.getTime();
  const bucketMs = options.bucketMs === undefined ? chooseBucket(end - start) : options.bucketMs;
  const meter = options.meter ?? (await latestMeter(db, range));
  const [samples, readings, slots] = await Promise.all([
    bucketMs === null ? rawSamples(db, range, meter) : bucketedSamples(db, range, meter, bucketMs),
    bucketMs === null ? rawReadings(db, range, meter) : bucketedReadings(db, range, meter, bucketMs),
    intervalSlots(db, range, meter),
  ]);
  const barPeriodMs = chooseBarPeriod(end - start);
  const normal = halfHourBars(slots.filter((s) => s.direction === 'normal'));
  const reverse = halfHourBars(slots.filter((s) => s.direction === 'reverse'));
  const normalKwh = pointsOf(
    readings,
    (r) => r.t,
    (r) => r.normal,
  );
  const reverseKwh = pointsOf(
    readings,
    (r) => r.t,
    (r) => r.reverse,
  );
  return {
    start,
    end,
    meter,
    bucketMs,
    power: pointsOf(
      samples,
      (r) => r.t,
      (r) => r.power,
    ),
    powerMin:
      bucketMs === null
        ? []
        : pointsOf(
            samples,
            (r) => r.t,
            (r) => r.powerMin,
          ),
    powerMax:
      bucketMs === null
        ? []
        : pointsOf(
            samples,
            (r) => r.t,
            (r) => r.powerMax,
          ),
    currentR: pointsOf(
      samples,
      (r) => r.t,
      (r) => r.currentR,
    ),
    currentT: pointsOf(
      samples,
      (r) => r.t,
      (r) => r.currentT,
    ),
    normalKwh,
    reverseKwh,
    bought: sumBars(normal.bars, barPeriodMs, BUCKET_ORIGIN_MS),
    sold: sumBars(reverse.bars, barPeriodMs, BUCKET_ORIGIN_MS),
    barPeriodMs,
    boughtKwh: normal.totalKwh ?? spread(normalKwh),
    soldKwh: reverse.totalKwh ?? spread(reverseKwh),
  };
}

/** Without 30-minute slots, the total is the rise of the cumulative readings over the range. */
function spread(points: readonly SeriesPoint[]): number | null {
  if (points.length < 2) return null;
  const rise = points[points.length - 1]!.y - points[0]!.y;
  return rise >= 0 ? Math.round(rise * 1e6) / 1e6 : null;
}

/**
 * Where `latestMeter` looks, in order. Slots are readings at half-hour boundaries: the one at
 * `end` closes the range's last half hour, so it counts.
 */
const LATEST_SOURCES = [
  ['power_sample', 'time', '<'],
  ['energy_reading', 'time', '<'],
  ['energy_interval', 'slot', '<='],
] as const;

/**
 * The meter whose data is latest in the range: power first, then cumulative readings, then
 * slots. Each is one backward step on the (time) index.
 */
export async function latestMeter(db: Kysely<Database>, range: TimeRange): Promise<string | null> {
  for (const [table, column, beforeEnd] of LATEST_SOURCES) {
    const row = await db
      .selectFrom(table)
      .select('meter')
      .where(column, '>=', range.start)
      .where(column, beforeEnd, range.end)
      .orderBy(column, 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) return row.meter;
  }
  return null;
}

interface SampleRow {
  t: number;
  power: number | null;
  powerMin: number | null;
  powerMax: number | null;
  currentR: number | null;
  currentT: number | null;
}

/** The raw power query, exported so its plan can be checked. */
export function rawSamplesQuery(db: Kysely<Database>, range: TimeRange, meter: string | null) {
  return db
    .selectFrom('power_sample')
    .select([
      'time',
      sql<number | null>`power_w::float8`.as('power_w'),
      sql<number | null>`current_r_a::float8`.as('current_r_a'),
      sql<number | null>`current_t_a::float8`.as('current_t_a'),
    ])
    .where('time', '>=', range.start)
    .where('time', '<', range.end)
    .$if(meter !== null, (q) => q.where('meter', '=', meter!))
    .orderBy('time');
}

async function rawSamples(
  db: Kysely<Database>,
  range: TimeRange,
  meter: string | null,
): Promise<SampleRow[]> {
  const rows = await rawSamplesQuery(db, range, meter).execute();
  return rows.map((r) => ({
    t: r.time.getTime(),
    power: r.power_w,
    powerMin: null,
    powerMax: null,
    currentR: r.current_r_a,
    currentT: r.current_t_a,
  }));
}

interface BucketedSampleRow {
  bucket: Date;
  power_w: number | null;
  power_min: number | null;
  power_max: number | null;
  current_r_a: number | null;
  current_t_a: number | null;
}

/**
 * The bucketed power query (avg/min/max per bucket), exported so its plan can be checked: from
 * the rollup when the bucket is a multiple of one of its widths, else from the samples.
 */
export function bucketedSamplesQuery(
  range: TimeRange,
  meter: string | null,
  bucketMs: number,
): RawBuilder<BucketedSampleRow> {
  const widthMs = rollupWidthFor(bucketMs);
  if (widthMs !== null) {
    return rollupBucketsQuery<Omit<BucketedSampleRow, 'bucket'>>(
      POWER_ROLLUP,
      range,
      bucketMs,
      widthMs,
      [
        { as: 'power_w', fn: 'avg', column: 'power_w' },
        { as: 'power_min', fn: 'min', column: 'power_w' },
        { as: 'power_max', fn: 'max', column: 'power_w' },
        { as: 'current_r_a', fn: 'avg', column: 'current_r_a' },
        { as: 'current_t_a', fn: 'avg', column: 'current_t_a' },
      ],
      { only: meter },
    );
  }
  return perBucket<Omit<BucketedSampleRow, 'bucket'>>(
    range,
    bucketMs,
    (from, to) => sql`
      SELECT avg(power_w)::float8 AS power_w, min(power_w)::float8 AS power_min, max(power_w)::float8 AS power_max,
             avg(current_r_a)::float8 AS current_r_a, avg(current_t_a)::float8 AS current_t_a
      FROM power_sample
      WHERE time >= ${from} AND time < ${to}${meterFilter(meter)}
      HAVING count(*) > 0`,
  );
}

function meterFilter(meter: string | null): RawBuilder<unknown> {
  return meter === null ? sql`` : sql` AND meter = ${meter}`;
}

async function bucketedSamples(
  db: Kysely<Database>,
  range: TimeRange,
  meter: string | null,
  bucketMs: number,
): Promise<SampleRow[]> {
  const rows = await executeWithoutJit(db, bucketedSamplesQuery(range, meter, bucketMs));
  // A bucket's values are drawn at its middle.
  return rows.map((r) => ({
    t: new Date(r.bucket).getTime() + bucketMs / 2,
    power: r.power_w,
    powerMin: r.power_min,
    powerMax: r.power_max,
    currentR: r.current_r_a,
    currentT: r.current_t_a,
  }));
}

interface ReadingRow {
  t: number;
  normal: number | null;
  reverse: number | null;
}

async function rawReadings(
  db: Kysely<Database>,
  range: TimeRange,
  meter: string | null,
): Promise<ReadingRow[]> {
  const rows = await db
    .selectFrom('energy_reading')
    .select([
      'time',
      sql<number | null>`normal_kwh::float8`.as('normal'),
      sql<number | null>`reverse_kwh::float8`.as('reverse'),
    ])
    .where('time', '>=', range.start)
    .where('time', '<', range.end)
    .$if(meter !== null, (q) => q.where('meter', '=', meter!))
    .orderBy('time')
    .execute();
  return rows.map((r) => ({ t: r.time.getTime(), normal: r.normal, reverse: r.reverse }));
}

async function bucketedReadings(
  db: Kysely<Database>,
  range: TimeRange,
  meter: string | null,
  bucketMs: number,
): Promise<ReadingRow[]> {
  const rows = await executeWithoutJit(db, bucketedReadingsQuery(range, meter, bucketMs));
  return rows.map((r) => ({
    t: new Date(r.bucket).getTime() + bucketMs / 2,
    normal: r.normal,
    reverse: r.reverse,
  }));
}

/**
 * A bucket's cumulative values are its last readings (each column's last non-NULL one): one
 * backward step on the (meter, time) key per bucket and column, however many readings the bucket
 * holds. While a count only grows that is the bucket's maximum; after the meter's count wrapped
 * (EPC D7 digits), it is the value after the wrap. Exported so its plan can be checked.
 */
export function bucketedReadingsQuery(
  range: TimeRange,
  meter: string | null,
  bucketMs: number,
): RawBuilder<{ bucket: Date; normal: number | null; reverse: number | null }> {
  const last = (column: 'normal_kwh' | 'reverse_kwh', from: RawBuilder<Date>, to: RawBuilder<Date>) => sql`(
    SELECT ${sql.ref(column)}::float8 FROM energy_reading
    WHERE time >= ${from} AND time < ${to}${meterFilter(meter)} AND ${sql.ref(column)} IS NOT NULL
    ORDER BY time DESC LIMIT 1)`;
  // A bucket without readings gives a row of NULLs, which pointsOf leaves out.
  return perBucket<{ normal: number | null; reverse: number | null }>(
    range,
    bucketMs,
    (from, to) =>
      sql`SELECT ${last('normal_kwh', from, to)} AS normal, ${last('reverse_kwh', from, to)} AS reverse`,
  );
}

interface SlotRow {
  direction: 'normal' | 'reverse';
  t: number;
  kwh: number;
  count: number;
  modulus?: number;
}

/** Slots from the range's start boundary to its end boundary inclusive: the first is the base. */
async function intervalSlots(
  db: Kysely<Database>,
  range: TimeRange,
  meter: string | null,
): Promise<SlotRow[]> {
  const first = new Date(Math.ceil(range.start.getTime() / SLOT_MS) * SLOT_MS);
  const rows = await db
    .selectFrom('energy_interval')
    // The meter's D7 digits: a count that wrapped at 10^digits still tells the half hour's use.
    .leftJoin('meter', 'meter.meter', 'energy_interval.meter')
    // Epoch milliseconds rather than timestamptz: a year is 35,000 slots, and parsing that many
    // timestamps in the driver took a quarter of the year's query time.
    .select([
      'energy_interval.direction',
      sql<number>`(extract(epoch FROM energy_interval.slot) * 1000)::float8`.as('t'),
      sql<number>`energy_interval.kwh::float8`.as('kwh'),
      sql<number>`energy_interval.count::float8`.as('count'),
      'meter.digits',
    ])
    .where('energy_interval.slot', '>=', first)
    .where('energy_interval.slot', '<=', range.end)
    .$if(meter !== null, (q) => q.where('energy_interval.meter', '=', meter!))
    .orderBy('energy_interval.direction')
    .orderBy('energy_interval.slot')
    .execute();
  return rows.map((r) => ({
    direction: r.direction,
    t: r.t,
    kwh: r.kwh,
    count: r.count,
    ...(r.digits === null ? {} : { modulus: 10 ** r.digits }),
  }));
}
