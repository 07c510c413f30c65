/**
 * Chart ranges. A chart's "day" is a JST calendar day (the meter's clock, UTC+9, no DST) whatever
 * the host's time zone is; the JST arithmetic itself is `@b-route/core`'s. Everything here works
 * on epoch milliseconds and never reads the process time zone.
 */
import {
  DAY_MS,
  formatJstDate,
  formatJstDateTime,
  HOUR_MS,
  isJstMidnight,
  JST_OFFSET_MS,
  jstParts,
  jstStartOfDay,
  MINUTE_MS,
} from '@b-route/core';
import { GraphError } from './errors.js';

/** A half-open time range [start, end). */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

/** A resolved range with the words used in titles and default file names. */
export interface ChartRange extends TimeRange {
  /** For titles: `2024-06-01`, `2024-06-01〜2024-06-07` or `2024-06-01 09:00〜2024-06-01 18:00`. */
  readonly label: string;
  /** For default file names: `2024-06-01`, `2024-06-01_2024-06-07`, `20240601T0900_20240601T1800`. */
  readonly fileStem: string;
  /** True when the range is exactly one JST calendar day. */
  readonly singleDay: boolean;
}

/**
 * 00:00 JST of a `YYYY-MM-DD` date.
 * @throws GraphError `range.invalid` for anything that is not a real calendar date.
 */
export function jstMidnight(date: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new GraphError('range.invalid', `invalid date "${date}" (expected YYYY-MM-DD)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new GraphError('range.invalid', `invalid date "${date}"`);
  }
  return new Date(utc - JST_OFFSET_MS);
}

/**
 * An ISO 8601 instant. A bare date means 00:00 JST of that date; a date-time without an offset
 * is read as JST (the meter's zone), never as the host's zone.
 * @throws GraphError `range.invalid`
 */
export function parseJstInstant(text: string): Date {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return jstMidnight(s);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m)
    throw new GraphError(
      'range.invalid',
      `invalid time "${text}" (expected ISO 8601, e.g. 2024-06-01T09:00)`,
    );
  const day = jstMidnight(m[1]!).getTime() + JST_OFFSET_MS;
  const [h, mi, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 24 || mi > 59 || sec > 59 || (h === 24 && (mi > 0 || sec > 0))) {
    throw new GraphError('range.invalid', `invalid time "${text}"`);
  }
  const frac = m[5] ? Math.round(Number(m[5]) * 1000) : 0;
  const local = day + h * HOUR_MS + mi * MINUTE_MS + sec * 1000 + frac;
  const zone = m[6];
  let offset = JST_OFFSET_MS;
  if (zone === 'Z') offset = 0;
  else if (zone) {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * HOUR_MS + Number(z[3]) * MINUTE_MS);
  }
  return new Date(local - offset);
}

/** What the user asked for on the command line; all optional. */
export interface RangeSpec {
  /** `YYYY-MM-DD`, JST; default today. */
  readonly date?: string;
  /** Number of whole JST days ending with `date`; default 1. */
  readonly days?: number;
  /** ISO instant; with `end` (default now). */
  readonly start?: string;
  /** ISO instant; with `start` (default one day before `end`). */
  readonly end?: string;
}

/** The longest range a chart accepts: ten years. */
export const MAX_RANGE_MS = 3660 * DAY_MS;

/**
 * Turns `--date/--days` or `--start/--end` into a half-open range.
 * @throws GraphError `range.invalid` for malformed values, mixed forms, or an empty/negative range.
 */
export function resolveRange(spec: RangeSpec, now: Date): ChartRange {
  const byTime = spec.start !== undefined || spec.end !== undefined;
  if (byTime && (spec.date !== undefined || spec.days !== undefined)) {
    throw new GraphError('range.invalid', 'use either --date/--days or --start/--end, not both');
  }
  let start: number;
  let end: number;
  if (byTime) {
    end = spec.end !== undefined ? parseJstInstant(spec.end).getTime() : now.getTime();
    start = spec.start !== undefined ? parseJstInstant(spec.start).getTime() : end - DAY_MS;
  } else {
    const days = spec.days ?? 1;
    if (!Number.isInteger(days) || days < 1) {
      throw new GraphError('range.invalid', `--days must be a positive whole number, got ${days}`);
    }
    const first = spec.date !== undefined ? jstMidnight(spec.date).getTime() : jstStartOfDay(now);
    end = first + DAY_MS;
    start = end - days * DAY_MS;
  }
  if (!(end > start)) {
    throw new GraphError(
      'range.invalid',
      `the range is empty: ${formatJstDateTime(start)} is not before ${formatJstDateTime(end)}`,
    );
  }
  if (end - start > MAX_RANGE_MS) throw new GraphError('range.invalid', 'the range is longer than ten years');
  return describeRange(start, end);
}

/** Label and file stem for a range given in epoch ms. */
export function describeRange(start: number, end: number): ChartRange {
  const wholeDays = isJstMidnight(start) && isJstMidnight(end);
  const singleDay = wholeDays && end - start === DAY_MS;
  let label: string;
  let fileStem: string;
  if (singleDay) {
    label = formatJstDate(start);
    fileStem = label;
  } else if (wholeDays) {
    const first = formatJstDate(start);
    const last = formatJstDate(end - DAY_MS);
    label = `${first}〜${last}`;
    fileStem = `${first}_${last}`;
  } else {
    label = `${formatJstDateTime(start)}〜${formatJstDateTime(end)}`;
    fileStem = `${compact(start)}_${compact(end)}`;
  }
  return { start: new Date(start), end: new Date(end), label, fileStem, singleDay };
}

function compact(ms: number): string {
  const p = jstParts(ms);
  return `${p.year}${pad2(p.month)}${pad2(p.day)}T${pad2(p.hour)}${pad2(p.minute)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
