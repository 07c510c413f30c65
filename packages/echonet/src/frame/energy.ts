import { EchonetError } from '../errors.js';
import { type JstDate, type JstDateTime, jstToDate } from './jst-time.js';
import { type DayHistory, type HistorySeries, SLOTS_PER_DAY } from './meter-history.js';

/**
 * kWh of a raw cumulative count: count × coefficient (D3) × unit (E1). Computed on integers
 * and divided once, so 3 × 0.1 gives 0.3, not 0.30000000000000004. Null (no data) stays null.
 * @throws EchonetError `property.range` when count or coefficient is not a non-negative integer,
 *   or `unitKwh` not a positive power of ten.
 */
export function countToKwh(count: number, coefficient: number, unitKwh: number): number;
export function countToKwh(count: number | null, coefficient: number, unitKwh: number): number | null;
export function countToKwh(count: number | null, coefficient: number, unitKwh: number): number | null {
  if (count === null) return null;
  for (const [what, v] of [
    ['count', count],
    ['coefficient', coefficient],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new EchonetError('property.range', `${what} ${v} is not a non-negative integer`, {
        context: { [what]: v },
      });
    }
  }
  const exponent = Math.round(Math.log10(unitKwh));
  if (!(unitKwh > 0) || Math.abs(unitKwh / 10 ** exponent - 1) > 1e-9) {
    throw new EchonetError('property.range', `unit ${unitKwh} kWh is not a power of ten`, {
      context: { unitKwh },
    });
  }
  const product = BigInt(count) * BigInt(coefficient);
  if (exponent >= 0) return Number(product * 10n ** BigInt(exponent));
  return Number(product) / 10 ** -exponent;
}

/**
 * Count difference `next - prev` for a counter that wraps at 10^digits (D7 effective digits):
 * a smaller `next` means the counter passed 10^digits − 1 → 0. Null when either is null.
 * @throws EchonetError `property.range` for digits outside 1..8 or counts outside 0..10^digits−1.
 */
export function wrapDelta(prev: number | null, next: number | null, digits: number): number | null {
  if (!Number.isInteger(digits) || digits < 1 || digits > 8) {
    throw new EchonetError('property.range', `effective digits ${digits} outside 1..8`, {
      context: { digits },
    });
  }
  if (prev === null || next === null) return null;
  const modulus = 10 ** digits;
  for (const v of [prev, next]) {
    if (!Number.isInteger(v) || v < 0 || v >= modulus) {
      throw new EchonetError('property.range', `count ${v} does not fit ${digits} digits`, {
        context: { value: v, digits },
      });
    }
  }
  return next >= prev ? next - prev : next + modulus - prev;
}

export interface EnergyPoint {
  /** Instant of the reading (JST wall-clock time turned into a Date). */
  readonly slot: Date;
  readonly count: number | null;
  readonly kwh: number | null;
}

export interface EnergyScale {
  /** D3; {@link DEFAULT_COEFFICIENT} when the meter lacks it. */
  readonly coefficient: number;
  /** E1 `kwh`. */
  readonly unitKwh: number;
}

/**
 * E2/E4: the 48 readings at 00:00, 00:30 … 23:30 JST of the day `today − value.day`.
 * `today` is the meter's (JST) calendar day when the history was read.
 */
export function historyPoints(
  value: DayHistory,
  opts: EnergyScale & { readonly today: JstDate },
): EnergyPoint[];
/** EC/EE: one point per entry (newest first, as sent) in the chosen direction. */
export function historyPoints(
  value: HistorySeries,
  opts: EnergyScale & { readonly direction: 'normal' | 'reverse' },
): EnergyPoint[];
export function historyPoints(
  value: DayHistory | HistorySeries,
  opts: EnergyScale & { readonly today?: JstDate; readonly direction?: 'normal' | 'reverse' },
): EnergyPoint[] {
  const point = (time: JstDateTime, count: number | null): EnergyPoint => ({
    slot: jstToDate(time),
    count,
    kwh: countToKwh(count, opts.coefficient, opts.unitKwh),
  });
  if ('counts' in value) {
    const today = opts.today;
    if (today === undefined) {
      throw new EchonetError('property.range', 'historyPoints of a day history needs `today`');
    }
    const start = {
      year: today.year,
      month: today.month,
      day: today.day - value.day,
      hour: 0,
      minute: 0,
      second: 0,
    };
    if (value.counts.length !== SLOTS_PER_DAY) {
      throw new EchonetError('property.range', `${value.counts.length} counts, expected ${SLOTS_PER_DAY}`);
    }
    return value.counts.map((count, i) => point({ ...start, minute: 30 * i }, count));
  }
  const direction = opts.direction ?? 'normal';
  return value.points.map((p) => point(p.time, p[direction]));
}
