/**
 * The temperature chart: CPU, BME280 and CO2-sensor temperatures on the left (℃), humidity (%),
 * pressure (hPa) and CO2 (ppm) on axes of their own on the right. A kind without data is left
 * out with its axis; several sensors of a kind get a line each, named after the sensor.
 */
import { DAY_MS } from '@b-route/core';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { TempData, TempKind, TempSeries } from '../query/temp.js';
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
import { type Labels, labelsFor } from './labels.js';
import { movingAverage, outageGap } from './moving-average.js';
import { EXTRA_SENSOR_COLORS, GRID_COLOR, type Rgb, SERIAL_COLORS, TEMP_COLORS } from './palette.js';
import { timeAxis } from './time-axis.js';

const AXIS: Record<Exclude<TempKind, 'serial'>, 'temp' | 'humidity' | 'pressure' | 'co2'> = {
  cpu: 'temp',
  temperature: 'temp',
  'co2-temperature': 'temp',
  humidity: 'humidity',
  pressure: 'pressure',
  co2: 'co2',
};

/** °C, C, degC, ℃ in any case: a serial value drawn on the temperature axis. */
export function isTemperatureUnit(unit: string | null | undefined): boolean {
  return unit != null && /^(°c|c|degc|℃)$/i.test(unit.trim());
}

/** The axis a series goes on: a serial value not in °C on an axis of its unit's own. */
function axisOf(s: TempSeries): string {
  if (s.kind !== 'serial') return AXIS[s.kind];
  return isTemperatureUnit(s.unit) ? 'temp' : `unit:${s.unit ?? ''}`;
}

function kindName(kind: Exclude<TempKind, 'serial'>, L: Labels): string {
  switch (kind) {
    case 'cpu':
      return L.cpu;
    case 'temperature':
      return L.temperature;
    case 'co2-temperature':
      return L.co2Temperature;
    case 'humidity':
      return L.humidity;
    case 'pressure':
      return L.pressure;
    case 'co2':
      return L.co2;
  }
}

/**
 * The temperature chart. The moving average (dotted) is drawn for the CPU temperature only,
 * the one series that is noisy at a 10-second poll; `window: null` turns it off.
 */
export function tempChartConfig(data: TempData, options: ChartOptions = {}): ChartConfiguration {
  const L = labelsFor(options.lang ?? 'ja');
  const window = options.window === undefined ? DEFAULT_WINDOW : options.window;
  const datasets: ChartDataset[] = [];
  const axes = new Set<string>();
  const perKind = new Map<TempKind, number>();
  for (const s of data.series) perKind.set(s.kind, (perKind.get(s.kind) ?? 0) + 1);
  const seen = new Map<TempKind, number>();
  const units: string[] = [];
  for (const s of data.series) {
    if (s.kind === 'serial') {
      const nth = seen.get('serial') ?? 0;
      seen.set('serial', nth + 1);
      const axisId = axisOf(s);
      const unit = s.unit ? ` [${s.unit}]` : '';
      datasets.push(
        lineDataset(
          `${s.name ?? ''} (${s.sensor})${unit}`,
          SERIAL_COLORS[nth % SERIAL_COLORS.length]!,
          axisId,
          s.points,
          outageGap(s.points),
        ) as ChartDataset,
      );
      axes.add(axisId);
      if (axisId !== 'temp' && !units.includes(s.unit ?? '')) units.push(s.unit ?? '');
      continue;
    }
    const nth = seen.get(s.kind) ?? 0;
    seen.set(s.kind, nth + 1);
    const color: Rgb =
      nth === 0 ? TEMP_COLORS[s.kind] : EXTRA_SENSOR_COLORS[(nth - 1) % EXTRA_SENSOR_COLORS.length]!;
    const name =
      (perKind.get(s.kind) ?? 0) > 1 ? `${kindName(s.kind, L)} (${s.sensor})` : kindName(s.kind, L);
    const gap = outageGap(s.points);
    datasets.push(lineDataset(name, color, AXIS[s.kind], s.points, gap) as ChartDataset);
    if (window && s.kind === 'cpu') {
      const darker: Rgb = [
        Math.round(color[0] * 0.55),
        Math.round(color[1] * 0.55),
        Math.round(color[2] * 0.55),
      ];
      datasets.push(
        averageDataset(
          L.average(name),
          darker,
          AXIS[s.kind],
          movingAverage(s.points, window),
          gap,
        ) as ChartDataset,
      );
    }
    axes.add(AXIS[s.kind]);
  }

  const axis = (position: 'left' | 'right', title: string, extra: Record<string, unknown> = {}) => ({
    type: 'linear',
    position,
    title: { display: true, text: title, font: { size: 13 } },
    grid: { drawOnChartArea: position === 'left' || !axes.has('temp'), color: GRID_COLOR },
    ...extra,
  });
  const scales: Record<string, unknown> = {
    x: timeAxis(data.start, data.end, data.end - data.start <= DAY_MS ? L.time : L.date),
  };
  if (axes.has('temp')) scales.temp = axis('left', L.tempAxis);
  if (axes.has('humidity')) scales.humidity = axis('right', L.humidityAxis, { min: 0, max: 100 });
  if (axes.has('pressure')) scales.pressure = axis('right', L.pressureAxis);
  if (axes.has('co2')) scales.co2 = axis('right', L.co2Axis, { suggestedMin: 400 });
  // One right-hand axis per unit of the serial values not in °C, titled with the unit.
  for (const unit of units) scales[`unit:${unit}`] = axis('right', unit === '' ? '-' : unit);

  const title = L.tempTitle(
    describeRange(data.start, data.end).label,
    (['temp', 'humidity', 'pressure', 'co2'] as const)
      .filter((a) => axes.has(a))
      .map((a) => (a === 'temp' ? 'temperature' : a)),
  );
  // A chart of serial values in other units only has no part to name: the range alone.
  return lineChartConfig(datasets, data.bucketMs, scales, title.trim());
}

export async function renderTempChart(data: TempData, options: ChartOptions = {}): Promise<RenderedChart> {
  return renderChart(tempChartConfig(data, options), {
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    ...(options.fontPath === undefined ? {} : { fontPath: options.fontPath }),
  });
}
