/** Options shared by the power and temperature charts, and the pieces both build datasets with. */
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { SeriesPoint } from '../query/series.js';
import type { Lang } from './labels.js';
import { type AverageWindow, breakGaps, outageGap } from './moving-average.js';
import { css, type Rgb } from './palette.js';

export interface ChartOptions {
  /** PNG width in px; default 1280. */
  readonly width?: number;
  /** PNG height in px; default 720. */
  readonly height?: number;
  /** Label language; default 'ja'. */
  readonly lang?: Lang;
  /** Moving-average window; default the last 30 points; null for none. */
  readonly window?: AverageWindow | null;
  /** A font file with Japanese glyphs instead of the first one found. */
  readonly fontPath?: string;
}

export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 720;
export const DEFAULT_WINDOW: AverageWindow = { points: 30 };

/** A 2-px line without point markers, broken where the poller had an outage. */
export function lineDataset(
  label: string,
  color: Rgb,
  axis: string,
  points: readonly SeriesPoint[],
  gapMs: number = outageGap(points),
): ChartDataset<'line'> {
  return {
    type: 'line',
    label,
    data: breakGaps(points, gapMs) as never,
    yAxisID: axis,
    borderColor: css(color),
    backgroundColor: css(color),
    borderWidth: 2,
    pointRadius: 0,
    pointHoverRadius: 0,
    fill: false,
    spanGaps: false,
    tension: 0,
    order: 2,
  };
}

/** The dotted moving-average companion of a line. */
export function averageDataset(
  label: string,
  color: Rgb,
  axis: string,
  points: readonly SeriesPoint[],
  gapMs: number,
): ChartDataset<'line'> {
  return {
    ...lineDataset(label, color, axis, points, gapMs),
    borderDash: [2, 3],
    backgroundColor: 'rgba(0, 0, 0, 0)',
    order: 1,
  };
}

/**
 * Lines of bucketed (over a day) ranges are drawn 1 px wide: with a bucket every pixel or two, a
 * daily cycle turns a 2-px line into a solid block that hides the series behind it.
 */
export function thinLinesWhenBucketed(datasets: ChartDataset[], bucketMs: number | null): ChartDataset[] {
  if (bucketMs === null) return datasets;
  return datasets.map((d) => (d.type === 'line' && d.borderWidth === 2 ? { ...d, borderWidth: 1 } : d));
}

/**
 * The configuration both charts are drawn with: a line chart of prepared points (no parsing, no
 * animation, no tooltips in a PNG), a bold title, the legend in dataset order without entries
 * for unlabelled datasets (the lower edge of a band), and lines thinned for bucketed ranges.
 */
export function lineChartConfig(
  datasets: ChartDataset[],
  bucketMs: number | null,
  scales: Record<string, unknown>,
  title: string,
): ChartConfiguration {
  return {
    type: 'line',
    data: { datasets: thinLinesWhenBucketed(datasets, bucketMs) as never },
    options: {
      parsing: false,
      normalized: true,
      animation: false,
      responsive: false,
      scales: scales as never,
      plugins: {
        title: {
          display: true,
          text: title,
          font: { size: 18, weight: 'bold' },
          padding: { top: 8, bottom: 4 },
        },
        legend: {
          position: 'top',
          labels: {
            boxWidth: 28,
            font: { size: 12 },
            filter: (item) => item.text !== '',
            sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          },
        },
        tooltip: { enabled: false },
      },
    },
  } as ChartConfiguration;
}
