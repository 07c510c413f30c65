/**
 * "No lost data": every 30-minute slot the meter still keeps gets an energy_interval row. The
 * meter records the cumulative count of each direction at every half hour and serves a whole
 * day of them at once (historical cumulative energy 1: SetC E5 = days ago, then Get E2 normal +
 * E4 reverse; protocol.md §5). Most meters keep 45 days. Slots holding only an approximate
 * 'poll' value are fetched too, so the meter's exact record replaces it.
 */
import { DAY_MS, floorHalfHour, jstDayNumber, jstDayStart } from '@b-route/core';
import { type Clock, type DayHistory, dateToJst, type JstDate } from '@b-route/echonet';
import type { Database, EnergyDirection, StoreLogger } from '@b-route/store';
import { isConnectionError, missingIntervalSlots } from '@b-route/store';
import type { Kysely } from 'kysely';
import { untilAborted } from './abortable.js';
import type { MeterIdentity } from './meter-identity.js';
import type { MeterPort } from './meter-port.js';
import { EPC, historyEntries, readingValue } from './rows.js';
import { put, type RowSink } from './sink.js';

/** Which slots of a meter and direction need the meter's history, oldest first. */
export interface SlotFinder {
  slotsToFill(meter: string, direction: EnergyDirection, from: Date, to: Date): Promise<Date[]>;
}

/**
 * Slots without a row, and slots holding only a 'poll' value older than `settleMs` (by then the
 * meter's EA/EB notification should have replaced it).
 */
export function databaseSlotFinder(db: Kysely<Database>, clock: Clock, settleMs = 10 * 60_000): SlotFinder {
  return {
    async slotsToFill(meter, direction, from, to) {
      const missing = await missingIntervalSlots(db, meter, direction, from, to);
      const polled = await db
        .selectFrom('energy_interval')
        .select('slot')
        .where('meter', '=', meter)
        .where('direction', '=', direction)
        .where('source', '=', 'poll')
        .where('slot', '>=', from)
        .where('slot', '<', new Date(Math.min(to.getTime(), clock.now() - settleMs)))
        .execute();
      return [...missing, ...polled.map((r) => r.slot)].sort((a, b) => a.getTime() - b.getTime());
    },
  };
}

export interface BackfillOptions {
  readonly client: MeterPort;
  readonly identity: MeterIdentity;
  readonly sink: RowSink;
  readonly slots: SlotFinder;
  readonly clock: Clock;
  readonly logger: StoreLogger;
  /** Days of history the meter keeps (E5 0 … days − 1). Default 45. */
  readonly historyDays?: number;
}

export type BackfillOutcome =
  | { readonly status: 'done'; readonly days: number; readonly rows: number }
  | { readonly status: 'database-away' }
  | { readonly status: 'not-identified' };

/** Slots the meter answered "no data" for stop being asked once they are this old. */
const GIVE_UP_AFTER_MS = DAY_MS;

export class Backfill {
  readonly #o: BackfillOptions;
  readonly #days: number;
  /** Slots (epoch ms, per direction) the meter has no data for; not asked again by this process. */
  readonly #empty = new Set<string>();
  #reverseSupported = true;

  constructor(options: BackfillOptions) {
    this.#o = options;
    this.#days = options.historyDays ?? 45;
  }

  /**
   * One pass: finds the slots to fill and asks the meter for each day that has some, newest day
   * first. Database trouble is an outcome, not an error; meter errors propagate.
   * @throws whatever the client throws (closed, aborted, property errors).
   */
  async run(signal?: AbortSignal): Promise<BackfillOutcome> {
    const { client, identity, sink, clock, logger } = this.#o;
    const meter = client.pan?.mac;
    const facts = identity.factsFor(meter);
    if (meter === undefined || !facts) return { status: 'not-identified' };

    // Rows waiting in memory or in the spool are not missing: write them first, and do not
    // judge gaps while the database cannot be asked.
    const flushed = await untilAborted(sink.flush(), signal);
    if (flushed.pending > 0 || flushed.buffered > 0) return { status: 'database-away' };

    const now = clock.now();
    const today = jstDayNumber(now);
    const from = new Date(jstDayStart(today - (this.#days - 1)));
    const to = new Date(floorHalfHour(now) + 1);
    const directions: EnergyDirection[] = this.#reverseSupported ? ['normal', 'reverse'] : ['normal'];
    const byDay = new Map<number, number>();
    try {
      for (const direction of directions) {
        for (const slot of await untilAborted(
          this.#o.slots.slotsToFill(meter, direction, from, to),
          signal,
        )) {
          if (this.#empty.has(`${direction}:${slot.getTime()}`)) continue;
          const day = today - jstDayNumber(slot.getTime());
          byDay.set(day, (byDay.get(day) ?? 0) + 1);
        }
      }
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      return { status: 'database-away' };
    }
    if (byDay.size === 0) return { status: 'done', days: 0, rows: 0 };

    const days = [...byDay.keys()].sort((a, b) => a - b);
    logger.info(
      { days: days.length, slots: [...byDay.values()].reduce((a, b) => a + b, 0), oldestDay: days.at(-1) },
      'filling 30-minute values from the meter history',
    );
    let rows = 0;
    for (const day of days) {
      signal?.throwIfAborted();
      rows += await this.#fetchDay(meter, day, signal);
    }
    logger.info({ days: days.length, rows }, 'history filled');
    return { status: 'done', days: days.length, rows };
  }

  /** SetC E5 = `day`, then E2 (+ E4) with the meter's date (98) in one frame. */
  async #fetchDay(meter: string, day: number, signal?: AbortSignal): Promise<number> {
    const { client, identity, sink, clock } = this.#o;
    const options = signal ? { signal } : {};
    await client.setHistoryDay1(day, options);
    const epcs = this.#reverseSupported
      ? [EPC.historyNormal, EPC.historyReverse, EPC.currentDate]
      : [EPC.historyNormal, EPC.currentDate];
    const readings = await client.get(epcs, options);
    const facts = identity.factsFor(meter);
    if (!facts || client.pan?.mac !== meter) return 0;
    if (
      this.#reverseSupported &&
      readings.has(EPC.historyReverse) &&
      !readings.get(EPC.historyReverse)?.edt
    ) {
      this.#reverseSupported = false;
      this.#o.logger.info(
        {},
        'the meter has no reverse-direction history (E4); filling the normal direction only',
      );
    }
    // The day E5 counts from is the meter's own date, asked in the same frame.
    const meterToday: JstDate =
      readingValue<JstDate>(readings, EPC.currentDate) ?? dateToJst(new Date(clock.now()));
    let rows = 0;
    for (const [direction, epc] of [
      ['normal', EPC.historyNormal],
      ['reverse', EPC.historyReverse],
    ] as const) {
      const value = readingValue<DayHistory>(readings, epc);
      if (!value) continue;
      const { entries, empty } = historyEntries(meter, direction, value, facts.scale, meterToday);
      for (const entry of entries) put(sink, entry);
      rows += entries.length;
      const old = clock.now() - GIVE_UP_AFTER_MS;
      for (const slot of empty) if (slot.getTime() < old) this.#empty.add(`${direction}:${slot.getTime()}`);
    }
    return rows;
  }
}
