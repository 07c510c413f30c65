/**
 * The last check before a meter reading becomes a row: values no meter can have measured are
 * made null or dropped, counted per reason, and logged once per reason (then only counted, so a
 * meter that sends them every 30 s does not fill the log).
 *
 * - Cumulative counts (E0/E3, EA/EB, E2/E4 slots) must lie in 0..99 999 999 and fit the meter's
 *   effective digits (D7): count < 10^D7 (Appendix, class 0x0288, E0 and D7). A count that
 *   does not is never turned into kWh: a reading's count becomes null, a slot value is dropped.
 * - A 30-minute slot (EA/EB "fixed time", E2/E4) more than a day ahead of the clock, or older
 *   than any history a meter keeps (E5 allows 99 days back), is dropped: the meter's clock or
 *   the frame is wrong, and a slot in 2099 would stand in every chart.
 * - E7 and E8 overflow/underflow codes already decode to null in @b-route/echonet; the meter
 *   poller reports them here to be counted (`note`).
 */

import { DAY_MS } from '@b-route/core';
import type { Clock } from '@b-route/echonet';
import type { RowKind, StoreLogger, StoreRows } from '@b-route/store';
import type { RowSink } from './sink.js';

/** Largest count of any meter (Appendix: E0 range 0x00000000..0x05F5E0FF). */
const COUNT_MAX = 99_999_999;
/** Oldest slot a meter can still report (E5: up to 99 days back), plus a day. */
const OLDEST_SLOT_MS = 100 * DAY_MS;
/** Newest slot accepted: a day ahead of our clock. */
const NEWEST_SLOT_MS = DAY_MS;

export type ImplausibleReason =
  | 'count beyond effective digits'
  | 'slot in the future'
  | 'slot before the meter history'
  | 'power overflow'
  | 'power underflow'
  | 'current overflow'
  | 'current underflow';

export interface PlausibleSinkOptions {
  readonly sink: RowSink;
  /** D7 of a meter, when known; 8 digits (the Appendix's range) otherwise. */
  readonly digitsOf: (meter: string) => number | undefined;
  readonly clock: Clock;
  readonly logger: StoreLogger;
}

export class PlausibleSink implements RowSink {
  /** Values made null or dropped, per reason, since start. */
  readonly stats: Partial<Record<ImplausibleReason, number>> = {};
  readonly #o: PlausibleSinkOptions;

  constructor(options: PlausibleSinkOptions) {
    this.#o = options;
  }

  add<K extends RowKind>(kind: K, row: StoreRows[K]): void {
    const checked = this.#check(kind, row);
    if (checked) this.#o.sink.add(kind, checked);
  }

  flush(): ReturnType<RowSink['flush']> {
    return this.#o.sink.flush();
  }

  /** Counts (and logs the first of each reason) a value that was not stored. */
  note(reason: ImplausibleReason, detail: Record<string, unknown>): void {
    const seen = this.stats[reason] ?? 0;
    this.stats[reason] = seen + 1;
    if (seen === 0) {
      this.#o.logger.warn(
        { reason, ...detail },
        'impossible meter value not stored (logged once per reason; see the status line for counts)',
      );
    }
  }

  #check<K extends RowKind>(kind: K, row: StoreRows[K]): StoreRows[K] | undefined {
    if (kind === 'energy_reading') {
      const r = row as StoreRows['energy_reading'];
      const normal = this.#count(r.meter, asCount(r.normal_count), 'E0');
      const reverse = this.#count(r.meter, asCount(r.reverse_count), 'E3');
      if (normal === r.normal_count && reverse === r.reverse_count) return row;
      if (normal === null && reverse === null) return undefined;
      return {
        ...r,
        normal_count: normal,
        normal_kwh: normal === null ? null : r.normal_kwh,
        reverse_count: reverse,
        reverse_kwh: reverse === null ? null : r.reverse_kwh,
      } as StoreRows[K];
    }
    if (kind === 'energy_interval') {
      const r = row as StoreRows['energy_interval'];
      const slot = new Date(r.slot).getTime();
      const now = this.#o.clock.now();
      const detail = {
        meter: r.meter,
        direction: r.direction,
        source: r.source,
        slot: new Date(slot).toISOString(),
      };
      if (slot > now + NEWEST_SLOT_MS) return this.#drop('slot in the future', detail);
      if (slot < now - OLDEST_SLOT_MS) return this.#drop('slot before the meter history', detail);
      if (this.#count(r.meter, asCount(r.count), r.source) === null) return undefined;
      return row;
    }
    return row;
  }

  /** The count, or null (noted) when it cannot be one of this meter's. */
  #count(meter: string, count: number | null, what: string): number | null {
    if (count === null) return null;
    const digits = this.#o.digitsOf(meter) ?? 8;
    if (Number.isInteger(count) && count >= 0 && count <= COUNT_MAX && count < 10 ** digits) return count;
    this.note('count beyond effective digits', { meter, property: what, count, digits });
    return null;
  }

  #drop(reason: ImplausibleReason, detail: Record<string, unknown>): undefined {
    this.note(reason, detail);
    return undefined;
  }
}

/** Rows carry counts as numbers (bigint columns accept strings too; ours never are). */
function asCount(v: number | string | null | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}
