import { DAY_MS, HOUR_MS, jstDayNumber, jstDayStart } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { EnergyCounters } from './counters.js';
import { Household } from './household.js';

const MAY_20 = jstDayStart(jstDayNumber(Date.UTC(2026, 4, 20, 3)));

/** Independent check: 1-second rectangles over [from, to). */
function bruteForce(h: Household, from: number, to: number): { normal: number; reverse: number } {
  let normal = 0;
  let reverse = 0;
  for (let t = from; t < to; t += 1000) {
    const w = h.powerAt(t);
    if (w > 0) normal += w;
    else reverse -= w;
  }
  return { normal, reverse };
}

describe('EnergyCounters', () => {
  const solar = new Household({ seed: 9, solar: { peakW: 5000 } });

  it('equals the numerical integral of powerAt, bought and sold separately', () => {
    const origin = MAY_20 - 2 * DAY_MS;
    const c = new EnergyCounters((t) => solar.powerAt(t), solar.stepMs, origin);
    const end = MAY_20 + 14 * HOUR_MS + 12_345;
    const e = c.energyWs(end)!;
    const expected = bruteForce(solar, origin, end - 345);
    const tail = solar.powerAt(end - 345);
    expect(e.normal).toBeCloseTo(expected.normal + Math.max(tail, 0) * 0.345, 6);
    expect(e.reverse).toBeCloseTo(expected.reverse + Math.max(-tail, 0) * 0.345, 6);
    expect(e.reverse).toBeGreaterThan(0);
  });

  it('grows the reverse count only while power is negative, the normal one only while positive', () => {
    const c = new EnergyCounters((t) => solar.powerAt(t), solar.stepMs, MAY_20);
    let prev = c.energyWs(MAY_20 + 6 * HOUR_MS)!;
    let negatives = 0;
    for (let t = MAY_20 + 6 * HOUR_MS; t < MAY_20 + 18 * HOUR_MS; t += 10_000) {
      const next = c.energyWs(t + 10_000)!;
      const w = solar.powerAt(t);
      if (w < 0) negatives++;
      expect(next.reverse > prev.reverse).toBe(w < 0);
      expect(next.normal > prev.normal).toBe(w > 0);
      prev = next;
    }
    expect(negatives).toBeGreaterThan(100);
  });

  it('turns W·s into counts of D3 × E1 (default 0.1 kWh)', () => {
    const h = new Household({ seed: 1 });
    const c = new EnergyCounters((t) => h.powerAt(t), h.stepMs, MAY_20);
    const t = MAY_20 + 20 * HOUR_MS;
    const e = c.energyWs(t)!;
    expect(c.countsAt(t)).toEqual({ normal: Math.floor(e.normal / 360_000), reverse: 0 });
    const fine = new EnergyCounters((x) => h.powerAt(x), h.stepMs, MAY_20, {
      unitCode: 0x02,
      coefficient: 2,
    });
    expect(fine.countsAt(t)!.normal).toBe(Math.floor(e.normal / 72_000));
    expect(fine.kwhPerCount).toBe(0.02);
    expect(c.countToKwh(123)).toBe(12.3);
  });

  it('starts from the initial count at the anchor and wraps at 10^digits', () => {
    const h = new Household({ seed: 1 });
    const anchor = MAY_20 + 8 * HOUR_MS;
    const c = new EnergyCounters((t) => h.powerAt(t), h.stepMs, MAY_20, {
      digits: 6,
      initialNormal: 999_990,
      initialReverse: 5,
      anchor,
    });
    expect(c.countsAt(anchor)).toEqual({ normal: 999_990, reverse: 5 });
    const later = anchor + 2 * DAY_MS;
    const used = Math.floor((c.energyWs(later)!.normal - c.energyWs(anchor)!.normal) / 360_000);
    expect(used).toBeGreaterThan(10);
    expect(c.countsAt(later)!.normal).toBe(999_990 + used - 1_000_000);
    // Before the anchor the count is smaller, and never negative.
    expect(c.countsAt(MAY_20)!.normal).toBeLessThanOrEqual(999_990);
    expect(c.countsAt(MAY_20)!.normal).toBeGreaterThanOrEqual(0);
  });

  it('wraps a small register quickly (digits 2)', () => {
    const h = new Household({ seed: 1 });
    const c = new EnergyCounters((t) => h.powerAt(t), h.stepMs, MAY_20, { digits: 2 });
    const counts: number[] = [];
    for (let d = 0; d < 5; d++) counts.push(c.countsAt(MAY_20 + (d + 1) * DAY_MS)!.normal);
    expect(Math.max(...counts)).toBeLessThan(100);
    const total = Math.floor(c.energyWs(MAY_20 + 5 * DAY_MS)!.normal / 360_000);
    expect(total).toBeGreaterThan(100);
    expect(counts[4]).toBe(total % 100);
  });

  it('has no data before its origin or beyond what it retains', () => {
    const h = new Household({ seed: 1 });
    const c = new EnergyCounters((t) => h.powerAt(t), h.stepMs, MAY_20, { retainMs: DAY_MS });
    expect(c.energyWs(MAY_20 - 1)).toBeNull();
    expect(c.energyWs(MAY_20)).toEqual({ normal: 0, reverse: 0 });
    const late = MAY_20 + 3 * DAY_MS;
    const before = c.countsAt(MAY_20 + 2 * DAY_MS + HOUR_MS);
    c.energyWs(late);
    expect(c.firstAvailable).toBeGreaterThan(MAY_20);
    expect(c.countsAt(MAY_20 + HOUR_MS)).toBeNull();
    expect(c.countsAt(MAY_20 + 2 * DAY_MS + HOUR_MS)).toEqual(before);
  });

  it('rejects impossible register settings', () => {
    const p = () => 100;
    expect(() => new EnergyCounters(p, 10_000, MAY_20, { unitCode: 0x05 })).toThrow(RangeError);
    expect(() => new EnergyCounters(p, 10_000, MAY_20, { digits: 9 })).toThrow(RangeError);
    expect(() => new EnergyCounters(p, 7_000, MAY_20)).toThrow(RangeError);
  });
});
