/** Chart-ready series: points on a linear time axis in epoch milliseconds. */

export interface SeriesPoint {
  readonly x: number;
  readonly y: number;
}

/** Collects the non-null values of one column into points, keeping row order. */
export function pointsOf<R>(
  rows: readonly R[],
  x: (row: R) => number,
  y: (row: R) => number | null,
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const row of rows) {
    const v = y(row);
    if (v !== null && Number.isFinite(v)) out.push({ x: x(row), y: v });
  }
  return out;
}
