import { describe, expect, it } from 'vitest';
import type { PowerData } from '../query/power.js';
import { powerChartConfig } from './power-chart.js';

const T0 = Date.parse('2026-11-22T00:00:00+09:00');
const points = (ys: number[]) => ys.map((y, i) => ({ x: T0 + i * 30_000, y }));

function data(over: Partial<PowerData>): PowerData {
  return {
    start: T0,
    end: T0 + 86_400_000,
    meter: '001C6400601421A3',
    bucketMs: null,
    power: [],
    powerMin: [],
    powerMax: [],
    currentR: [],
    currentT: [],
    normalKwh: [],
    reverseKwh: [],
    bought: [],
    sold: [],
    barPeriodMs: 1_800_000,
    boughtKwh: null,
    soldKwh: null,
    ...over,
  };
}

/** Height of zero as a fraction of the axis, from the bottom. */
function zeroAt(scale: { min: number; max: number }): number {
  return -scale.min / (scale.max - scale.min);
}

describe('powerChartConfig axes', () => {
  it('puts 0 A at the height of 0 W, so small currents never look negative', () => {
    const cfg = powerChartConfig(
      data({
        power: points([120, -1800, 3400, 90]),
        currentR: points([0.3, -9, 17, 0.4]),
        currentT: points([0.2, -8, 15, 0.1]),
      }),
    );
    const scales = cfg.options!.scales as Record<string, { min: number; max: number }>;
    expect(scales.power!.min).toBeLessThan(0);
    expect(zeroAt(scales.current!)).toBeCloseTo(zeroAt(scales.power!), 9);
    // Every current still fits.
    expect(scales.current!.min).toBeLessThanOrEqual(-9);
    expect(scales.current!.max).toBeGreaterThanOrEqual(17);
  });
});
