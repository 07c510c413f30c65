import { HOUR_MS, jstDayNumber, jstDayStart } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { Household } from './household.js';

const MAY_20 = jstDayStart(jstDayNumber(Date.UTC(2026, 4, 20, 3)));
const STEP = 10_000;

function day(h: Household, start: number): number[] {
  const out: number[] = [];
  for (let t = start; t < start + 24 * HOUR_MS; t += STEP) out.push(h.powerAt(t));
  return out;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('Household', () => {
  it('is a pure function of (seed, t): same seed same day, any query order', () => {
    const a = new Household({ seed: 42, solar: { peakW: 4000 } });
    const b = new Household({ seed: 42, solar: { peakW: 4000 } });
    // b visits other days first so that its memoised plans differ from a's.
    b.powerAt(MAY_20 + 30 * 24 * HOUR_MS);
    b.powerAt(MAY_20 - 90 * 24 * HOUR_MS);
    const reversed = day(b, MAY_20).length;
    expect(reversed).toBe(8640);
    expect(day(a, MAY_20)).toEqual(day(b, MAY_20));
    const c = new Household({ seed: 43, solar: { peakW: 4000 } });
    expect(day(c, MAY_20)).not.toEqual(day(a, MAY_20));
  });

  it('holds the power constant over each step', () => {
    const h = new Household({ seed: 5 });
    for (let t = MAY_20; t < MAY_20 + HOUR_MS; t += STEP) {
      expect(h.powerAt(t + 1)).toBe(h.powerAt(t));
      expect(h.powerAt(t + STEP - 1)).toBe(h.powerAt(t));
    }
  });

  it('draws power all day without solar, with evening and morning peaks over the night base', () => {
    const h = new Household({ seed: 11 });
    const evening: number[] = [];
    const morning: number[] = [];
    const night: number[] = [];
    for (let d = 0; d < 14; d++) {
      const p = day(h, MAY_20 + d * 24 * HOUR_MS);
      expect(Math.min(...p)).toBeGreaterThan(0);
      const hourMean = (from: number, to: number) => mean(p.slice(from * 360, to * 360));
      evening.push(hourMean(18, 22));
      morning.push(hourMean(6, 8));
      night.push(hourMean(2, 4));
    }
    expect(mean(evening)).toBeGreaterThan(2 * mean(night));
    expect(mean(morning)).toBeGreaterThan(1.5 * mean(night));
  });

  it('uses more power on weekend daytimes than weekday daytimes (people at home)', () => {
    const h = new Household({ seed: 3 });
    const weekday: number[] = [];
    const weekend: number[] = [];
    for (let d = 0; d < 28; d++) {
      const start = MAY_20 + d * 24 * HOUR_MS;
      const p = day(h, start);
      const daytime = mean(p.slice(10 * 360, 16 * 360));
      (h.plan(jstDayNumber(start)).weekend ? weekend : weekday).push(daytime);
    }
    expect(weekend).toHaveLength(8);
    expect(mean(weekend)).toBeGreaterThan(mean(weekday));
  });

  it('sells at midday with solar and never at night', () => {
    const h = new Household({ seed: 9, solar: { peakW: 5000 } });
    let sellingDays = 0;
    for (let d = 0; d < 10; d++) {
      const p = day(h, MAY_20 + d * 24 * HOUR_MS);
      const night = [...p.slice(0, 4 * 360), ...p.slice(20 * 360)];
      expect(Math.min(...night)).toBeGreaterThan(0);
      if (Math.min(...p.slice(10 * 360, 14 * 360)) < 0) sellingDays++;
    }
    expect(sellingDays).toBeGreaterThanOrEqual(5);
  });

  it('needs heating in January and cooling in August, so those weeks use more than May', () => {
    const h = new Household({ seed: 21 });
    // Mean daily kWh over the week from `start`.
    const dailyKwh = (start: number) => {
      const days = [0, 1, 2, 3, 4, 5, 6].map((d) => mean(day(h, start + d * 24 * HOUR_MS)));
      return (mean(days) * 24) / 1000;
    };
    const jan = dailyKwh(jstDayStart(jstDayNumber(Date.UTC(2026, 0, 20, 3))));
    const may = dailyKwh(MAY_20);
    const aug = dailyKwh(jstDayStart(jstDayNumber(Date.UTC(2026, 7, 5, 3))));
    expect(may).toBeGreaterThan(4);
    expect(may).toBeLessThan(20);
    expect(jan).toBeGreaterThan(may);
    expect(aug).toBeGreaterThan(may);
  });

  it('derives R/T currents from power on three-wire service, T = null on two-wire', () => {
    const three = new Household({ seed: 4 });
    const two = new Household({ seed: 4, wiring: 'two-wire' });
    for (let t = MAY_20; t < MAY_20 + 24 * HOUR_MS; t += 7 * 60_000) {
      const s = three.sampleAt(t);
      expect(s.currentT).not.toBeNull();
      // 100 V loads draw P/100 on their line, 200 V loads P/200 on both: R + T = P / (100 V × pf).
      expect(Math.abs((s.currentR + s.currentT!) * 100 * 0.95 - s.loadW)).toBeLessThan(10);
      const w = two.sampleAt(t);
      expect(w.powerW).toBe(s.powerW);
      expect(w.currentT).toBeNull();
      expect(Math.abs(w.currentR * 100 * 0.95 - w.loadW)).toBeLessThan(5);
    }
  });

  it('gives negative currents while selling on three-wire service', () => {
    const h = new Household({ seed: 9, solar: { peakW: 5000 } });
    let seen = false;
    for (let t = MAY_20 + 10 * HOUR_MS; t < MAY_20 + 14 * HOUR_MS; t += STEP) {
      const s = h.sampleAt(t);
      if (s.powerW < -1000) {
        expect(s.currentR + s.currentT!).toBeLessThan(0);
        seen = true;
      }
    }
    expect(seen).toBe(true);
  });
});
