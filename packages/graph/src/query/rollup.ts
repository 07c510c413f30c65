/**
 * Bucketed reads from the rollups: the database keeps, per 5 minutes and per hour, the count,
 * sum, minimum and maximum of every sample column (schema `rollup`, one table per sample table,
 * maintained by triggers: see migrations/init.sql). A bucket that is a multiple of a rollup's
 * width is built from that rollup's rows (a year at 6 hours reads 8,784 hourly rows instead of
 * 3 million samples); where the range does not start or end on the rollup's grid, the samples of
 * the ragged edges are read raw and merged in, so every value equals the aggregate over the raw
 * samples. Averages are sum / count across rows, never an average of averages.
 */
import { HOUR_MS, MINUTE_MS } from '@b-route/core';
import { type RawBuilder, sql } from 'kysely';
import type { TimeRange } from '../time.js';
import { BUCKET_ORIGIN_MS, intervalOf } from './bucket.js';

/** The rollups' widths, widest first. Both are aligned to BUCKET_ORIGIN_MS. */
export const ROLLUP_WIDTHS_MS: readonly number[] = [HOUR_MS, 5 * MINUTE_MS];

/** The widest rollup whose buckets tile a bucket of `bucketMs`; null when samples must be read. */
export function rollupWidthFor(bucketMs: number): number | null {
  return ROLLUP_WIDTHS_MS.find((w) => bucketMs >= w && bucketMs % w === 0) ?? null;
}

export type RollupTable = 'power_sample' | 'cpu_temperature' | 'co2_sample' | 'bme280_sample';

export interface RollupColumn {
  /** SQL type of the column's sum in the rollup: bigint for integer columns, float8 otherwise. */
  readonly sum: 'bigint' | 'float8';
  /** A nullable column counts its non-NULL values in `<column>_n`; others use the row count `n`. */
  readonly nullable: boolean;
  /** Whether the rollup keeps `<column>_min` and `<column>_max`. */
  readonly minMax: boolean;
}

export interface RollupSource {
  readonly table: RollupTable;
  /** The meter or sensor column. */
  readonly key: 'meter' | 'sensor';
  readonly columns: Readonly<Record<string, RollupColumn>>;
}

export const POWER_ROLLUP: RollupSource = {
  table: 'power_sample',
  key: 'meter',
  columns: {
    power_w: { sum: 'bigint', nullable: true, minMax: true },
    current_r_a: { sum: 'float8', nullable: true, minMax: false },
    current_t_a: { sum: 'float8', nullable: true, minMax: false },
  },
};

export const CPU_ROLLUP: RollupSource = {
  table: 'cpu_temperature',
  key: 'sensor',
  columns: { celsius: { sum: 'float8', nullable: false, minMax: true } },
};

export const CO2_ROLLUP: RollupSource = {
  table: 'co2_sample',
  key: 'sensor',
  columns: {
    ppm: { sum: 'bigint', nullable: false, minMax: true },
    temperature_c: { sum: 'float8', nullable: true, minMax: true },
  },
};

export const BME280_ROLLUP: RollupSource = {
  table: 'bme280_sample',
  key: 'sensor',
  columns: {
    temperature_c: { sum: 'float8', nullable: false, minMax: true },
    pressure_hpa: { sum: 'float8', nullable: false, minMax: true },
    humidity_pct: { sum: 'float8', nullable: false, minMax: true },
  },
};

/** One value per bucket: `fn` of `column`, named `as` in the result (float8). */
export interface RollupOutput {
  readonly as: string;
  readonly fn: 'avg' | 'min' | 'max';
  readonly column: string;
}

export interface RollupQueryOptions {
  /** Only this meter or sensor; default all of them. */
  readonly only?: string | null;
  /** One row per meter or sensor and bucket (its column comes back too); default one per bucket. */
  readonly perKey?: boolean;
}

/** The parts of [start, end) that one rollup width serves and the ragged edges it does not. */
export interface RollupSplit {
  /** Whole rollup buckets [from, to); null when the range holds none. */
  readonly rollup: { readonly from: number; readonly to: number } | null;
  /** Ranges read from the samples (at most two: before the first and after the last bucket). */
  readonly raw: ReadonlyArray<{ readonly from: number; readonly to: number }>;
}

/** Splits [startMs, endMs) at the first and last boundary of a `widthMs` grid. */
export function splitForRollup(startMs: number, endMs: number, widthMs: number): RollupSplit {
  const c = BUCKET_ORIGIN_MS + Math.ceil((startMs - BUCKET_ORIGIN_MS) / widthMs) * widthMs;
  const f = BUCKET_ORIGIN_MS + Math.floor((endMs - BUCKET_ORIGIN_MS) / widthMs) * widthMs;
  if (c >= f) return { rollup: null, raw: startMs < endMs ? [{ from: startMs, to: endMs }] : [] };
  const raw = [];
  if (startMs < c) raw.push({ from: startMs, to: c });
  if (f < endMs) raw.push({ from: f, to: endMs });
  return { rollup: { from: c, to: f }, raw };
}

/**
 * Aggregates `source` per bucket of `bucketMs` (aligned to BUCKET_ORIGIN_MS) over `range` from
 * the rollup of `widthMs` (see `rollupWidthFor`) plus the raw samples of the range's ragged
 * edges. Rows: `bucket` (its start), the meter or sensor when `perKey`, then every output as
 * float8, ordered by bucket (then meter or sensor); buckets without rows are absent.
 * @throws RangeError when `widthMs` does not divide `bucketMs` or the rollup lacks an output's
 *   column or statistic (a programming error, not a runtime condition).
 */
export function rollupBucketsQuery<R>(
  source: RollupSource,
  range: TimeRange,
  bucketMs: number,
  widthMs: number,
  outputs: readonly RollupOutput[],
  options: RollupQueryOptions = {},
): RawBuilder<R & { bucket: Date }> {
  if (bucketMs % widthMs !== 0)
    throw new RangeError(`a ${widthMs} ms rollup cannot build ${bucketMs} ms buckets`);
  const stats = neededStats(source, outputs);
  const only = options.only ?? null;
  const perKey = options.perKey ?? false;
  const keyRef = sql.ref(source.key);
  const keyFilter = only === null ? sql`` : sql` AND ${keyRef} = ${only}`;
  const keyColumn = perKey ? sql`, ${keyRef}` : sql``;
  const ts = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

  // Partial aggregates, one row per rollup bucket or per edge sample, in the same columns.
  const fromRollup = stats.map(({ column, stat }) => {
    const n = source.columns[column]!.nullable ? sql.ref(`${column}_n`) : sql.ref('n');
    return sql`${stat === 'n' ? n : sql.ref(`${column}_${stat}`)} AS ${sql.ref(`${column}_${stat}`)}`;
  });
  const fromSamples = stats.map(({ column, stat }) => {
    const ref = sql.ref(column);
    const value =
      stat === 'n'
        ? sql`(${ref} IS NOT NULL)::int`
        : stat === 'sum'
          ? sql`${ref}::${sql.raw(source.columns[column]!.sum)}`
          : ref;
    return sql`${value} AS ${sql.ref(`${column}_${stat}`)}`;
  });

  const split = splitForRollup(range.start.getTime(), range.end.getTime(), widthMs);
  const parts: RawBuilder<unknown>[] = [];
  if (split.rollup) {
    parts.push(sql`
      SELECT bucket AS t${keyColumn}, ${sql.join(fromRollup)}
      FROM ${sql.table(`rollup.${source.table}`)}
      WHERE width_s = ${sql.lit(widthMs / 1000)} AND bucket >= ${ts(split.rollup.from)} AND bucket < ${ts(split.rollup.to)}${keyFilter}`);
  }
  for (const edge of split.raw) {
    parts.push(sql`
      SELECT time AS t${keyColumn}, ${sql.join(fromSamples)}
      FROM ${sql.table(source.table)}
      WHERE time >= ${ts(edge.from)} AND time < ${ts(edge.to)}${keyFilter}`);
  }
  if (parts.length === 0) {
    // An empty range: the rollup branch with bounds that select nothing keeps the row shape.
    parts.push(sql`
      SELECT bucket AS t${keyColumn}, ${sql.join(fromRollup)}
      FROM ${sql.table(`rollup.${source.table}`)} WHERE false`);
  }

  const finals = outputs.map((o) => {
    const value =
      o.fn === 'avg'
        ? sql`sum(${sql.ref(`${o.column}_sum`)}) / nullif(sum(${sql.ref(`${o.column}_n`)}), 0)`
        : sql`${sql.raw(o.fn)}(${sql.ref(`${o.column}_${o.fn}`)})`;
    return sql`(${value})::float8 AS ${sql.ref(o.as)}`;
  });
  const origin = sql`${sql.lit(new Date(BUCKET_ORIGIN_MS).toISOString())}::timestamptz`;
  const groupKey = perKey ? sql`, ${keyRef}` : sql``;
  return sql<R & { bucket: Date }>`
    SELECT date_bin(${intervalOf(bucketMs)}, t, ${origin}) AS bucket${groupKey}, ${sql.join(finals)}
    FROM (${sql.join(parts, sql` UNION ALL `)}) AS parts
    GROUP BY 1${perKey ? sql`, 2` : sql``}
    ORDER BY 1${perKey ? sql`, 2` : sql``}`;
}

type Stat = 'n' | 'sum' | 'min' | 'max';

/** The partial aggregates `outputs` need, each once. */
function neededStats(
  source: RollupSource,
  outputs: readonly RollupOutput[],
): Array<{ column: string; stat: Stat }> {
  const seen = new Map<string, { column: string; stat: Stat }>();
  for (const o of outputs) {
    const spec = source.columns[o.column];
    if (!spec) throw new RangeError(`${source.table} has no rollup of ${o.column}`);
    if (o.fn !== 'avg' && !spec.minMax) {
      throw new RangeError(`the ${source.table} rollup keeps no ${o.fn} of ${o.column}`);
    }
    const stats: Stat[] = o.fn === 'avg' ? ['n', 'sum'] : [o.fn];
    for (const stat of stats) seen.set(`${o.column}_${stat}`, { column: o.column, stat });
  }
  return [...seen.values()];
}
