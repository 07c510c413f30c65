import { DAY_MS, HOUR_MS, MINUTE_MS } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { chooseBarPeriod, chooseBucket, MAX_POINTS } from './bucket.js';

describe('chooseBucket', () => {
  it('reads up to a day raw', () => {
    expect(chooseBucket(DAY_MS)).toBeNull();
    expect(chooseBucket(HOUR_MS)).toBeNull();
  });

  it('picks round buckets that keep a chart between 1000 and 2000 points', () => {
    expect(chooseBucket(2 * DAY_MS)).toBe(2 * MINUTE_MS);
    expect(chooseBucket(7 * DAY_MS)).toBe(10 * MINUTE_MS);
    expect(chooseBucket(30 * DAY_MS)).toBe(30 * MINUTE_MS);
    expect(chooseBucket(365 * DAY_MS)).toBe(6 * HOUR_MS);
    for (const days of [2, 3, 7, 14, 30, 31, 90, 365, 366]) {
      const points = (days * DAY_MS) / chooseBucket(days * DAY_MS)!;
      expect(points).toBeLessThanOrEqual(MAX_POINTS);
      expect(points).toBeGreaterThanOrEqual(700);
    }
  });
});

describe('chooseBarPeriod', () => {
  it('keeps half hours up to a week, then widens the bars', () => {
    expect(chooseBarPeriod(DAY_MS)).toBe(30 * MINUTE_MS);
    expect(chooseBarPeriod(7 * DAY_MS)).toBe(30 * MINUTE_MS);
    expect(chooseBarPeriod(30 * DAY_MS)).toBe(3 * HOUR_MS);
    expect(chooseBarPeriod(365 * DAY_MS)).toBe(DAY_MS);
  });
});
