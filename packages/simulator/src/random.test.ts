import { seededRandom } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { fractalNoise, hash32, hashInts, smoothNoise, unitHash } from './random.js';

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

describe('recorded sequences', () => {
  // Golden transcripts, soak truth files and sensor series were recorded with these numbers.
  it('keeps hash32, hashInts and seededRandom (mulberry32) as they were', () => {
    expect([hash32(1), hash32(7, 1, 2), hash32(-5, 12345, 3, 0xffffffff)]).toEqual([
      985981968, 354903370, 469465415,
    ]);
    expect([hashInts(1), hashInts(7, 1, 2), hashInts(1, 2 ** 32 + 5)]).toEqual([
      3696024327, 2806972703, 115945715,
    ]);
    const rand = seededRandom(42);
    expect([rand(), rand(), rand()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });
});
