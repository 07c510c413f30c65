import { describe, expect, it } from 'vitest';
import { seededRandom } from './prng.js';

describe('seededRandom', () => {
  it('stays in [0, 1)', () => {
    const r = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('is mulberry32: fuzz tests and backoff jitter were tuned on these numbers', () => {
    const r = seededRandom(42);
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });
});
