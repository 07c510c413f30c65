/**
 * Series colours. Each is distinct from every other and from the greys of text and grid, so a
 * test can find a series in a PNG by its exact colour (lines of raw samples are 2 px wide, which
 * leaves fully covered pixels of the pure colour along them; legend boxes and bars are solid).
 */

export type Rgb = readonly [number, number, number];

export const POWER_COLORS = {
  power: [214, 39, 40],
  powerAverage: [127, 0, 0],
  currentR: [31, 119, 180],
  currentRAverage: [11, 60, 97],
  currentT: [44, 160, 44],
  currentTAverage: [20, 82, 20],
  normalKwh: [148, 103, 189],
  reverseKwh: [140, 86, 75],
  bought: [255, 187, 120],
  sold: [152, 223, 138],
} as const satisfies Record<string, Rgb>;

export const TEMP_COLORS = {
  cpu: [214, 39, 40],
  temperature: [255, 127, 14],
  'co2-temperature': [188, 189, 34],
  humidity: [31, 119, 180],
  pressure: [148, 103, 189],
  co2: [44, 160, 44],
} as const satisfies Record<string, Rgb>;

/** Further sensors of one kind get these colours in turn. */
export const EXTRA_SENSOR_COLORS: readonly Rgb[] = [
  [227, 119, 194],
  [127, 127, 127],
  [23, 190, 207],
  [140, 86, 75],
];

/**
 * Values of serial sensors (`temp --serial`) get these colours in turn: saturated or dark, as a
 * light tint would also be found in the anti-aliased edge of another line on white.
 */
export const SERIAL_COLORS: readonly Rgb[] = [
  [0, 128, 128],
  [128, 128, 0],
  [0, 0, 128],
  [255, 0, 255],
  [128, 0, 64],
];

export function css(rgb: Rgb, alpha = 1): string {
  return alpha === 1
    ? `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`
    : `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;
}

export const TEXT_COLOR = '#333333';
export const GRID_COLOR = 'rgba(0, 0, 0, 0.1)';
export const ZERO_LINE_COLOR = 'rgba(0, 0, 0, 0.45)';
export const BACKGROUND = '#ffffff';
