import { DAY_MS } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { isGraphError } from './errors.js';
import { describeRange, jstMidnight, parseJstInstant, resolveRange } from './time.js';

describe('JST helpers', () => {
  it('maps 00:00 JST to 15:00 UTC of the previous day', () => {
    expect(jstMidnight('2024-06-01').toISOString()).toBe('2024-05-31T15:00:00.000Z');
  });

  it('rejects dates that do not exist', () => {
    expect(() => jstMidnight('2024-02-30')).toThrow(/invalid date/);
    expect(() => jstMidnight('2024/02/01')).toThrow(/YYYY-MM-DD/);
  });

  it('reads times without an offset as JST and honours explicit offsets', () => {
    expect(parseJstInstant('2024-06-01T09:00').toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(parseJstInstant('2024-06-01 09:00:30').toISOString()).toBe('2024-06-01T00:00:30.000Z');
    expect(parseJstInstant('2024-06-01T09:00Z').toISOString()).toBe('2024-06-01T09:00:00.000Z');
    expect(parseJstInstant('2024-06-01T09:00+02:00').toISOString()).toBe('2024-06-01T07:00:00.000Z');
    expect(parseJstInstant('2024-06-01').toISOString()).toBe('2024-05-31T15:00:00.000Z');
    expect(() => parseJstInstant('yesterday')).toThrow(/invalid time/);
    expect(() => parseJstInstant('2024-06-01T25:00')).toThrow(/invalid time/);
  });
});

describe('resolveRange', () => {
  const now = new Date('2024-06-01T20:00:00Z'); // 2024-06-02 05:00 JST

  it('defaults to today in JST', () => {
    const r = resolveRange({}, now);
    expect(r.start.toISOString()).toBe('2024-06-01T15:00:00.000Z');
    expect(r.end.getTime() - r.start.getTime()).toBe(DAY_MS);
    expect(r.label).toBe('2024-06-02');
    expect(r.fileStem).toBe('2024-06-02');
    expect(r.singleDay).toBe(true);
  });

  it('takes --days N as the N days ending with --date', () => {
    const r = resolveRange({ date: '2024-06-07', days: 7 }, now);
    expect(r.start.toISOString()).toBe('2024-05-31T15:00:00.000Z');
    expect(r.end.toISOString()).toBe('2024-06-07T15:00:00.000Z');
    expect(r.label).toBe('2024-06-01〜2024-06-07');
    expect(r.fileStem).toBe('2024-06-01_2024-06-07');
    expect(r.singleDay).toBe(false);
  });

  it('takes --start/--end, --start alone runs to now, --end alone covers the day before it', () => {
    const r = resolveRange({ start: '2024-06-01T09:00', end: '2024-06-01T18:00' }, now);
    expect(r.label).toBe('2024-06-01 09:00〜2024-06-01 18:00');
    expect(r.fileStem).toBe('20240601T0900_20240601T1800');
    expect(resolveRange({ start: '2024-06-01T09:00' }, now).end).toEqual(now);
    const e = resolveRange({ end: '2024-06-02' }, now);
    expect(e.label).toBe('2024-06-01');
  });

  it('rejects mixed forms, empty ranges and bad counts', () => {
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isGraphError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(codeOf(() => resolveRange({ date: '2024-06-01', start: '2024-06-01' }, now))).toBe(
      'range.invalid',
    );
    expect(codeOf(() => resolveRange({ start: '2024-06-02', end: '2024-06-01' }, now))).toBe('range.invalid');
    expect(codeOf(() => resolveRange({ days: 0 }, now))).toBe('range.invalid');
    expect(codeOf(() => resolveRange({ days: 1.5 }, now))).toBe('range.invalid');
  });

  it('describes arbitrary ms ranges', () => {
    const start = jstMidnight('2024-01-01').getTime();
    expect(describeRange(start, start + 366 * DAY_MS).label).toBe('2024-01-01〜2024-12-31');
  });
});
