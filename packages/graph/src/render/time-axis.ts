/**
 * The x axis: a linear scale over epoch milliseconds whose ticks are replaced, after Chart.js
 * builds its own, with JST-aligned ones (Chart.js's time scale needs a date adapter).
 */
import type { LinearScaleOptions, Scale } from 'chart.js';
import { jstTicks } from './jst-ticks.js';
import { GRID_COLOR } from './palette.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function timeAxis(
  startMs: number,
  endMs: number,
  title: string,
): DeepPartial<LinearScaleOptions> & {
  type: 'linear';
  afterBuildTicks: (scale: Scale) => void;
} {
  const ticks = jstTicks(startMs, endMs);
  return {
    type: 'linear',
    position: 'bottom',
    min: startMs,
    max: endMs,
    // Bar datasets turn on a half-category offset at both ends; the axis must span the range exactly.
    offset: false,
    title: { display: true, text: title, font: { size: 13 } },
    grid: { color: GRID_COLOR },
    ticks: {
      autoSkip: false,
      maxRotation: 0,
      font: { size: 11 },
      callback: (value: number | string) => ticks.format(Number(value)),
    },
    afterBuildTicks: (scale: Scale) => {
      scale.ticks = ticks.values.map((value) => ({ value }));
    },
  };
}
