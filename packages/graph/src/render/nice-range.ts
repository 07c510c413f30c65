/**
 * Axis bounds chosen before Chart.js lays out the chart, so that two axes can share the height
 * at which they read zero: the bars of energy sold hang below the same line as negative power.
 */

export interface AxisBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Bounds covering [lo, hi] and zero, rounded outwards to a 1/2/2.5/5 × 10^k step (about `ticks`
 * of them), with the extreme values strictly inside unless they are zero.
 */
export function niceBounds(lo: number, hi: number, ticks = 8): AxisBounds {
  const min0 = Math.min(0, lo);
  const max0 = Math.max(0, hi);
  const span = max0 - min0;
  if (span === 0) return { min: 0, max: 1 };
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  // A value exactly on the edge would draw half its line outside the plot: one more step there.
  let min = Math.floor(min0 / step) * step;
  let max = Math.ceil(max0 / step) * step;
  if (min0 < 0 && min === min0) min -= step;
  if (max0 > 0 && max === max0) max += step;
  return { min, max };
}

/**
 * Bounds for values in [lo, hi] (lo ≤ 0 ≤ hi) whose zero sits at the same height as `reference`'s
 * zero; widened on one side as needed, never cutting values off.
 */
export function boundsWithZeroOf(reference: AxisBounds, lo: number, hi: number): AxisBounds {
  const below = -reference.min;
  const above = reference.max;
  const low = Math.min(0, lo);
  const high = Math.max(0, hi);
  if (below <= 0) return { min: low, max: high === 0 ? 1 : high };
  if (above <= 0) return { min: low === 0 ? -1 : low, max: high };
  // Scale s per reference unit: need s·below ≥ −low and s·above ≥ high.
  const s = Math.max(-low / below, high / above);
  if (s === 0) return { min: -below / (below + above), max: above / (below + above) };
  return { min: -s * below, max: s * above };
}
