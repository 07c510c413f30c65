/**
 * Simulated time for every part of the simulator. Time runs at `speed` × real time from `start`;
 * with `speed` 0 it only moves through `advance()`, which makes tests fully deterministic.
 *
 * Timers fire in order of due time, then of creation, whether time moves by itself or through
 * `advance()`. A callback receives the simulated time it was due at: with a real clock under an
 * accelerated one a callback can run a little late, and the due time is the exact instant it
 * stands for (a half-hour boundary, say).
 */

/** Real-world time source and timer functions; injectable so that acceleration can be tested. */
export interface RealTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SimClockOptions {
  /** Simulated time at creation. Default: the real time at creation. */
  start?: Date | number;
  /** Simulated milliseconds per real millisecond; 0 = manual (only `advance()` moves time). Default 1. */
  speed?: number;
  /** Real time and timers. Default: `Date.now` and the global timers. */
  real?: RealTimers;
  /** Let the process exit while timers are pending (unref the real timer). Default false. */
  unref?: boolean;
}

/** Handle of a simulated timer. */
export interface SimTimer {
  readonly id: number;
}

interface Entry {
  readonly id: number;
  readonly seq: number;
  due: number;
  readonly interval: number | null;
  readonly fn: (dueAt: number) => void;
}

const GLOBAL_TIMERS: RealTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Longest real wait scheduled at once (Node's timers overflow above 2^31-1 ms). */
const MAX_REAL_WAIT = 0x7fffffff;

export class SimClock {
  readonly #real: RealTimers;
  readonly #unref: boolean;
  #speed: number;
  /** Simulated time at `#realBase` (or the whole time while manual). */
  #simBase: number;
  #realBase: number;
  #entries: Entry[] = [];
  #nextId = 1;
  #nextSeq = 0;
  #realHandle: unknown = null;
  #firing = false;
  #disposed = false;

  constructor(options: SimClockOptions = {}) {
    this.#real = options.real ?? GLOBAL_TIMERS;
    this.#unref = options.unref ?? false;
    const speed = options.speed ?? 1;
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be ≥ 0, got ${speed}`);
    this.#speed = speed;
    this.#realBase = this.#real.now();
    const start = options.start ?? this.#realBase;
    this.#simBase = typeof start === 'number' ? start : start.getTime();
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    if (this.#speed === 0) return this.#simBase;
    return this.#simBase + Math.floor((this.#real.now() - this.#realBase) * this.#speed);
  }

  /** Simulated time as a `Date`. */
  date(): Date {
    return new Date(this.now());
  }

  get speed(): number {
    return this.#speed;
  }

  /** Change the acceleration from now on (0 = manual). Simulated time does not jump. */
  setSpeed(speed: number): void {
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be ≥ 0, got ${speed}`);
    this.#rebase();
    this.#speed = speed;
    this.#arm();
  }

  /** Run `fn` once `ms` simulated milliseconds from now. */
  setTimeout(fn: (dueAt: number) => void, ms: number): SimTimer {
    return this.#add(fn, Math.max(0, ms), null);
  }

  /** Run `fn` every `ms` simulated milliseconds (first time `ms` from now). */
  setInterval(fn: (dueAt: number) => void, ms: number): SimTimer {
    if (!(ms > 0)) throw new RangeError(`interval must be > 0, got ${ms}`);
    return this.#add(fn, ms, ms);
  }

  /** Run `fn` at the simulated instant `at` (immediately on the next tick if already past). */
  setTimeoutAt(fn: (dueAt: number) => void, at: number): SimTimer {
    const entry = this.#insert(fn, at, null);
    this.#arm();
    return { id: entry.id };
  }

  clearTimeout(timer: SimTimer | null | undefined): void {
    if (!timer) return;
    const i = this.#entries.findIndex((e) => e.id === timer.id);
    if (i >= 0) this.#entries.splice(i, 1);
    this.#arm();
  }

  clearInterval(timer: SimTimer | null | undefined): void {
    this.clearTimeout(timer);
  }

  /** A promise that resolves `ms` simulated milliseconds from now. */
  sleep(ms: number): Promise<number> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.#entries.length;
  }

  /**
   * Move simulated time forward by `ms`, firing every timer due on the way in order, each with
   * the clock reading its due time. Works in manual and accelerated mode alike.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs ms ≥ 0, got ${ms}`);
    this.advanceTo(this.now() + ms);
  }

  /** Move simulated time forward to `target` (no-op if already there). */
  advanceTo(target: number): void {
    this.#rebase();
    if (target < this.#simBase) return;
    for (;;) {
      const next = this.#entries[0];
      if (!next || next.due > target) break;
      this.#simBase = Math.max(this.#simBase, next.due);
      this.#realBase = this.#real.now();
      this.#fire(next);
    }
    this.#simBase = Math.max(this.#simBase, target);
    this.#realBase = this.#real.now();
    this.#arm();
  }

  /** Cancel every timer and the underlying real timer. The clock still tells time. */
  dispose(): void {
    this.#disposed = true;
    this.#entries = [];
    this.#disarm();
  }

  #add(fn: (dueAt: number) => void, ms: number, interval: number | null): SimTimer {
    const entry = this.#insert(fn, this.now() + ms, interval);
    this.#arm();
    return { id: entry.id };
  }

  #insert(fn: (dueAt: number) => void, due: number, interval: number | null): Entry {
    const entry: Entry = { id: this.#nextId++, seq: this.#nextSeq++, due, interval, fn };
    this.#enqueue(entry);
    return entry;
  }

  #enqueue(entry: Entry): void {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.#entries[mid]!;
      if (e.due < entry.due || (e.due === entry.due && e.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.#entries.splice(lo, 0, entry);
  }

  /** Remove `entry` (the head), reschedule it if periodic, then call it. */
  #fire(entry: Entry): void {
    this.#entries.shift();
    const dueAt = entry.due;
    if (entry.interval !== null) {
      // Same id, fresh sequence number: a periodic timer queues behind timers created meanwhile.
      this.#enqueue({ ...entry, seq: this.#nextSeq++, due: dueAt + entry.interval });
    }
    this.#firing = true;
    try {
      entry.fn(dueAt);
    } finally {
      this.#firing = false;
    }
  }

  #rebase(): void {
    const now = this.now();
    this.#realBase = this.#real.now();
    this.#simBase = now;
  }

  #disarm(): void {
    if (this.#realHandle !== null) {
      this.#real.clearTimeout(this.#realHandle);
      this.#realHandle = null;
    }
  }

  /** Schedule one real timer for the earliest simulated timer (accelerated mode only). */
  #arm(): void {
    this.#disarm();
    if (this.#disposed || this.#firing || this.#speed === 0) return;
    const next = this.#entries[0];
    if (!next) return;
    const wait = Math.min(MAX_REAL_WAIT, Math.max(0, Math.ceil((next.due - this.now()) / this.#speed)));
    const handle = this.#real.setTimeout(() => {
      this.#realHandle = null;
      this.#runDue();
    }, wait);
    if (this.#unref && typeof (handle as { unref?: () => void }).unref === 'function') {
      (handle as { unref: () => void }).unref();
    }
    this.#realHandle = handle;
  }

  #runDue(): void {
    const now = this.now();
    for (;;) {
      const next = this.#entries[0];
      if (!next || next.due > now) break;
      this.#fire(next);
    }
    this.#arm();
  }
}
