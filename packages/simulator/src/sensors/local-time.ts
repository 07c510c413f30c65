/**
 * Deterministic randomness for the virtual sensors: pure functions of a seed and integer inputs,
 * so any instant can be recomputed without state and two sensors built with one seed agree.
 */

const TWO_32 = 0x1_0000_0000;

/** 32-bit hash of a seed and a list of integers (each may exceed 32 bits, e.g. a time index). */
export function hashInts(seed: number, ...values: number[]): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  for (const v of values) {
    const lo = v | 0;
    const hi = Math.floor(v / TWO_32) | 0;
    h = Math.imul(h ^ (h >>> 13) ^ lo, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16) ^ hi, 0x85ebca6b);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform number in [0, 1) from a seed and integers. */
export function unitHash(seed: number, ...values: number[]): number {
  return hashInts(seed, ...values) / TWO_32;
}

/**
 * Smooth noise in [-1, 1] over time: independent random values every `periodMs`, blended with a
 * smoothstep in between (continuous, so a sensor never jumps). `channel` keeps sources apart.
 */
export function smoothNoise(seed: number, channel: number, t: number, periodMs: number): number {
  const x = t / periodMs;
  const i = Math.floor(x);
  const f = x - i;
  const a = unitHash(seed, channel, i) * 2 - 1;
  const b = unitHash(seed, channel, i + 1) * 2 - 1;
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/** Two octaves of `smoothNoise` (period and period/3), still within [-1, 1]. */
export function fractalNoise(seed: number, channel: number, t: number, periodMs: number): number {
  return (
    0.7 * smoothNoise(seed, channel, t, periodMs) + 0.3 * smoothNoise(seed, channel + 1000, t, periodMs / 3)
  );
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Local calendar position of an instant at a fixed UTC offset (no DST; Japan is UTC+9). */
export interface LocalTime {
  /** Days since 1970-01-01 in local time. */
  day: number;
  /** Minutes since local midnight, fractional. */
  minuteOfDay: number;
  /** 0 Sunday … 6 Saturday. */
  dayOfWeek: number;
  /** 0-based day of the year (leap years ignored: 365-day cycle from 1 January). */
  dayOfYear: number;
}

export function localTime(t: number, utcOffsetMinutes: number): LocalTime {
  const local = t + utcOffsetMinutes * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const minuteOfDay = (local - day * DAY_MS) / MINUTE_MS;
  // 1970-01-01 was a Thursday.
  const dayOfWeek = (((day + 4) % 7) + 7) % 7;
  const date = new Date(day * DAY_MS);
  const dayOfYear = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);
  return { day, minuteOfDay, dayOfWeek, dayOfYear };
}
