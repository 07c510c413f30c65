/**
 * The power chart: instantaneous power (W, negative while selling) with its moving average and,
 * for bucketed ranges, a min–max band; R/T currents (A) on the right; the cumulative readings
 * (kWh since the start of the range); and energy bought/sold per period as bars from the
 * 30-minute slots. A series without data is left out together with its axis.
 */
import { DAY_MS } from '@b-route/core';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { PowerData } from '../query/power.js';
import type { SeriesPoint } from '../query/series.js';
import { describeRange } from '../time.js';
import { type RenderedChart, renderChart } from './chart-canvas.js';
import {
  averageDataset,
  type ChartOptions,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  DEFAULT_WINDOW,
  lineChartConfig,
  lineDataset,
} from './chart-style.js';
import { labelsFor } from './labels.js';
import { movingAverage, outageGap } from './moving-average.js';
import { boundsWithZeroOf, niceBounds } from './nice-range.js';
import { POWER_COLORS as C, css, GRID_COLOR, type Rgb, ZERO_LINE_COLOR } from './palette.js';
import { timeAxis } from './time-axis.js';

export function powerChartConfig(data: PowerData, options: ChartOptions = {}): ChartConfiguration {
  const L = labelsFor(options.lang ?? 'ja');
  const window = options.window === undefined ? DEFAULT_WINDOW : options.window;
  const datasets: ChartDataset[] = [];
  const axes = new Set<string>();
  const withAverage = (label: string, color: Rgb, avgColor: Rgb, axis: string, points: SeriesPoint[]) => {
    if (points.length === 0) return;
    const gap = outageGap(points);
    datasets.push(lineDataset(label, color, axis, points, gap) as ChartDataset);
    if (window)
      datasets.push(
        averageDataset(L.average(label), avgColor, axis, movingAverage(points, window), gap) as ChartDataset,
      );
    axes.add(axis);
  };

  withAverage(L.power, C.power, C.powerAverage, 'power', data.power);
  if (data.powerMin.length > 0 && data.powerMax.length > 0) {
    const gap = outageGap(data.powerMin);
    // The band is filled from the max line down to the min line just before it ('-1').
    datasets.push({
      ...lineDataset('', C.power, 'power', data.powerMin, gap),
      borderWidth: 0,
      order: 3,
    } as ChartDataset);
    datasets.push({
      ...lineDataset(L.powerRange, C.power, 'power', data.powerMax, gap),
      borderWidth: 0,
      fill: '-1',
      backgroundColor: css(C.power, 0.18),
      order: 3,
    } as ChartDataset);
  }
  withAverage(L.currentR, C.currentR, C.currentRAverage, 'current', data.currentR);
  withAverage(L.currentT, C.currentT, C.currentTAverage, 'current', data.currentT);

  const sinceStart = (points: SeriesPoint[]): SeriesPoint[] =>
    points.map((p) => ({ x: p.x, y: p.y - points[0]!.y }));
  const rises = (points: SeriesPoint[]): boolean =>
    points.length > 0 && points[points.length - 1]!.y > points[0]!.y;
  const showSold = data.sold.some((b) => b.kwh > 0) || rises(data.reverseKwh);
  if (data.normalKwh.length > 0) {
    datasets.push(
      lineDataset(L.normalKwh, C.normalKwh, 'energy', sinceStart(data.normalKwh)) as ChartDataset,
    );
    axes.add('energy');
  }
  if (showSold && data.reverseKwh.length > 0) {
    datasets.push(
      lineDataset(L.reverseKwh, C.reverseKwh, 'energy', sinceStart(data.reverseKwh)) as ChartDataset,
    );
    axes.add('energy');
  }
  const bars = (label: string, color: Rgb, values: { x: number; y: number }[]): void => {
    datasets.push({
      type: 'bar',
      label,
      data: values as never,
      yAxisID: 'bars',
      backgroundColor: css(color),
      borderWidth: 0,
      grouped: false,
      barPercentage: 0.9,
      categoryPercentage: 1,
      order: 10,
    } as ChartDataset);
    axes.add('bars');
  };
  if (data.bought.length > 0) {
    bars(
      L.bought(data.barPeriodMs),
      C.bought,
      data.bought.map((b) => ({ x: b.start + b.durationMs / 2, y: b.kwh })),
    );
  }
  if (showSold && data.sold.length > 0) {
    // Sold energy hangs below zero, like power while selling.
    bars(
      L.sold(data.barPeriodMs),
      C.sold,
      data.sold.map((b) => ({ x: b.start + b.durationMs / 2, y: -b.kwh })),
    );
  }

  const label = describeRange(data.start, data.end).label;
  const scales: Record<string, unknown> = {
    x: timeAxis(data.start, data.end, data.end - data.start <= DAY_MS ? L.time : L.date),
  };
  // Power and the bars share the height of zero, so energy sold hangs below the same line as
  // negative power.
  const powerBounds = axes.has('power')
    ? niceBounds(extreme(Math.min, data.power, data.powerMin), extreme(Math.max, data.power, data.powerMax))
    : undefined;
  const barLow = -Math.max(0, ...(showSold ? data.sold.map((b) => b.kwh) : []));
  const barHigh = Math.max(0, ...data.bought.map((b) => b.kwh));
  const barBounds = powerBounds ? boundsWithZeroOf(powerBounds, barLow * 1.05, barHigh * 1.05) : undefined;
  // Currents are signed too (negative while selling): 0 A sits on the 0 W line, or a small
  // night-time current would look negative.
  const currentBounds = powerBounds
    ? boundsWithZeroOf(
        powerBounds,
        extreme(Math.min, data.currentR, data.currentT) * 1.05,
        extreme(Math.max, data.currentR, data.currentT) * 1.05,
      )
    : undefined;
  if (axes.has('power')) {
    scales.power = {
      type: 'linear',
      position: 'left',
      ...powerBounds,
      title: { display: true, text: L.powerAxis, font: { size: 13 } },
      grid: {
        color: (ctx: { tick?: { value: number } }) => (ctx.tick?.value === 0 ? ZERO_LINE_COLOR : GRID_COLOR),
      },
    };
  }
  if (axes.has('energy')) {
    scales.energy = {
      type: 'linear',
      position: 'left',
      beginAtZero: true,
      title: { display: true, text: L.energyAxis, font: { size: 13 } },
      grid: { drawOnChartArea: !axes.has('power') },
    };
  }
  if (axes.has('current')) {
    scales.current = {
      type: 'linear',
      position: 'right',
      beginAtZero: true,
      ...currentBounds,
      ...(currentBounds ? { ticks: { includeBounds: false } } : {}),
      title: { display: true, text: L.currentAxis, font: { size: 13 } },
      grid: { drawOnChartArea: false },
    };
  }
  if (axes.has('bars')) {
    scales.bars = {
      type: 'linear',
      position: 'right',
      beginAtZero: true,
      ...barBounds,
      // The bounds are fitted to the power axis, not round; label only the round ticks.
      ticks: { includeBounds: false },
      title: { display: true, text: L.barAxis(data.barPeriodMs), font: { size: 13 } },
      grid: { drawOnChartArea: false },
    };
  }
  return lineChartConfig(
    datasets,
    data.bucketMs,
    scales,
    L.powerTitle(label, data.boughtKwh, showSold ? data.soldKwh : null),
  );
}

function extreme(pick: (...v: number[]) => number, ...series: readonly SeriesPoint[][]): number {
  let v = 0;
  for (const points of series) for (const p of points) v = pick(v, p.y);
  return v;
}

export async function renderPowerChart(data: PowerData, options: ChartOptions = {}): Promise<RenderedChart> {
  return renderChart(powerChartConfig(data, options), {
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    ...(options.fontPath === undefined ? {} : { fontPath: options.fontPath }),
  });
}
