import { describe, expect, it } from 'vitest';
import { breakGaps, movingAverage, outageGap } from './moving-average.js';

const pts = (...ys: number[]) => ys.map((y, i) => ({ x: i * 10_000, y }));

describe('movingAverage', () => {
  it('averages the last N points, fewer at the start', () => {
    expect(movingAverage(pts(1, 2, 3, 4, 5), { points: 3 }).map((p) => p.y)).toEqual([1, 1.5, 2, 3, 4]);
  });

  it('averages the points inside a trailing time window', () => {
    const points = [
      { x: 0, y: 10 },
      { x: 10_000, y: 20 },
      { x: 60_000, y: 30 },
      { x: 65_000, y: 40 },
    ];
    // 30 s window ending at each point: (−30 s, x].
    expect(movingAverage(points, { ms: 30_000 }).map((p) => p.y)).toEqual([10, 15, 30, 35]);
  });

  it('keeps x positions and handles an empty series', () => {
    expect(movingAverage(pts(5, 7), { points: 1 })).toEqual(pts(5, 7));
    expect(movingAverage([], { points: 5 })).toEqual([]);
  });
});

describe('breakGaps', () => {
  it('inserts a null between points further apart than the gap', () => {
    const points = [
      { x: 0, y: 1 },
      { x: 10_000, y: 2 },
      { x: 500_000, y: 3 },
    ];
    expect(breakGaps(points, 120_000)).toEqual([
      { x: 0, y: 1 },
      { x: 10_000, y: 2 },
      { x: 255_000, y: null },
      { x: 500_000, y: 3 },
    ]);
  });

  it('takes three median steps with a two-minute floor as an outage', () => {
    expect(outageGap(pts(1, 2, 3, 4))).toBe(120_000);
    const hourly = [0, 1, 2, 3].map((i) => ({ x: i * 3_600_000, y: 0 }));
    expect(outageGap(hourly)).toBe(3 * 3_600_000);
  });
});
