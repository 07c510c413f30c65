import { describe, expect, it } from 'vitest';
import { VirtualCpu } from './cpu.js';

describe('VirtualCpu', () => {
  it('reads the same value for the same seed and instant, quantised to its step', async () => {
    const at = Date.UTC(2024, 6, 1, 12);
    const a = new VirtualCpu({ clock: () => at, seed: 4 });
    const b = new VirtualCpu({ clock: () => at, seed: 4 });
    const value = await a.read();
    expect(await b.read()).toBe(value);
    expect(Math.abs(value / 0.5 - Math.round(value / 0.5))).toBeLessThan(1e-9);
    expect(Math.abs(value - a.groundTruth(at))).toBeLessThanOrEqual(0.25 + 1e-9);
  });

  it('stays between room + idle rise and room + idle + load rise', () => {
    const start = Date.UTC(2024, 0, 1);
    const cpu = new VirtualCpu({ clock: () => start, seed: 1 });
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let t = start; t < start + 7 * 86_400_000; t += 600_000) {
      const v = cpu.groundTruth(t);
      min = Math.min(min, v);
      max = Math.max(max, v);
      expect(cpu.loadAt(t)).toBeGreaterThanOrEqual(0);
      expect(cpu.loadAt(t)).toBeLessThanOrEqual(1);
    }
    expect(min).toBeGreaterThan(30);
    expect(max).toBeLessThan(80);
    expect(max - min).toBeGreaterThan(5);
  });

  it('answers like systeminformation, with main null when unavailable', async () => {
    const cpu = new VirtualCpu({ clock: () => Date.UTC(2024, 0, 1) });
    expect((await cpu.cpuTemperature()).main).toBe(await cpu.read());
    cpu.unavailable = true;
    expect((await cpu.cpuTemperature()).main).toBeNull();
  });
});
