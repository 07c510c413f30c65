import { DAY_MS, jstDayOfWeek, jstDayOfYear, MINUTE_MS } from '@b-route/core';

/** Local calendar position of an instant at a fixed UTC offset (no DST; Japan is UTC+9). */
export interface LocalTime {
  /** Days since 1970-01-01 in local time. */
  day: number;
  /** Minutes since local midnight, fractional. */
  minuteOfDay: number;
  /** 0 Sunday … 6 Saturday. */
  dayOfWeek: number;
  /** 0-based day of the year (leap years ignored: 365-day cycle from 1 January). */
  dayOfYear: number;
}

/**
 * Where `t` falls on the local calendar. The day-number arithmetic of `jst-calendar` holds for
 * any offset: it only needs days counted from 1970-01-01 local.
 */
export function localTime(t: number, utcOffsetMinutes: number): LocalTime {
  const local = t + utcOffsetMinutes * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const minuteOfDay = (local - day * DAY_MS) / MINUTE_MS;
  return { day, minuteOfDay, dayOfWeek: jstDayOfWeek(day), dayOfYear: jstDayOfYear(day) };
}
