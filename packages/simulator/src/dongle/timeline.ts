import type { SimTimer } from '../clock.js';

/** The part of SimClock the dongle uses. */
export interface DongleClock {
  now(): number;
  setTimeout(fn: (dueAt: number) => void, ms: number): SimTimer;
  clearTimeout(timer: SimTimer | null | undefined): void;
}

/** One step of a sequence: wait `delay` ms, then run; returning false ends the sequence. */
export type Step = readonly [delay: number, run: () => boolean | undefined];

/**
 * The dongle's pending work on the simulated clock: single timers and sequences of timed steps
 * (a PANA exchange), all cancelled together when the dongle resets or loses power.
 */
export class Timeline {
  readonly clock: DongleClock;
  readonly #afterStep: () => void;
  readonly #timers = new Set<SimTimer>();

  /** @param afterStep runs after every timer callback (the dongle flushes deferred events there). */
  constructor(clock: DongleClock, afterStep: () => void = () => {}) {
    this.clock = clock;
    this.#afterStep = afterStep;
  }

  /** Runs `fn` in `ms` simulated milliseconds unless cancelled first. */
  after(ms: number, fn: () => void): SimTimer {
    const timer = this.clock.setTimeout(() => {
      this.#timers.delete(timer);
      fn();
      this.#afterStep();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  cancel(timer: SimTimer | null): void {
    if (timer === null) return;
    this.#timers.delete(timer);
    this.clock.clearTimeout(timer);
  }

  /** Runs `steps` one after the other, each its delay after the previous one. */
  sequence(steps: readonly Step[]): void {
    const run = (i: number): void => {
      const step = steps[i];
      if (!step) return;
      this.after(step[0], () => {
        if (step[1]() !== false) run(i + 1);
      });
    };
    run(0);
  }

  /** Cancels everything pending. */
  cancelAll(): void {
    for (const t of this.#timers) this.clock.clearTimeout(t);
    this.#timers.clear();
  }

  get pending(): number {
    return this.#timers.size;
  }
}
