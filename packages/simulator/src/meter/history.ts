import { floorTo, HALF_HOUR_MS, jstDayNumber, jstDayStart, MINUTE_MS } from '@b-route/core';
import type { Counts, EnergyCounters } from './counters.js';

/**
 * The meter's stored histories (Appendix §3.3.25, class 0x0288), computed from the counters:
 * - history 1 (E2/E4): 48 half-hour counts of one JST day, the day chosen with E5;
 * - history 2 (EC): n ≤ 12 half-hour points from the ED time back, newest first;
 * - history 3 (EE): n ≤ 10 one-minute points from the EF time back, newest first;
 * - fixed-time values (EA/EB): the counts at the last half-hour boundary.
 * A point has data only when its instant has passed and lies within the kept days; otherwise it
 * is null (sent as FFFFFFFE).
 */
export interface HistoryOptions {
  /** Days of history kept, today included (many meters keep 45). Default 45. */
  readonly days?: number;
}

export interface SeriesPoint {
  readonly time: number;
  readonly normal: number | null;
  readonly reverse: number | null;
}

export interface DayCounts {
  /** 00:00 JST of the day. */
  readonly start: number;
  readonly normal: readonly (number | null)[];
  readonly reverse: readonly (number | null)[];
}

export const SLOTS_PER_DAY = 48;
/** EC points per request (ED n 1–12). */
export const MAX_POINTS_HALF_HOUR = 12;
/** EE points per request (EF n 1–10). */
export const MAX_POINTS_MINUTE = 10;

export class MeterHistory {
  readonly days: number;
  readonly #counters: EnergyCounters;

  constructor(counters: EnergyCounters, options: HistoryOptions = {}) {
    this.#counters = counters;
    this.days = options.days ?? 45;
    if (!Number.isInteger(this.days) || this.days < 1 || this.days > 100) {
      throw new RangeError(`history days must be 1–100, got ${this.days}`);
    }
  }

  /** The oldest instant the meter still holds at `now` (00:00 of the oldest kept day). */
  oldest(now: number): number {
    return Math.max(jstDayStart(jstDayNumber(now) - (this.days - 1)), this.#counters.firstAvailable);
  }

  /** Counts at `t` as the meter knows them at `now`: null in the future or before the kept days. */
  countsAt(now: number, t: number): Counts | null {
    if (t > now || t < this.oldest(now)) return null;
    return this.#counters.countsAt(t);
  }

  /** E2/E4: the 48 half-hour counts of the day `daysAgo` days before today (0 = today). */
  day(now: number, daysAgo: number): DayCounts {
    const start = jstDayStart(jstDayNumber(now) - daysAgo);
    const normal: (number | null)[] = [];
    const reverse: (number | null)[] = [];
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      const c = this.countsAt(now, start + i * HALF_HOUR_MS);
      normal.push(c?.normal ?? null);
      reverse.push(c?.reverse ?? null);
    }
    return { start, normal, reverse };
  }

  /** EC/EE: `n` points from `newest` back in steps of `stepMs`, newest first. */
  series(now: number, newest: number, n: number, stepMs: number): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    for (let i = 0; i < n; i++) {
      const time = newest - i * stepMs;
      const c = this.countsAt(now, time);
      out.push({ time, normal: c?.normal ?? null, reverse: c?.reverse ?? null });
    }
    return out;
  }

  /** The last half-hour boundary at or before `now` (EA/EB time). */
  lastBoundary(now: number): number {
    return floorTo(now, HALF_HOUR_MS);
  }

  /** EA/EB: the boundary and its counts. */
  fixedTime(now: number): { time: number; counts: Counts | null } {
    const time = this.lastBoundary(now);
    return { time, counts: this.countsAt(now, time) };
  }

  /**
   * Whether an ED (history 2) request is one the meter accepts: minute 0 or 30, n 1–12, not in
   * the future and within the kept days. A real meter answers anything else with SetC_SNA.
   */
  acceptsHalfHourRequest(now: number, time: number, n: number): boolean {
    return (
      time % HALF_HOUR_MS === 0 &&
      Number.isInteger(n) &&
      n >= 1 &&
      n <= MAX_POINTS_HALF_HOUR &&
      time <= now &&
      time >= this.oldest(now)
    );
  }

  /** Whether an EF (history 3) request is accepted: whole minute, n 1–10, past and kept. */
  acceptsMinuteRequest(now: number, time: number, n: number): boolean {
    return (
      time % MINUTE_MS === 0 &&
      Number.isInteger(n) &&
      n >= 1 &&
      n <= MAX_POINTS_MINUTE &&
      time <= now &&
      time >= this.oldest(now)
    );
  }
}
