import type { SimTimer } from '../clock.js';
import type { DongleOutput } from './dongle-output.js';
import { airtimeMs, SendBudget, type SendBudgetOptions } from './send-budget.js';
import type { DongleClock } from './timeline.js';

/**
 * The radio's transmit permission under ARIB STD-T108: every transmission is accounted; the one
 * that uses the hourly budget up still goes out, EVENT 32 follows the lines it causes
 * (`announce()` runs after every command and timer step), later sends are refused until usage is
 * back under the budget and EVENT 33 is printed (BP35A1 command reference 4.8, EVENT 32/33).
 */
export class TransmitGate {
  readonly #budget: SendBudget;
  readonly #clock: DongleClock;
  readonly #out: DongleOutput;
  readonly #sender: string;
  #pending = false;
  #liftTimer: SimTimer | null = null;

  /** @param sender the dongle's own address, printed in EVENT 32/33. */
  constructor(clock: DongleClock, out: DongleOutput, sender: string, options?: SendBudgetOptions) {
    this.#budget = new SendBudget(options);
    this.#clock = clock;
    this.#out = out;
    this.#sender = sender;
  }

  get restricted(): boolean {
    return this.#budget.restricted;
  }

  /** Transmit time within the last window, ms (register SFD). */
  usedMs(): number {
    return this.#budget.used(this.#clock.now());
  }

  /** Accounts a datagram of `payloadBytes`; false = restricted, nothing sent. */
  transmit(payloadBytes: number): boolean {
    if (this.#budget.restricted) return false;
    if (this.#budget.record(this.#clock.now(), airtimeMs(payloadBytes))) this.#pending = true;
    return true;
  }

  /** Prints EVENT 32 if the last transmissions used the budget up, and arms EVENT 33. */
  announce(): void {
    if (!this.#pending) return;
    this.#pending = false;
    this.#out.event(0x32, this.#sender);
    this.#armLift();
  }

  /** Power cycle: the accounting lives in RAM. */
  clear(): void {
    this.#budget.clear();
    this.#pending = false;
    this.#clock.clearTimeout(this.#liftTimer);
    this.#liftTimer = null;
  }

  #armLift(): void {
    this.#clock.clearTimeout(this.#liftTimer);
    const now = this.#clock.now();
    this.#liftTimer = this.#clock.setTimeout(
      () => {
        this.#liftTimer = null;
        if (this.#budget.check(this.#clock.now())) this.#out.event(0x33, this.#sender);
        else if (this.#budget.restricted) this.#armLift();
      },
      Math.max(0, this.#budget.liftAt(now) - now),
    );
  }
}
