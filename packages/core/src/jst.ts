/**
 * Japan Standard Time on epoch milliseconds. The meter's clock, every slot it reports and every
 * chart's day are JST: UTC+9 without daylight saving (protocol.md §6), whatever the host's time
 * zone is; nothing here reads the process time zone. JST is a whole number of half hours from
 * UTC, so epoch-aligned minute, 10-second and 30-minute steps are also JST-aligned.
 */

export const MINUTE_MS = 60_000;
export const HALF_HOUR_MS = 30 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const JST_OFFSET_MS = 9 * HOUR_MS;

/** A calendar day in JST. */
export interface JstDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A JST wall-clock time, to the second. */
export interface JstDateTime extends JstDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

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

/** `t` rounded down to a multiple of `step` ms counted from a JST midnight. */
export function floorJst(t: number, step: number): number {
  return Math.floor((t + JST_OFFSET_MS) / step) * step - JST_OFFSET_MS;
}

/** The instant of 00:00 JST starting the JST day that holds `instant`. */
export function jstStartOfDay(instant: Date | number): number {
  return floorJst(toMs(instant), DAY_MS);
}

/** True when `instant` is exactly 00:00 JST. */
export function isJstMidnight(instant: Date | number): boolean {
  const ms = toMs(instant);
  return jstStartOfDay(ms) === ms;
}

/** Hours since 00:00 JST of the day containing `t` (fractional). */
export function jstHourOfDay(t: number): number {
  return (t - jstStartOfDay(t)) / HOUR_MS;
}

/** Whole minutes since 00:00 JST of the day containing `t` (0 … 1439). */
export function jstMinuteOfDay(t: number): number {
  return Math.floor((t - jstStartOfDay(t)) / MINUTE_MS);
}

/** `t` rounded down to a multiple of `step` ms. */
export function floorTo(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

/** The last half-hour boundary at or before `t`. */
export function floorHalfHour(t: number): number {
  return floorTo(t, HALF_HOUR_MS);
}

/** The JST wall-clock time of an instant (milliseconds are dropped). */
export function jstParts(instant: Date | number): JstDateTime {
  const d = new Date(toMs(instant) + JST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** ISO 8601 calendar date, e.g. `2026-05-20`, of JST fields or of the JST day holding an instant. */
export function formatJstDate(date: JstDate | Date | number): string {
  const p = isInstant(date) ? jstParts(date) : date;
  return `${String(p.year).padStart(4, '0')}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** `HH:MM` in JST. */
export function formatJstTime(instant: Date | number): string {
  const p = jstParts(instant);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** `YYYY-MM-DD HH:MM` in JST. */
export function formatJstDateTime(instant: Date | number): string {
  return `${formatJstDate(instant)} ${formatJstTime(instant)}`;
}

/** ISO 8601 with the JST offset, e.g. `2026-05-20T14:00:00+09:00`, of JST fields or an instant. */
export function formatJst(time: JstDateTime | Date | number): string {
  const t = isInstant(time) ? jstParts(time) : time;
  return `${formatJstDate(t)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}+09:00`;
}

function isInstant(x: object | number): x is Date | number {
  return typeof x === 'number' || x instanceof Date;
}

function toMs(instant: Date | number): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
