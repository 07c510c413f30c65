/**
 * Meter local time. The meter clock and every timestamp in 0x0288 properties (97/98, D0,
 * EA/EB, EC/ED, EE/EF) is Japan Standard Time: UTC+9, no daylight saving (protocol.md §6).
 * The offset, the fields and their formatting live in `@b-route/core`.
 */
import { JST_OFFSET_MS, type JstDateTime, jstParts, MINUTE_MS } from '@b-route/core';

export { formatJst, formatJstDate, type JstDate, type JstDateTime } from '@b-route/core';

/** The instant a JST wall-clock time denotes. Out-of-range fields roll over like `Date.UTC`. */
export function jstToDate(t: JstDateTime): Date {
  return new Date(utcMs(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - JST_OFFSET_MS);
}

/** `Date.UTC` without its mapping of years 0..99 to 1900..1999. */
function utcMs(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The JST wall-clock time of an instant (milliseconds are dropped). */
export function dateToJst(d: Date): JstDateTime {
  return jstParts(d);
}

/** `t` moved by `minutes` (negative goes back), across day/month/year boundaries. */
export function addJstMinutes(t: JstDateTime, minutes: number): JstDateTime {
  return dateToJst(new Date(jstToDate(t).getTime() + minutes * MINUTE_MS));
}

/** True when the fields name a real calendar time (leap years included). */
export function isValidJst(t: JstDateTime): boolean {
  const ints = [t.year, t.month, t.day, t.hour, t.minute, t.second].every(Number.isInteger);
  if (!ints || t.year < 1 || t.year > 9999) return false;
  if (t.month < 1 || t.month > 12 || t.hour < 0 || t.hour > 23) return false;
  if (t.minute < 0 || t.minute > 59 || t.second < 0 || t.second > 59) return false;
  const daysInMonth = new Date(utcMs(t.year, t.month, 0)).getUTCDate();
  return t.day >= 1 && t.day <= daysInMonth;
}
