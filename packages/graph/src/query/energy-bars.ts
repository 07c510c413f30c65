/**
 * Half-hour consumption from cumulative slots. `energy_interval` holds the cumulative kWh read at
 * each 30-minute boundary (meter local time); what was bought or sold in the half hour ending at
 * slot s is kwh(s) − kwh(s − 30 min). A missing slot leaves its two neighbouring half hours
 * without a bar, but what was used across the gap still counts in the range's total.
 */
import { MINUTE_MS } from '@b-route/core';

export const SLOT_MS = 30 * MINUTE_MS;

export interface CumulativeSlot {
  /** Epoch ms of the 30-minute boundary. */
  readonly t: number;
  readonly kwh: number;
  /** The meter's raw count behind `kwh`, and 10^D7 where it wraps, when known. */
  readonly count?: number;
  readonly modulus?: number;
}

export interface EnergyBar {
  /** Start of the period (epoch ms). */
  readonly start: number;
  /** Length of the period, ms. */
  readonly durationMs: number;
  readonly kwh: number;
}

export interface EnergyBars {
  readonly bars: EnergyBar[];
  /** Sum of every non-negative step between consecutive slots, gaps included; null without two slots. */
  readonly totalKwh: number | null;
}

/**
 * Bars for one direction from its slots in time order. A step that goes down because the
 * meter's count wrapped at its D7 digits (999 991 → 2 on a 6-digit meter) is the use across the
 * wrap: (2 + 10^6 − 999 991) counts at the slot's kWh per count. Any other step down (a meter
 * exchange, unknown digits) is left out of bars and total alike.
 */
export function halfHourBars(slots: readonly CumulativeSlot[]): EnergyBars {
  const bars: EnergyBar[] = [];
  let total: number | null = null;
  for (let i = 1; i < slots.length; i++) {
    const a = slots[i - 1]!;
    const b = slots[i]!;
    const diff = b.kwh >= a.kwh ? b.kwh - a.kwh : acrossWrap(a, b);
    if (diff === undefined || diff < 0) continue;
    total = (total ?? 0) + diff;
    if (b.t - a.t === SLOT_MS) bars.push({ start: a.t, durationMs: SLOT_MS, kwh: round6(diff) });
  }
  return { bars, totalKwh: total === null ? null : round6(total) };
}

/**
 * Sums half-hour bars into buckets of `bucketMs` (a multiple of 30 minutes) aligned to
 * `originMs`, for ranges too long to show 48 bars a day.
 */
export function sumBars(bars: readonly EnergyBar[], bucketMs: number, originMs: number): EnergyBar[] {
  if (bucketMs <= SLOT_MS) return [...bars];
  const sums = new Map<number, number>();
  for (const bar of bars) {
    const key = Math.floor((bar.start - originMs) / bucketMs) * bucketMs + originMs;
    sums.set(key, (sums.get(key) ?? 0) + bar.kwh);
  }
  return [...sums.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([start, kwh]) => ({ start, durationMs: bucketMs, kwh: round6(kwh) }));
}

/**
 * kWh between two slots whose count wrapped, or undefined when that cannot be told: digits or
 * counts unknown, or a step too large to be one wrap (more than half the counter: an exchange).
 */
function acrossWrap(a: CumulativeSlot, b: CumulativeSlot): number | undefined {
  const { modulus } = b;
  if (modulus === undefined || a.count === undefined || b.count === undefined || a.count <= 0)
    return undefined;
  if (b.count >= a.count || a.count >= modulus) return undefined;
  const counts = b.count + modulus - a.count;
  if (counts > modulus / 2) return undefined;
  return counts * (a.kwh / a.count);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
