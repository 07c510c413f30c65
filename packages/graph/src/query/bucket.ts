/**
 * Downsampling. A day of 10-second samples (8,640 points) is drawn as is; longer ranges are
 * aggregated in SQL per bucket chosen from a list of round durations so that a chart gets at most
 * MAX_POINTS points (a month at 30 minutes is 1,440; a year at 6 hours is 1,460). Buckets that
 * are whole multiples of 5 minutes are built from the rollups (see `rollupBucketsQuery`);
 * `perBucket` serves the shorter ones from the samples.
 */
import { DAY_MS, HOUR_MS, JST_OFFSET_MS, MINUTE_MS } from '@b-route/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db-types.js';
import type { TimeRange } from '../time.js';

export const MAX_POINTS = 2000;

/** Ranges up to this long are read sample by sample. */
export const RAW_RANGE_MS = DAY_MS;

export const BUCKET_STEPS_MS: readonly number[] = [
  MINUTE_MS,
  2 * MINUTE_MS,
  5 * MINUTE_MS,
  10 * MINUTE_MS,
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  7 * DAY_MS,
];

/** Every bucket boundary is this instant (2000-01-01 00:00 JST) plus a multiple of the bucket. */
export const BUCKET_ORIGIN_MS = Date.UTC(2000, 0, 1) - JST_OFFSET_MS;

/** The bucket for a range of `rangeMs`, or null when the range is drawn from raw samples. */
export function chooseBucket(rangeMs: number, maxPoints = MAX_POINTS): number | null {
  if (rangeMs <= RAW_RANGE_MS) return null;
  return (
    BUCKET_STEPS_MS.find((s) => rangeMs / s <= maxPoints) ?? BUCKET_STEPS_MS[BUCKET_STEPS_MS.length - 1]!
  );
}

/** A bucket length as an SQL interval literal. */
export function intervalOf(bucketMs: number): RawBuilder<unknown> {
  return sql`${sql.lit(`${bucketMs / 1000} seconds`)}::interval`;
}

/**
 * Aggregates rows per bucket with one index range scan per bucket:
 *
 *   SELECT b.bucket, a.* FROM generate_series(first bucket, end, step) AS b(bucket)
 *   CROSS JOIN LATERAL (<inner>) AS a ORDER BY b.bucket
 *
 * rather than `GROUP BY date_bin(...)`: PostgreSQL cannot estimate how many groups a date_bin
 * makes, assumes one per row, and sorts the whole range (3 million rows for a year of 10-second
 * samples, spilling to disk) before aggregating; the lateral form reads each bucket's rows from
 * the index in order and aggregates them as they come: a year of 10-second samples in about
 * 60% of the time, and with JIT off (`executeWithoutJit`) a month in 60% as well. Buckets start at
 * BUCKET_ORIGIN_MS plus a multiple of the bucket (JST midnight alignment, as date_bin would);
 * `inner` receives the bucket's bounds clipped to the range and must return no row for an empty
 * bucket (HAVING count(*) > 0, or GROUP BY a column).
 */
export function perBucket<R>(
  range: TimeRange,
  bucketMs: number,
  inner: (from: RawBuilder<Date>, to: RawBuilder<Date>) => RawBuilder<R>,
): RawBuilder<R & { bucket: Date }> {
  const step = intervalOf(bucketMs);
  const origin = sql`${sql.lit(new Date(BUCKET_ORIGIN_MS).toISOString())}::timestamptz`;
  const start = sql`${range.start.toISOString()}::timestamptz`;
  const end = sql`${range.end.toISOString()}::timestamptz`;
  const from = sql<Date>`greatest(b.bucket, ${start})`;
  const to = sql<Date>`least(b.bucket + ${step}, ${end})`;
  return sql<R & { bucket: Date }>`
    SELECT b.bucket, a.*
    FROM generate_series(date_bin(${step}, ${start}, ${origin}), ${end} - interval '1 microsecond', ${step}) AS b(bucket)
    CROSS JOIN LATERAL (${inner(from, to)}) AS a
    ORDER BY b.bucket`;
}

/** Bar periods for half-hour consumption, from 30 minutes up to a week. */
export const BAR_STEPS_MS: readonly number[] = [
  30 * MINUTE_MS,
  HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  7 * DAY_MS,
];

/** The period one consumption bar covers for a range of `rangeMs`: at most `maxBars` bars. */
export function chooseBarPeriod(rangeMs: number, maxBars = 400): number {
  return BAR_STEPS_MS.find((s) => rangeMs / s <= maxBars) ?? BAR_STEPS_MS[BAR_STEPS_MS.length - 1]!;
}

/**
 * Runs a `perBucket` query with JIT compilation off for its transaction. The planner cannot see
 * how many rows a bucket holds (its bounds come from the outer row), so it overestimates the
 * cost of every bucket's index scan, crosses jit_above_cost, and spends ~100 ms compiling a
 * plan that then runs in 10–60 ms (two days to a month of 10-second samples).
 */
export async function executeWithoutJit<R>(db: Kysely<Database>, query: RawBuilder<R>): Promise<R[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL jit = off`.execute(trx);
    return (await query.execute(trx)).rows;
  });
}
