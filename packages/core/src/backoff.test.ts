import { describe, expect, it } from 'vitest';
import { Backoff, exponentialDelay } from './backoff.js';

describe('Backoff', () => {
  it('grows exponentially up to the cap without jitter', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 10_000, factor: 2, jitter: 0 });
    expect(Array.from({ length: 6 }, () => b.next())).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(b.attempt).toBe(6);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('jitters within ±jitter of the base, never above the cap, repeatably for one seed', () => {
    const delays = (seed: number) => {
      const b = new Backoff({ initialMs: 1000, maxMs: 8000, jitter: 0.5, seed });
      return Array.from({ length: 8 }, () => b.next());
    };
    const a = delays(7);
    expect(delays(7)).toEqual(a);
    expect(delays(8)).not.toEqual(a);
    const bases = [1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000];
    a.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(bases[i]! * 0.5);
      expect(d).toBeLessThanOrEqual(Math.min(8000, bases[i]! * 1.5));
    });
  });
});

describe('exponentialDelay', () => {
  it('multiplies by the factor per attempt and stops at the cap', () => {
    expect([0, 1, 2, 3, 4].map((a) => exponentialDelay(a, 1000, 10_000))).toEqual([
      1000, 2000, 4000, 8000, 10_000,
    ]);
    expect(exponentialDelay(2, 1000, 100_000, 3)).toBe(9000);
    expect(exponentialDelay(1_000, 1000, 60_000)).toBe(60_000);
  });
});
