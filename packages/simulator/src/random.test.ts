import { describe, expect, it } from 'vitest';
import { fractalNoise, hashInts, localTime, smoothNoise, unitHash } from './seeded.js';

describe('seeded randomness', () => {
  it('is a pure function of seed and inputs, and the seed matters', () => {
    expect(hashInts(7, 1, 2)).toBe(hashInts(7, 1, 2));
    expect(hashInts(7, 1, 2)).not.toBe(hashInts(8, 1, 2));
    expect(hashInts(7, 1, 2)).not.toBe(hashInts(7, 2, 1));
  });

  it('tells apart inputs that differ only above 32 bits (epoch-ms indices)', () => {
    expect(hashInts(1, 2 ** 32 + 5)).not.toBe(hashInts(1, 5));
  });

  it('spreads unitHash evenly over [0, 1)', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const u = unitHash(3, i);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      buckets[Math.floor(u * 10)]++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(850);
  });

  it('gives continuous noise within [-1, 1]', () => {
    const t0 = Date.UTC(2024, 5, 1);
    let previous = smoothNoise(1, 1, t0, 3_600_000);
    for (let t = t0; t < t0 + 86_400_000; t += 60_000) {
      const v = smoothNoise(1, 1, t, 3_600_000);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
      // Between knots an hour apart, one minute moves at most 1.5 × 2 / 60 (smoothstep slope ≤ 1.5).
      expect(Math.abs(v - previous)).toBeLessThan(0.051);
      previous = v;
      expect(Math.abs(fractalNoise(1, 1, t, 3_600_000))).toBeLessThanOrEqual(1);
    }
  });
});

describe('localTime', () => {
  it('places an instant on the JST calendar', () => {
    // 2024-03-04 00:30 JST = 2024-03-03 15:30 UTC, a Monday, day 63 of a leap year.
    const lt = localTime(Date.UTC(2024, 2, 3, 15, 30), 540);
    expect(lt.minuteOfDay).toBe(30);
    expect(lt.dayOfWeek).toBe(1);
    expect(lt.dayOfYear).toBe(63);
    expect(lt.day).toBe(Date.UTC(2024, 2, 4) / 86_400_000);
  });
});
