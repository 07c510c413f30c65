import { describe, expect, it } from 'vitest';
import { countToKwh, historyPoints, wrapDelta } from './energy.js';
import { DEFAULT_COEFFICIENT, ENERGY_UNITS, METER_PROPERTIES } from './meter-properties.js';

describe('countToKwh', () => {
  it('gives the decimal value without float noise', () => {
    expect(countToKwh(3, 1, 0.1)).toBe(0.3);
    expect(countToKwh(65139, 1, 0.1)).toBe(6513.9);
    expect(countToKwh(65139, DEFAULT_COEFFICIENT, 0.01)).toBe(651.39);
    expect(countToKwh(7, 3, 0.001)).toBe(0.021);
    expect(countToKwh(1, 1, 0.0001)).toBe(0.0001);
    expect(countToKwh(123, 40, 10)).toBe(49200);
    expect(countToKwh(99_999_999, 1, 10000)).toBe(999_999_990_000);
    expect(countToKwh(null, 1, 0.1)).toBeNull();
  });

  it('matches the decimal string for every unit of E1', () => {
    for (const [, unit] of ENERGY_UNITS) {
      const digits = Math.max(0, -Math.round(Math.log10(unit)));
      for (const count of [0, 1, 3, 7, 65139, 99_999_999]) {
        expect(countToKwh(count, 2, unit)).toBe(Number((count * 2 * unit).toFixed(digits)));
      }
    }
  });

  it('rejects counts, coefficients and units it cannot scale exactly', () => {
    expect(() => countToKwh(-1, 1, 1)).toThrow(expect.objectContaining({ code: 'property.range' }));
    expect(() => countToKwh(1.5, 1, 1)).toThrow(expect.objectContaining({ code: 'property.range' }));
    expect(() => countToKwh(1, 1, 0.2)).toThrow(expect.objectContaining({ code: 'property.range' }));
    expect(() => countToKwh(1, 1, 0)).toThrow(expect.objectContaining({ code: 'property.range' }));
  });
});

describe('wrapDelta', () => {
  it('subtracts, and adds 10^digits when the counter wrapped', () => {
    expect(wrapDelta(65128, 65139, 6)).toBe(11);
    expect(wrapDelta(999_990, 5, 6)).toBe(15);
    expect(wrapDelta(5, 5, 6)).toBe(0);
    expect(wrapDelta(99_999_999, 0, 8)).toBe(1);
    expect(wrapDelta(null, 5, 6)).toBeNull();
  });

  it('rejects digits outside 1..8 and counts that do not fit', () => {
    expect(() => wrapDelta(1, 2, 9)).toThrow(expect.objectContaining({ code: 'property.range' }));
    expect(() => wrapDelta(1_000_000, 2, 6)).toThrow(expect.objectContaining({ code: 'property.range' }));
  });
});

describe('historyPoints', () => {
  it('places E2 counts at 00:00..23:30 JST of today − day', () => {
    const counts = Array.from({ length: 48 }, (_, i) => (i === 47 ? null : 1000 + i));
    const points = historyPoints(
      { day: 1, counts },
      { today: { year: 2026, month: 3, day: 1 }, coefficient: 1, unitKwh: 0.1 },
    );
    expect(points).toHaveLength(48);
    // 2026-02-28 00:00 JST = 2026-02-27 15:00 UTC
    expect(points[0]).toEqual({ slot: new Date('2026-02-27T15:00:00Z'), count: 1000, kwh: 100 });
    expect(points[1]!.slot.toISOString()).toBe('2026-02-27T15:30:00.000Z');
    expect(points[3]!.kwh).toBe(100.3);
    expect(points[47]).toEqual({ slot: new Date('2026-02-28T14:30:00Z'), count: null, kwh: null });
  });

  it('walks back across month ends with today − day', () => {
    const points = historyPoints(
      { day: 45, counts: Array(48).fill(0) },
      { today: { year: 2026, month: 1, day: 10 }, coefficient: 1, unitKwh: 1 },
    );
    expect(points[0]!.slot.toISOString()).toBe('2025-11-25T15:00:00.000Z');
  });

  it('uses the chosen direction of an EC series, newest first', () => {
    const ec = METER_PROPERTIES.history2.decode(
      METER_PROPERTIES.history2.encode({
        time: { year: 2026, month: 5, day: 20, hour: 0, minute: 0, second: 0 },
        points: [
          { time: { year: 2026, month: 5, day: 20, hour: 0, minute: 0, second: 0 }, normal: 20, reverse: 3 },
          {
            time: { year: 2026, month: 5, day: 19, hour: 23, minute: 30, second: 0 },
            normal: 10,
            reverse: null,
          },
        ],
      }),
    );
    const reverse = historyPoints(ec, { coefficient: 10, unitKwh: 0.01, direction: 'reverse' });
    expect(reverse).toEqual([
      { slot: new Date('2026-05-19T15:00:00Z'), count: 3, kwh: 0.3 },
      { slot: new Date('2026-05-19T14:30:00Z'), count: null, kwh: null },
    ]);
    expect(
      historyPoints(ec, { coefficient: 1, unitKwh: 0.1, direction: 'normal' }).map((p) => p.kwh),
    ).toEqual([2, 1]);
  });
});
