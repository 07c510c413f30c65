import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  floorHalfHour,
  floorJst,
  formatJst,
  formatJstDate,
  formatJstDateTime,
  formatJstTime,
  HOUR_MS,
  isJstMidnight,
  JST_OFFSET_MS,
  jstDayNumber,
  jstDayOfWeek,
  jstDayOfYear,
  jstDayStart,
  jstHourOfDay,
  jstMinuteOfDay,
  jstParts,
  jstStartOfDay,
} from './jst.js';

describe('JST arithmetic', () => {
  it('is UTC+9 in milliseconds', () => {
    expect(JST_OFFSET_MS).toBe(32_400_000);
    expect(DAY_MS).toBe(86_400_000);
  });

  it('numbers days from 1970-01-01 JST and finds their midnights', () => {
    // 2024-05-31T15:00Z is 2024-06-01 00:00 JST.
    const midnight = Date.parse('2024-05-31T15:00:00Z');
    const day = jstDayNumber(midnight);
    expect(day).toBe(Date.UTC(2024, 5, 1) / DAY_MS);
    expect(jstDayNumber(midnight - 1)).toBe(day - 1);
    expect(jstDayStart(day)).toBe(midnight);
    expect(jstStartOfDay(midnight + 23 * HOUR_MS)).toBe(midnight);
    expect(jstStartOfDay(new Date(midnight - 1))).toBe(midnight - DAY_MS);
    expect(isJstMidnight(midnight)).toBe(true);
    expect(isJstMidnight(midnight + 1)).toBe(false);
    // Before 1970 too: day numbers are floored, not truncated.
    expect(jstStartOfDay(-JST_OFFSET_MS - 1)).toBe(-JST_OFFSET_MS - DAY_MS);
  });

  it('formats in JST regardless of UTC date', () => {
    const t = Date.parse('2024-05-31T15:30:00Z');
    expect(formatJstDate(t)).toBe('2024-06-01');
    expect(formatJstTime(t)).toBe('00:30');
    expect(jstStartOfDay(t)).toBe(Date.parse('2024-05-31T15:00:00Z'));
  });

  it('formats fields and instants alike', () => {
    const t = { year: 2026, month: 5, day: 20, hour: 4, minute: 5, second: 6 };
    const at = Date.parse('2026-05-19T19:05:06Z');
    expect(formatJst(t)).toBe('2026-05-20T04:05:06+09:00');
    expect(formatJst(at)).toBe('2026-05-20T04:05:06+09:00');
    expect(formatJst(new Date(at))).toBe('2026-05-20T04:05:06+09:00');
    expect(formatJstDate(t)).toBe('2026-05-20');
    expect(formatJstDate({ year: 5, month: 1, day: 2 })).toBe('0005-01-02');
    expect(formatJstDateTime(at)).toBe('2026-05-20 04:05');
    expect(jstParts(at)).toEqual(t);
  });

  it('gives the hour, minute, weekday and day of the year in JST', () => {
    const t = Date.parse('2024-05-15T11:26:59.500Z'); // Wednesday 20:26:59.5 JST
    expect(jstHourOfDay(t)).toBeCloseTo(20 + 26 / 60 + 59.5 / 3600, 9);
    expect(jstMinuteOfDay(t)).toBe(20 * 60 + 26);
    expect(jstMinuteOfDay(Date.parse('2024-05-15T15:00:00Z'))).toBe(0);
    expect(jstMinuteOfDay(Date.parse('2024-05-15T14:59:59Z'))).toBe(1439);
    expect(jstDayOfWeek(jstDayNumber(t))).toBe(3);
    expect(jstDayOfWeek(-1)).toBe(3); // 1969-12-31
    expect(jstDayOfYear(jstDayNumber(Date.parse('2024-01-01T00:00:00+09:00')))).toBe(0);
    expect(jstDayOfYear(jstDayNumber(Date.parse('2024-12-31T12:00:00+09:00')))).toBe(365);
  });

  it('floors to half hours and to steps counted from a JST midnight', () => {
    const t = Date.parse('2024-05-15T11:44:00Z');
    expect(floorHalfHour(t)).toBe(Date.parse('2024-05-15T11:30:00Z'));
    expect(floorJst(t, DAY_MS)).toBe(Date.parse('2024-05-15T00:00:00+09:00'));
    // Two-hour steps fall on even JST hours (odd UTC hours).
    expect(floorJst(t, 2 * HOUR_MS)).toBe(Date.parse('2024-05-15T20:00:00+09:00'));
  });
});
