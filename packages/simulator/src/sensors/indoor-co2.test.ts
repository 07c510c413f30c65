import { describe, expect, it } from 'vitest';
import { IndoorCo2 } from './indoor-co2.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** Wednesday 2024-05-15 00:00 JST. */
const WEDNESDAY = Date.UTC(2024, 4, 14, 15);

describe('IndoorCo2', () => {
  it('gives the same value at an instant whatever was asked before', () => {
    const at = WEDNESDAY + 20 * HOUR + 17 * MINUTE + 12_345;
    const fresh = new IndoorCo2({ seed: 9 }).ppmAt(at);
    const used = new IndoorCo2({ seed: 9 });
    for (let t = at - 3 * 86_400_000; t < at; t += 7 * HOUR) used.ppmAt(t);
    expect(used.ppmAt(at)).toBe(fresh);
  });

  it('is continuous across the internal integration blocks', () => {
    const co2 = new IndoorCo2({ seed: 4 });
    // Blocks are 6 h long and start at multiples of 6 h since the epoch.
    const edge = WEDNESDAY + 18 * HOUR - 9 * HOUR;
    expect(Math.abs(co2.ppmAt(edge) - co2.ppmAt(edge - 1))).toBeLessThan(0.01);
  });

  it('never drops below outdoor air and stays in the range homes see', () => {
    const co2 = new IndoorCo2({ seed: 1 });
    for (let t = WEDNESDAY; t < WEDNESDAY + 7 * 86_400_000; t += 5 * MINUTE) {
      const ppm = co2.ppmAt(t);
      expect(ppm).toBeGreaterThanOrEqual(co2.outdoorPpm - 1e-9);
      expect(ppm).toBeLessThan(3000);
    }
  });

  it('follows the residents: an occupied evening is higher than the small hours', () => {
    const co2 = new IndoorCo2({ seed: 1 });
    let higher = 0;
    for (let d = 0; d < 14; d++) {
      const day = WEDNESDAY + d * 86_400_000;
      if (co2.ppmAt(day + 21 * HOUR) > co2.ppmAt(day + 4 * HOUR + 30 * MINUTE)) higher++;
    }
    expect(higher).toBeGreaterThanOrEqual(12);
  });

  it('approaches the box-model steady state C_out + G / (n V) under constant conditions', () => {
    // Bedroom with two sleepers: between ~01:00 and wake-up the inputs are constant.
    const co2 = new IndoorCo2({ seed: 2, sleepsInRoom: true, residents: 2, roomVolumeM3: 30 });
    const at = WEDNESDAY + 5 * HOUR + 55 * MINUTE;
    const k = co2.conditionsAt(at);
    expect(k.asleep).toBe(true);
    const steady = 420 + (1e6 * k.sourceM3PerHour) / (k.airChangesPerHour * 30);
    // 5 h at 0.5 air changes per hour leaves e^-2.5 ≈ 8 % of the evening's difference.
    expect(Math.abs(co2.ppmAt(at) - steady) / (steady - 420)).toBeLessThan(0.15);
    expect(steady).toBeGreaterThan(1500);
  });

  it('drops while the room is aired', () => {
    for (let seed = 1; seed < 40; seed++) {
      const co2 = new IndoorCo2({ seed, sleepsInRoom: true });
      let start: number | null = null;
      for (let t = WEDNESDAY + 5 * HOUR; t < WEDNESDAY + 10 * HOUR; t += MINUTE) {
        if (co2.conditionsAt(t).airing) {
          start = t;
          break;
        }
      }
      if (start === null) continue;
      expect(co2.ppmAt(start + 10 * MINUTE)).toBeLessThan(co2.ppmAt(start) * 0.75);
      return;
    }
    throw new Error('no seed aired the room on that morning');
  });
});
