import { DAY_MS, HOUR_MS } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { jstMidnight } from '../time.js';
import { halfHourBars, SLOT_MS, sumBars } from './energy-bars.js';

const day = jstMidnight('2024-06-01').getTime();
const slot = (i: number, kwh: number) => ({ t: day + i * SLOT_MS, kwh });

describe('halfHourBars', () => {
  it('turns consecutive cumulative slots into the half hour ending at each slot', () => {
    const r = halfHourBars([slot(0, 100), slot(1, 100.4), slot(2, 101.1)]);
    expect(r.bars).toEqual([
      { start: day, durationMs: SLOT_MS, kwh: 0.4 },
      { start: day + SLOT_MS, durationMs: SLOT_MS, kwh: 0.7 },
    ]);
    expect(r.totalKwh).toBeCloseTo(1.1, 9);
  });

  it('draws no bar across a missing slot but counts the energy in the total', () => {
    const r = halfHourBars([slot(0, 10), slot(1, 10.5), slot(3, 11.5), slot(4, 12)]);
    expect(r.bars.map((b) => b.start)).toEqual([day, day + 3 * SLOT_MS]);
    expect(r.totalKwh).toBe(2);
  });

  it('skips a step down (counter wrap) and needs two slots for a total', () => {
    const r = halfHourBars([slot(0, 99999.5), slot(1, 0.2), slot(2, 0.5)]);
    expect(r.bars).toEqual([{ start: day + SLOT_MS, durationMs: SLOT_MS, kwh: 0.3 }]);
    expect(halfHourBars([slot(0, 1)])).toEqual({ bars: [], totalKwh: null });
  });
});

describe('sumBars', () => {
  it('sums into buckets aligned to the origin', () => {
    const bars = Array.from({ length: 48 * 2 }, (_, i) => ({
      start: day + i * SLOT_MS,
      durationMs: SLOT_MS,
      kwh: 0.25,
    }));
    const daily = sumBars(bars, DAY_MS, day);
    expect(daily).toEqual([
      { start: day, durationMs: DAY_MS, kwh: 12 },
      { start: day + DAY_MS, durationMs: DAY_MS, kwh: 12 },
    ]);
    expect(sumBars(bars, 6 * HOUR_MS, day)).toHaveLength(8);
    expect(sumBars(bars, SLOT_MS, day)).toHaveLength(96);
  });
});

describe('halfHourBars across a counter wrap', () => {
  const T = Date.UTC(2026, 0, 1);
  const slot = (i: number, count: number) => ({
    t: T + i * SLOT_MS,
    kwh: Math.round(count) / 10, // unit 0.1 kWh, coefficient 1
    count,
    modulus: 1_000_000, // D7 = 6
  });

  it('counts the half hour in which a 6-digit count went 999991 → 2, in its bar and in the total', () => {
    const r = halfHourBars([slot(0, 999_980), slot(1, 999_991), slot(2, 2), slot(3, 30)]);
    expect(r.bars.map((b) => b.kwh)).toEqual([1.1, 1.1, 2.8]);
    expect(r.totalKwh).toBe(5);
  });

  it('leaves out a step down it cannot explain as one wrap (digits unknown, or a meter exchange)', () => {
    const unknown = halfHourBars([
      { t: T, kwh: 5 },
      { t: T + SLOT_MS, kwh: 1 },
    ]);
    expect(unknown.bars).toEqual([]);
    const exchange = halfHourBars([slot(0, 400_000), slot(1, 10)]); // 600 010 counts in 30 min: no wrap
    expect(exchange.bars).toEqual([]);
  });
});
