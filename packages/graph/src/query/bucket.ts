/**
 * Downsampling. A day of 10-second samples (8,640 points) is drawn as is; longer ranges are
 * averaged in SQL into buckets chosen from a list of round durations so that a chart gets at most
 * MAX_POINTS points (a month at 30 minutes is 1,440; a year at 6 hours is 1,460).
 */
import { type RawBuilder, sql } from 'kysely';
import { DAY_MS, HOUR_MS, JST_OFFSET_MS, MINUTE_MS } from '../time.js';

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

/**
 * `date_bin(bucket, column, origin)` with the origin at a JST midnight, so day and half-day
 * buckets start at 00:00/12:00 meter time rather than at UTC midnight.
 */
export function dateBin(bucketMs: number, column: string): RawBuilder<Date> {
  const origin = new Date(BUCKET_ORIGIN_MS).toISOString();
  return sql<Date>`date_bin(${sql.lit(`${bucketMs / 1000} seconds`)}::interval, ${sql.ref(column)}, ${sql.lit(origin)}::timestamptz)`;
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
