/**
 * Time as the poller sees it. Every loop, timestamp and timer of the application goes through an
 * injected `Clock` (echonet's, which the simulator's `SimClock` fits), so `--simulate --speed N`
 * (and the tests) run the whole poller on the simulator's accelerated clock.
 */

import type { Clock } from '@b-route/echonet';

/** Rejection reason of a sleep cut short by its signal, when the signal gives none. */
export class AbortedError extends Error {
  override readonly name = 'AbortError';
}

/**
 * Resolves once `clock.now() >= at`, or rejects with the signal's reason when `signal` aborts
 * first. Timers may fire a little early on some clocks; the wait is then resumed.
 */
export function sleepUntil(clock: Clock, at: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new AbortedError('aborted'));
      return;
    }
    let handle: unknown;
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(signal?.reason ?? new AbortedError('aborted'));
    };
    const arm = (): void => {
      const wait = at - clock.now();
      if (wait <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      handle = clock.setTimeout(arm, wait);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}

/**
 * `sleepUntil(clock, clock.now() + ms, signal)`. Unlike echonet's `sleep` (one timer), it waits
 * on when a timer fires early, so `clock.now()` has moved by at least `ms` when it resolves.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return sleepUntil(clock, clock.now() + Math.max(0, ms), signal);
}

/** The store writer's timer type (`(fn, ms) => cancel`) on `clock`. */
export function timerOn(clock: Clock): (fn: () => void, ms: number) => () => void {
  return (fn, ms) => {
    const handle = clock.setTimeout(fn, ms);
    return () => clock.clearTimeout(handle);
  };
}

export const HALF_HOUR_MS = 30 * 60_000;
export const DAY_MS = 24 * 3600_000;
/** The meter's clock is Japan time, UTC+9 without daylight saving (protocol.md §6). */
export const JST_OFFSET_MS = 9 * 3600_000;

/** Days since 1970-01-01 in Japan time: the meter's calendar day of `t`. */
export function jstDayNumber(t: number): number {
  return Math.floor((t + JST_OFFSET_MS) / DAY_MS);
}

/** The instant at which JST day `day` (see `jstDayNumber`) starts. */
export function jstDayStart(day: number): number {
  return day * DAY_MS - JST_OFFSET_MS;
}

/** The last half-hour boundary at or before `t` (Japan has no half-hour offset from UTC). */
export function floorHalfHour(t: number): number {
  return Math.floor(t / HALF_HOUR_MS) * HALF_HOUR_MS;
}
