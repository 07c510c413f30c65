/**
 * ARIB STD-T108 transmit-time limit for 920 MHz stations: total transmit time in any hour is
 * capped (360 s for the B-route class of devices). The SK stacks enforce it themselves and
 * announce EVENT 32 when they stop sending and EVENT 33 when they may send again.
 */

/** 920 MHz Wi-SUN FSK at 100 kbit/s. */
const BITS_PER_MS = 100;
/** PHY preamble/SFD/PHR + MAC header with auxiliary security header, MIC, FCS + 6LoWPAN/UDP. */
const FRAME_OVERHEAD_BYTES = 60;

/** Time on air of one UDP datagram with `payloadBytes` of payload, in ms. */
export function airtimeMs(payloadBytes: number): number {
  return ((payloadBytes + FRAME_OVERHEAD_BYTES) * 8) / BITS_PER_MS;
}

export interface SendBudgetOptions {
  /** Transmit time allowed in any window, ms. Default 360 000 (ARIB STD-T108, 360 s per hour). */
  budgetMs?: number;
  /** Length of the sliding window, ms. Default 3 600 000. */
  windowMs?: number;
}

export const DEFAULT_SEND_BUDGET_MS = 360_000;

/** Sliding-window accounting of transmit time. Pure: time comes in as arguments. */
export class SendBudget {
  readonly budgetMs: number;
  readonly windowMs: number;
  #sends: { at: number; ms: number }[] = [];
  #restricted = false;

  constructor(options: SendBudgetOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_SEND_BUDGET_MS;
    this.windowMs = options.windowMs ?? 3_600_000;
    if (!(this.budgetMs > 0)) throw new RangeError(`send budget must be > 0 ms, got ${this.budgetMs}`);
    if (!(this.windowMs > 0)) throw new RangeError(`send window must be > 0 ms, got ${this.windowMs}`);
  }

  /** True between the send that exceeded the budget and the moment usage falls back under it. */
  get restricted(): boolean {
    return this.#restricted;
  }

  /** Transmit time within the window ending at `now`, ms. */
  used(now: number): number {
    this.#expire(now);
    let sum = 0;
    for (const s of this.#sends) sum += s.ms;
    return sum;
  }

  /**
   * Account a transmission of `ms` at `now`. Returns true when this send used up the budget and
   * the restriction starts (the caller prints EVENT 32). Callers must not send while restricted.
   */
  record(now: number, ms: number): boolean {
    this.#sends.push({ at: now, ms });
    if (!this.#restricted && this.used(now) > this.budgetMs) {
      this.#restricted = true;
      return true;
    }
    return false;
  }

  /** The earliest time at which usage is back under the budget (only meaningful while restricted). */
  liftAt(now: number): number {
    let used = this.used(now);
    for (const s of this.#sends) {
      if (used <= this.budgetMs) break;
      used -= s.ms;
      if (used <= this.budgetMs) return s.at + this.windowMs;
    }
    return now;
  }

  /**
   * Re-evaluate at `now`; returns true when the restriction ends here (the caller prints EVENT 33).
   */
  check(now: number): boolean {
    if (this.#restricted && this.used(now) <= this.budgetMs) {
      this.#restricted = false;
      return true;
    }
    return false;
  }

  /** Forget everything (power cycle). */
  clear(): void {
    this.#sends = [];
    this.#restricted = false;
  }

  #expire(now: number): void {
    const from = now - this.windowMs;
    while (this.#sends.length > 0 && this.#sends[0]!.at <= from) this.#sends.shift();
  }
}
