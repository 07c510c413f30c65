/**
 * The meter's polling loop: per-property cycles aligned to wall-clock boundaries (JST), and
 * everything due at one boundary asked in ONE frame — one radio transmission, a fraction of the
 * ARIB STD-T108 send-time budget (protocol.md §6).
 */
import { HALF_HOUR_MS } from '@b-route/core';
import { type Clock, measurementSentinels, toHex } from '@b-route/echonet';
import type { StoreLogger } from '@b-route/store';
import { type DueSet, nextDue, type ScheduleEntry } from '../schedule/schedule.js';
import { sleepUntil } from './clock.js';
import type { MeterIdentity } from './meter-identity.js';
import type { MeterPort } from './meter-port.js';
import type { ImplausibleReason } from './plausible-sink.js';
import { meterPropertyEntries } from './property-rows.js';
import {
  EPC,
  energyReadingEntry,
  faultEntry,
  pollIntervalEntries,
  powerSampleEntry,
  type Readings,
} from './rows.js';
import { put, type RowSink } from './sink.js';

/** Cycle lengths in seconds, as `[schedule]` of power_consumption.ini gives them. */
export interface ScheduleSeconds {
  /** E7 + E8. Default 30. */
  readonly instantaneous: number;
  /** E0 + E3. Default 300. */
  readonly cumulative: number;
  /** D3 + D7 + E1, and 88 (fault status). Default 3600. */
  readonly meta: number;
}

export const DEFAULT_SCHEDULE: ScheduleSeconds = { instantaneous: 30, cumulative: 300, meta: 3600 };

export function meterSchedule(s: ScheduleSeconds = DEFAULT_SCHEDULE): ScheduleEntry[] {
  return [
    { name: 'instantaneous', epcs: [EPC.power, EPC.currents], periodMs: s.instantaneous * 1000 },
    { name: 'cumulative', epcs: [EPC.normal, EPC.reverse], periodMs: s.cumulative * 1000 },
    { name: 'meta', epcs: [EPC.coefficient, EPC.digits, EPC.unit, EPC.fault], periodMs: s.meta * 1000 },
  ];
}

/**
 * E0/E3 answered this long after a half-hour boundary still stand for it (a 'poll' slot value,
 * replaced by the meter's own EA/EB or E2/E4 record when that arrives). Later answers do not.
 */
export const POLL_SLOT_TOLERANCE_MS = 60_000;

export interface MeterPollerOptions {
  readonly client: MeterPort;
  readonly identity: MeterIdentity;
  readonly sink: RowSink;
  /** Told of E7/E8 overflow and underflow codes (stored as null), to count them. */
  readonly implausible?: (reason: ImplausibleReason, detail: Record<string, unknown>) => void;
  readonly clock: Clock;
  readonly logger: StoreLogger;
  /** Default `meterSchedule()`. */
  readonly schedule?: readonly ScheduleEntry[];
  /**
   * Ask everything the schedule holds once as soon as `run()` starts, before waiting for the
   * first aligned boundary (up to a whole cycle away): the first reading is stored seconds after
   * the join, ahead of the history backfill's requests. Default true.
   */
  readonly pollAtStart?: boolean;
}

export interface MeterPollerStats {
  polls: number;
  failures: number;
  rows: number;
}

export class MeterPoller {
  readonly stats: MeterPollerStats = { polls: 0, failures: 0, rows: 0 };
  readonly #o: MeterPollerOptions;
  readonly #schedule: readonly ScheduleEntry[];

  constructor(options: MeterPollerOptions) {
    this.#o = options;
    this.#schedule = options.schedule ?? meterSchedule();
  }

  /**
   * Polls until `signal` aborts. A boundary missed while a request waited (re-authentication,
   * recovery) is skipped, not caught up. Never rejects.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.#o;
    if (this.#o.pollAtStart ?? true) {
      const epcs = [...new Set(this.#schedule.flatMap((e) => e.epcs))];
      await this.#poll({ at: clock.now(), entries: this.#schedule, epcs }, signal);
    }
    while (!signal.aborted) {
      const due = nextDue(this.#schedule, clock.now());
      try {
        await sleepUntil(clock, due.at, signal);
      } catch {
        return;
      }
      await this.#poll(due, signal);
    }
  }

  /** One frame for everything in `due`; a failure is counted and logged, never thrown. */
  async #poll(due: DueSet, signal: AbortSignal): Promise<void> {
    const { client, clock, logger } = this.#o;
    try {
      const readings = await client.get(due.epcs, { signal });
      this.stats.polls++;
      this.record(due.at, clock.now(), readings);
    } catch (err) {
      if (signal.aborted) return;
      this.stats.failures++;
      logger.warn(
        { err, due: due.entries.map((e) => e.name), at: new Date(due.at).toISOString() },
        'meter poll failed',
      );
    }
  }

  /** Stores what one poll answered at `at` for the boundary `boundary`. */
  record(boundary: number, at: number, readings: Readings): void {
    const { client, identity, logger } = this.#o;
    const id = client.pan?.mac;
    if (id === undefined) return;
    const meterEntry = identity.absorb(id, at, readings);
    this.#put(meterEntry);
    this.#noteSentinels(id, at, readings);
    this.#put(powerSampleEntry(id, at, readings));
    for (const entry of meterPropertyEntries(id, at, readings)) this.#put(entry);
    this.#put(faultEntry(id, at, readings));
    const facts = identity.factsFor(id);
    if (!facts) {
      if (readings.has(EPC.normal))
        logger.warn({}, 'cumulative energy not stored: the unit (E1) is not known yet');
      return;
    }
    this.#put(energyReadingEntry(id, at, readings, facts.scale));
    if (boundary % HALF_HOUR_MS === 0 && at - boundary <= POLL_SLOT_TOLERANCE_MS) {
      for (const entry of pollIntervalEntries(id, boundary, readings, facts.scale)) this.#put(entry);
    }
  }

  #noteSentinels(meter: string, at: number, readings: Readings): void {
    for (const [epc, what] of [
      [EPC.power, 'power'],
      [EPC.currents, 'current'],
    ] as const) {
      const edt = readings.get(epc)?.edt;
      if (!edt) continue;
      for (const s of measurementSentinels(epc, edt)) {
        this.#o.implausible?.(`${what} ${s}` as ImplausibleReason, {
          meter,
          time: new Date(at).toISOString(),
          edt: toHex(edt),
        });
      }
    }
  }

  #put(entry: Parameters<typeof put>[1]): void {
    if (!entry) return;
    put(this.#o.sink, entry);
    this.stats.rows++;
  }
}
