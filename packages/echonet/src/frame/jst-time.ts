/**
 * Meter local time. The meter clock and every timestamp in 0x0288 properties (97/98, D0,
 * EA/EB, EC/ED, EE/EF) is Japan Standard Time: UTC+9, no daylight saving (protocol.md §6).
 */
export interface JstDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** A calendar day in JST. */
export interface JstDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const JST_OFFSET_MS = 9 * 3600_000;

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
  const s = new Date(d.getTime() + JST_OFFSET_MS);
  return {
    year: s.getUTCFullYear(),
    month: s.getUTCMonth() + 1,
    day: s.getUTCDate(),
    hour: s.getUTCHours(),
    minute: s.getUTCMinutes(),
    second: s.getUTCSeconds(),
  };
}

/** `t` moved by `minutes` (negative goes back), across day/month/year boundaries. */
export function addJstMinutes(t: JstDateTime, minutes: number): JstDateTime {
  return dateToJst(new Date(jstToDate(t).getTime() + minutes * 60_000));
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

/** ISO 8601 with the JST offset, e.g. `2026-05-20T14:00:00+09:00`. */
export function formatJst(t: JstDateTime): string {
  return `${formatJstDate(t)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}+09:00`;
}

/** ISO 8601 calendar date, e.g. `2026-05-20`. */
export function formatJstDate(d: JstDate): string {
  return `${String(d.year).padStart(4, '0')}-${pad(d.month)}-${pad(d.day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
