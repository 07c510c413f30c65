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
