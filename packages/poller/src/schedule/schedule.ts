/**
 * Polling schedule: per-property cycles aligned to wall-clock boundaries. A 30 s cycle fires at
 * :00 and :30 of every minute, a 300 s cycle at :00, :05, … — so everything due at the same
 * instant is asked in one ECHONET Lite frame (one radio transmission, a fraction of the ARIB
 * STD-T108 send-time budget). Pure: the caller passes the time.
 */
import { floorJst } from '@b-route/core';

export interface ScheduleEntry {
  /** A name for logs and for the caller to tell what was due ("instantaneous", "meta", …). */
  readonly name: string;
  /** ECHONET Lite property codes of the smart meter asked together on this cycle. */
  readonly epcs: readonly number[];
  /** Cycle length in milliseconds; boundaries are multiples of it since the Unix epoch. */
  readonly periodMs: number;
  /**
   * Instead of `periodMs`: the next instant strictly after `now` this entry is due (a crontab
   * schedule, cron.ts). Entries due at the same instant still share one frame.
   */
  readonly next?: (now: number) => number;
}

export interface DueSet {
  /** The boundary instant (ms since epoch) at which these entries are due. */
  readonly at: number;
  readonly entries: readonly ScheduleEntry[];
  /** The union of the entries' EPCs, in first-seen order, each once. */
  readonly epcs: readonly number[];
}

/**
 * The next boundary strictly after `now` at which at least one entry is due, with every entry
 * due at that instant. Calling it late (after a slow request) skips missed boundaries instead of
 * piling them up.
 * @throws Error when `entries` is empty or a period is not a positive finite number.
 */
export function nextDue(entries: readonly ScheduleEntry[], now: number): DueSet {
  if (entries.length === 0) throw new Error('nextDue: the schedule has no entries');
  const next = (e: ScheduleEntry) => (e.next ? e.next(now) : nextBoundary(e.periodMs, now));
  let at = Number.POSITIVE_INFINITY;
  for (const e of entries) at = Math.min(at, next(e));
  const due = entries.filter((e) => next(e) === at);
  const epcs: number[] = [];
  for (const e of due) for (const epc of e.epcs) if (!epcs.includes(epc)) epcs.push(epc);
  return { at, entries: due, epcs };
}

/**
 * The first multiple of `periodMs`, counted in the meter's wall-clock time (UTC+9, no DST),
 * strictly after `now`. For periods dividing an hour this is the same as UTC; a daily cycle
 * fires at midnight in Japan, not in UTC.
 */
export function nextBoundary(periodMs: number, now: number): number {
  if (!(periodMs > 0) || !Number.isFinite(periodMs)) throw new Error(`invalid period ${periodMs} ms`);
  return floorJst(now, periodMs) + periodMs;
}
