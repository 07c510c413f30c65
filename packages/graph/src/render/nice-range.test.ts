import { describe, expect, it } from 'vitest';
import { boundsWithZeroOf, niceBounds } from './nice-range.js';

describe('niceBounds', () => {
  it('rounds outwards to round steps and always includes zero', () => {
    expect(niceBounds(-430, 1290)).toEqual({ min: -500, max: 1500 });
    expect(niceBounds(120, 980)).toEqual({ min: 0, max: 1000 });
    expect(niceBounds(0, 0)).toEqual({ min: 0, max: 1 });
    // A constant 100 W would sit on the top edge; -500 W on the bottom one.
    expect(niceBounds(100, 100)).toEqual({ min: 0, max: 120 });
    expect(niceBounds(-500, 1000)).toEqual({ min: -600, max: 1200 });
    expect(niceBounds(-400, 1000)).toEqual({ min: -600, max: 1200 });
  });
});

describe('boundsWithZeroOf', () => {
  const zeroAt = (b: { min: number; max: number }) => -b.min / (b.max - b.min);

  it('puts zero at the reference height without cutting values', () => {
    const ref = { min: -500, max: 1500 };
    const b = boundsWithZeroOf(ref, -0.2, 0.6);
    expect(zeroAt(b)).toBeCloseTo(zeroAt(ref), 9);
    expect(b.min).toBeLessThanOrEqual(-0.2);
    expect(b.max).toBeGreaterThanOrEqual(0.6);
    const deep = boundsWithZeroOf(ref, -2, 0.1);
    expect(zeroAt(deep)).toBeCloseTo(0.25, 9);
    expect(deep.min).toBe(-2);
  });

  it('keeps zero at the bottom when the reference never goes negative', () => {
    expect(boundsWithZeroOf({ min: 0, max: 100 }, 0, 0.5)).toEqual({ min: 0, max: 0.5 });
  });
});
