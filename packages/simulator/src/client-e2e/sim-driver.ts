import type { Transport } from '@b-route/echonet';
import {
  attachInProcess,
  type InProcessAttachment,
  SimClock,
  type SimClockOptions,
  type SimTimer,
  Simulator,
  type SimulatorOptions,
} from '../index.js';

/**
 * Runs the client against the simulator in simulated time, as fast as the machine goes: the
 * simulator's clock is manual, and the driver moves it from one due timer to the next only once
 * the client, the in-process port and the dongle have nothing left to do. Every wait of the
 * client and every delay of the simulator (scan slots, reply delays, PANA, re-authentication)
 * takes its realistic simulated duration, and nothing depends on the speed of the machine.
 * Test and benchmark support; not exported from the package.
 */

/** A SimClock that also tells when its earliest timer is due. */
export class SteppingClock extends SimClock {
  readonly #due = new Map<number, number>();

  constructor(options: Omit<SimClockOptions, 'speed'> = {}) {
    super({ ...options, speed: 0 });
  }

  override setTimeout(fn: (dueAt: number) => void, ms: number): SimTimer {
    const timer = super.setTimeout((at) => {
      this.#due.delete(timer.id);
      fn(at);
    }, ms);
    this.#due.set(timer.id, this.now() + Math.max(0, ms));
    return timer;
  }

  override setTimeoutAt(fn: (dueAt: number) => void, at: number): SimTimer {
    const timer = super.setTimeoutAt((due) => {
      this.#due.delete(timer.id);
      fn(due);
    }, at);
    this.#due.set(timer.id, Math.max(at, this.now()));
    return timer;
  }

  override setInterval(fn: (dueAt: number) => void, ms: number): SimTimer {
    const timer = super.setInterval((at) => {
      this.#due.set(timer.id, at + ms);
      fn(at);
    }, ms);
    this.#due.set(timer.id, this.now() + ms);
    return timer;
  }

  override clearTimeout(timer: SimTimer | null | undefined): void {
    if (timer) this.#due.delete(timer.id);
    super.clearTimeout(timer);
  }

  /** Simulated time of the earliest pending timer, or undefined when none is pending. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const due of this.#due.values()) if (min === undefined || due < min) min = due;
    return min;
  }
}

/** Macrotasks without I/O after which the client and the in-process port are taken as idle. */
const QUIET_ROUNDS = 12;
/** Longest real wait for bytes in flight through a socket or a PTY (lost ones never arrive). */
const MAX_FLIGHT_MS = 500;

/** A simulator on a stepping clock with its dongle attached in-process. */
export class SimDriver {
  readonly clock: SteppingClock;
  readonly sim: Simulator;
  readonly attachment: InProcessAttachment;
  #activity = 0;
  #fromSim = 0;
  #toSim = 0;
  #busy: (() => boolean)[] = [];

  constructor(options: Omit<SimulatorOptions, 'clock' | 'speed'>) {
    this.clock = new SteppingClock(options.start === undefined ? {} : { start: options.start });
    this.sim = new Simulator({ ...options, clock: this.clock });
    this.sim.onOutput((bytes) => {
      this.#activity++;
      this.#fromSim += bytes.length;
    });
    const write = this.sim.write.bind(this.sim);
    this.sim.write = (bytes: Uint8Array) => {
      this.#activity++;
      this.#toSim += bytes.length;
      write(bytes);
    };
    this.attachment = attachInProcess(this.sim);
  }

  /** The `device` option of a MeterClient: a fresh host-side stream per open (fails while unplugged). */
  readonly device = () => this.attachment.open();

  /**
   * Follows a transport that reaches the simulator through the operating system (TCP bridge,
   * PTY): while it connects, or bytes are on their way in either direction, simulated time
   * stands still.
   */
  watch<T extends Transport>(transport: T): T {
    let received = 0;
    let sent = 0;
    let opening = 0;
    let inBase = 0;
    let outBase = 0;
    const rebase = () => {
      inBase = this.#fromSim - received;
      outBase = sent - this.#toSim;
    };
    transport.on('data', (chunk) => {
      received += chunk.length;
      this.#activity++;
    });
    transport.on('close', rebase);
    const open = transport.open.bind(transport);
    transport.open = async () => {
      opening++;
      try {
        await open();
        rebase();
      } finally {
        opening--;
        this.#activity++;
      }
    };
    const write = transport.write.bind(transport);
    transport.write = (data: Uint8Array) => {
      sent += data.length;
      this.#activity++;
      return write(data);
    };
    this.#busy.push(
      () => opening > 0 || this.#fromSim - received !== inBase || sent - this.#toSim !== outBase,
    );
    return transport;
  }

  /** Lets everything that can happen without simulated time passing happen. */
  async settle(): Promise<void> {
    let quiet = 0;
    let since = Date.now();
    while (quiet < QUIET_ROUNDS) {
      const before = this.#activity;
      if (this.#busy.some((b) => b()) && Date.now() - since < MAX_FLIGHT_MS) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        quiet = 0;
      } else {
        await new Promise((resolve) => setImmediate(resolve));
        quiet = before === this.#activity ? quiet + 1 : 0;
      }
      if (before !== this.#activity) since = Date.now();
    }
  }

  /**
   * Resolves (or rejects) with `promise`, moving simulated time from timer to timer meanwhile.
   * @throws Error when `limitMs` of simulated time pass first, or nothing is left to wait for.
   */
  async run<T>(promise: Promise<T>, limitMs = 7 * 24 * 3600_000): Promise<T> {
    let done = false;
    promise.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    const limit = this.clock.now() + limitMs;
    for (;;) {
      await this.settle();
      if (done) return promise;
      const next = this.clock.nextDue();
      if (next === undefined) throw new Error('SimDriver.run: nothing left to wait for');
      if (next > limit) throw new Error(`SimDriver.run: still pending after ${limitMs} ms of simulated time`);
      this.clock.advanceTo(next);
    }
  }

  /** Lets `ms` of simulated time pass, everything due on the way included. */
  async idle(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      await this.settle();
      const next = this.clock.nextDue();
      if (next === undefined || next > target) break;
      this.clock.advanceTo(next);
    }
    this.clock.advanceTo(target);
    await this.settle();
  }

  async close(): Promise<void> {
    this.attachment.detach();
    await this.sim.close();
    this.clock.dispose();
  }
}
