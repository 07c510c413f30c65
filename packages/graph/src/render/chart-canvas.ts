/**
 * Draws a Chart.js configuration to PNG with chartjs-node-canvas, in the registered CJK font, on
 * a white background, and reports where the plot area and axes ended up (for callers that need
 * to map data to pixels, such as tests reading the PNG back).
 */
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { GraphError } from '../errors.js';
import { registerChartFont } from './fonts.js';
import { assertJapaneseGlyphs } from './glyph-check.js';
import { BACKGROUND, TEXT_COLOR } from './palette.js';

export interface CanvasOptions {
  readonly width: number;
  readonly height: number;
  /** A font file to use instead of the first CJK font found. */
  readonly fontPath?: string;
}

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface ChartLayout {
  readonly chartArea: Box;
  /** Every axis drawn, by id, with its value range. */
  readonly scales: Readonly<Record<string, Box & { readonly min: number; readonly max: number }>>;
  /** Datasets drawn, by label. */
  readonly datasets: readonly string[];
}

export interface RenderedChart {
  readonly png: Buffer;
  readonly layout: ChartLayout;
}

const renderers = new Map<string, ChartJSNodeCanvas>();
const checkedFamilies = new Set<string>();

function rendererFor(options: CanvasOptions): ChartJSNodeCanvas {
  const family = registerChartFont(options.fontPath === undefined ? {} : { path: options.fontPath });
  if (!checkedFamilies.has(family)) {
    assertJapaneseGlyphs(family);
    checkedFamilies.add(family);
  }
  const key = `${options.width}x${options.height}:${family}`;
  let r = renderers.get(key);
  if (!r) {
    r = new ChartJSNodeCanvas({
      width: options.width,
      height: options.height,
      backgroundColour: BACKGROUND,
      chartCallback: (ChartJS) => {
        ChartJS.defaults.font.family = family;
        ChartJS.defaults.color = TEXT_COLOR;
      },
    });
    renderers.set(key, r);
  }
  return r;
}

/**
 * @throws GraphError `font.missing` when no CJK font can be registered; `render.failed` when
 * Chart.js or cairo fails.
 */
export async function renderChart(
  config: ChartConfiguration,
  options: CanvasOptions,
): Promise<RenderedChart> {
  const renderer = rendererFor(options);
  let layout: ChartLayout | undefined;
  const probe: Plugin = {
    id: 'layoutProbe',
    afterRender(chart: Chart) {
      const scales: Record<string, Box & { min: number; max: number }> = {};
      for (const [id, s] of Object.entries(chart.scales)) {
        scales[id] = { left: s.left, top: s.top, right: s.right, bottom: s.bottom, min: s.min, max: s.max };
      }
      const a = chart.chartArea;
      layout = {
        chartArea: { left: a.left, top: a.top, right: a.right, bottom: a.bottom },
        scales,
        datasets: chart.data.datasets.map((d) => String(d.label ?? '')),
      };
    },
  };
  try {
    const png = await renderer.renderToBuffer({
      ...config,
      plugins: [...(config.plugins ?? []), probe],
    } as never);
    if (!layout) throw new Error('chart was not drawn');
    return { png, layout };
  } catch (e) {
    if (e instanceof GraphError) throw e;
    throw new GraphError('render.failed', `could not draw the chart: ${(e as Error).message}`, { cause: e });
  }
}
