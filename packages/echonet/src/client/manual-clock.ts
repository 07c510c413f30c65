import type { Clock } from './clock.js';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told (`advance`), for unit tests of timing rules (spacing,
 * timeouts, backoff) without waiting. Not exported from the package.
 */
export class ManualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(start = Date.UTC(2026, 4, 20, 5, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Due time of the earliest timer, or undefined. */
  nextDue(): number | undefined {
    return this.#timers.reduce<number | undefined>(
      (m, t) => (m === undefined || t.due < m ? t.due : m),
      undefined,
    );
  }

  /** Moves time forward by `ms`, firing due timers in order (with the clock at their due time). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#timers
        .filter((t) => t.due <= target)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.due);
      next.fn();
    }
    this.#now = target;
  }
}

/** Lets queued macrotasks (setImmediate) and promise reactions run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/**
 * Resolves with `promise`, moving `clock` from timer to timer whenever everything else has
 * settled: a scenario that takes minutes of simulated time runs at once. Throws when nothing is
 * left to move (a deadlock) or after `maxSteps` timers.
 */
export async function runUntil<T>(clock: ManualClock, promise: Promise<T>, maxSteps = 100_000): Promise<T> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let step = 0; step < maxSteps; step++) {
    // In-memory streams finish any exchange within a few dozen macrotasks: only then move time.
    await settle(30);
    if (done) return promise;
    const due = clock.nextDue();
    if (due === undefined) {
      await settle(50);
      if (done) return promise;
      if (clock.nextDue() === undefined)
        throw new Error('runUntil: nothing left to run and the promise is pending');
      continue;
    }
    clock.advance(Math.max(0, due - clock.now()));
  }
  throw new Error(`runUntil: still pending after ${maxSteps} timers`);
}
