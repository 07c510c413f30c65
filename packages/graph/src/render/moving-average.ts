/**
 * Trailing moving averages and gap breaks for line series on a time axis. Points are in time
 * order; a `null` y breaks the drawn line (Chart.js with spanGaps off).
 */
import type { SeriesPoint } from '../query/series.js';

export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

/** A window of the last `points` samples, or of the samples in the last `ms` milliseconds. */
export type AverageWindow = { readonly points: number } | { readonly ms: number };

/** The trailing average at every point: the mean of the points inside the window ending there. */
export function movingAverage(points: readonly SeriesPoint[], window: AverageWindow): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let sum = 0;
  let first = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    sum += p.y;
    if ('points' in window) {
      while (i - first + 1 > window.points) sum -= points[first++]!.y;
    } else {
      while (points[first]!.x <= p.x - window.ms) sum -= points[first++]!.y;
    }
    out.push({ x: p.x, y: sum / (i - first + 1) });
  }
  return out;
}

/**
 * Inserts a null point wherever consecutive points are further apart than `maxGapMs`, so an
 * outage of the poller shows as a break rather than a straight line across it.
 */
export function breakGaps(points: readonly SeriesPoint[], maxGapMs: number): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (i > 0 && p.x - points[i - 1]!.x > maxGapMs) out.push({ x: (p.x + points[i - 1]!.x) / 2, y: null });
    out.push(p);
  }
  return out;
}

/**
 * The gap that counts as an outage: three times the typical (median) spacing, and at least
 * `floorMs` (default two minutes) so a missed poll or two does not break a raw series.
 */
export function outageGap(points: readonly SeriesPoint[], floorMs = 120_000): number {
  if (points.length < 2) return floorMs;
  const steps: number[] = [];
  for (let i = 1; i < points.length; i++) steps.push(points[i]!.x - points[i - 1]!.x);
  steps.sort((a, b) => a - b);
  return Math.max(floorMs, 3 * steps[Math.floor(steps.length / 2)]!);
}
