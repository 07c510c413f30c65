import { describe, expect, it } from 'vitest';
import { addJstMinutes, dateToJst, formatJst, formatJstDate, isValidJst, jstToDate } from './jst-time.js';

describe('JST date-times', () => {
  it('maps meter local time to UTC by subtracting 9 h', () => {
    const t = { year: 2026, month: 5, day: 20, hour: 14, minute: 0, second: 0 };
    expect(jstToDate(t).toISOString()).toBe('2026-05-20T05:00:00.000Z');
    expect(jstToDate({ ...t, hour: 3 }).toISOString()).toBe('2026-05-19T18:00:00.000Z');
  });

  it('maps an instant back to JST, crossing the date line', () => {
    expect(dateToJst(new Date('2025-12-31T15:00:00.000Z'))).toEqual({
      year: 2026,
      month: 1,
      day: 1,
      hour: 0,
      minute: 0,
      second: 0,
    });
  });

  it('round-trips every half hour of a leap day', () => {
    for (let m = 0; m < 24 * 60; m += 30) {
      const t = { year: 2024, month: 2, day: 29, hour: Math.floor(m / 60), minute: m % 60, second: 7 };
      expect(dateToJst(jstToDate(t))).toEqual(t);
    }
  });

  it('does not treat years below 100 as 19xx', () => {
    expect(jstToDate({ year: 5, month: 1, day: 1, hour: 9, minute: 0, second: 0 }).getUTCFullYear()).toBe(5);
  });

  it('adds minutes across month and year ends', () => {
    const t = { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    expect(addJstMinutes(t, -30)).toEqual({
      year: 2025,
      month: 12,
      day: 31,
      hour: 23,
      minute: 30,
      second: 0,
    });
    expect(addJstMinutes(t, 60 * 24 * 31)).toMatchObject({ month: 2, day: 1 });
  });

  it('validates calendar fields', () => {
    const ok = { year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59 };
    expect(isValidJst(ok)).toBe(true);
    expect(isValidJst({ ...ok, year: 2026 })).toBe(false);
    expect(isValidJst({ ...ok, month: 13 })).toBe(false);
    expect(isValidJst({ ...ok, hour: 24 })).toBe(false);
    expect(isValidJst({ ...ok, second: 60 })).toBe(false);
    expect(isValidJst({ ...ok, day: 0 })).toBe(false);
    expect(isValidJst({ ...ok, minute: 1.5 })).toBe(false);
  });

  it('formats ISO strings with the +09:00 offset', () => {
    const t = { year: 2026, month: 5, day: 20, hour: 4, minute: 5, second: 6 };
    expect(formatJst(t)).toBe('2026-05-20T04:05:06+09:00');
    expect(new Date(formatJst(t)).getTime()).toBe(jstToDate(t).getTime());
    expect(formatJstDate(t)).toBe('2026-05-20');
  });
});
