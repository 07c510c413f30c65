/**
 * Calendar arithmetic on epoch milliseconds in meter local time (JST, UTC+9, no DST). JST is a
 * whole number of half hours from UTC, so epoch-aligned minute, 10-second and 30-minute steps
 * are also JST-aligned.
 */

export const MINUTE_MS = 60_000;
export const HALF_HOUR_MS = 30 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const JST_OFFSET_MS = 9 * HOUR_MS;

/** Days since 1970-01-01 (JST) of the JST calendar day containing `t`. */
export function jstDayNumber(t: number): number {
  return Math.floor((t + JST_OFFSET_MS) / DAY_MS);
}

/** The instant 00:00 JST of day number `day`. */
export function jstDayStart(day: number): number {
  return day * DAY_MS - JST_OFFSET_MS;
}

/** Day of week of a JST day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
export function jstDayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Day of the year (0 = 1 January) of a JST day number. */
export function jstDayOfYear(day: number): number {
  const d = new Date(day * DAY_MS);
  return Math.floor((day * DAY_MS - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** Hours since 00:00 JST of the day containing `t` (fractional). */
export function jstHourOfDay(t: number): number {
  return (t - jstDayStart(jstDayNumber(t))) / HOUR_MS;
}

/** `t` rounded down to a multiple of `step` ms. */
export function floorTo(t: number, step: number): number {
  return Math.floor(t / step) * step;
}
