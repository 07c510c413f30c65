import { DAY_MS, formatJstDateTime, HOUR_MS } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { jstMidnight } from '../time.js';
import { jstTicks } from './jst-ticks.js';

describe('jstTicks', () => {
  const day = jstMidnight('2024-06-01').getTime();

  it('puts a one-day chart on JST 2-hour boundaries and ends at 24:00', () => {
    const t = jstTicks(day, day + DAY_MS);
    expect(t.stepMs).toBe(2 * HOUR_MS);
    expect(t.values).toHaveLength(13);
    expect(t.values.map(t.format)).toEqual([
      '00:00',
      '02:00',
      '04:00',
      '06:00',
      '08:00',
      '10:00',
      '12:00',
      '14:00',
      '16:00',
      '18:00',
      '20:00',
      '22:00',
      '24:00',
    ]);
  });

  it('aligns partial ranges to the step in JST, not UTC', () => {
    const start = day + 9 * HOUR_MS + 17 * 60_000; // 09:17 JST
    const t = jstTicks(start, start + 9 * HOUR_MS);
    expect(t.values.map((v) => formatJstDateTime(v))[0]).toBe('2024-06-01 10:00');
    expect(t.values.map(t.format)).toContain('18:00');
  });

  it('labels week ranges by date at midnights', () => {
    const t = jstTicks(day, day + 7 * DAY_MS);
    expect(t.stepMs).toBe(DAY_MS);
    expect(t.values.map(t.format)).toEqual([
      '06/01',
      '06/02',
      '06/03',
      '06/04',
      '06/05',
      '06/06',
      '06/07',
      '06/08',
    ]);
  });

  it('labels two-day ranges with dates at midnight and hours between', () => {
    const t = jstTicks(day, day + 2 * DAY_MS);
    const labels = t.values.map(t.format);
    expect(labels[0]).toBe('06/01');
    expect(labels).toContain('06/02');
    expect(labels).toContain('12:00');
  });

  it('uses first-of-month ticks for a year', () => {
    const start = jstMidnight('2024-01-01').getTime();
    const t = jstTicks(start, start + 366 * DAY_MS);
    expect(t.values.map(t.format)).toEqual([
      '2024/01',
      '2024/02',
      '2024/03',
      '2024/04',
      '2024/05',
      '2024/06',
      '2024/07',
      '2024/08',
      '2024/09',
      '2024/10',
      '2024/11',
      '2024/12',
      '2025/01',
    ]);
    expect(t.values.every((v) => formatJstDateTime(v).endsWith('00:00'))).toBe(true);
  });

  it('never exceeds the tick budget', () => {
    for (const span of [HOUR_MS, 5 * HOUR_MS, 3 * DAY_MS, 30 * DAY_MS, 90 * DAY_MS, 800 * DAY_MS]) {
      expect(jstTicks(day, day + span).values.length).toBeLessThanOrEqual(13);
      expect(jstTicks(day, day + span).values.length).toBeGreaterThanOrEqual(2);
    }
  });
});
