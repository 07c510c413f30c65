/**
 * Runs one output: records offered from the poll loop go into the output's own outbox at once
 * (never awaited), and a delivery loop sends them in batches, retrying with capped backoff while
 * the target is away. An outage is logged once when it starts and once when it ends, with what
 * was held back; nothing it does can delay polling, the database path or another output.
 */
import { exponentialDelay } from '@b-route/core';
import type { PollerLogger } from '../app/poller.js';
import type { Outbox } from './outbox.js';
import type { OutputRecord } from './output-record.js';

/** What an output does with records; the runner handles queueing, retries and counting. */
export interface OutputTarget {
  /** e.g. 'mqtt', 'file:readings.csv'; used in logs and metrics. */
  readonly name: string;
  /** Records this target takes (default all). Filtered before queueing. */
  accepts?(record: OutputRecord): boolean;
  /** Sends a batch; resolves only when the target has it. Rejects to be retried. */
  deliver(batch: readonly OutputRecord[]): Promise<void>;
  /** Whether delivery could succeed now; false skips an attempt (default true). */
  ready?(): boolean;
  /** Registers the runner's wake-up, called when the target (re)connects. */
  onReady?(wake: () => void): void;
  close?(): Promise<void>;
}

export interface OutputStats {
  readonly name: string;
  /** Records queued for this output. */
  offered: number;
  delivered: number;
  /** Failed delivery attempts (of a batch). */
  failures: number;
  /** Records given up because the queue was full. */
  dropped: number;
  /** Records waiting now. */
  pending: number;
  /** Whether the last attempt failed. */
  down: boolean;
}

export interface OutputRunnerOptions {
  readonly target: OutputTarget;
  readonly outbox: Outbox;
  readonly logger: PollerLogger;
  /** Records per delivery. Default 100. */
  readonly batchSize?: number;
  /** First retry wait; doubles up to `retryMaxMs`. Default 1 000 ms. */
  readonly retryMs?: number;
  /** Default 60 000 ms. */
  readonly retryMaxMs?: number;
  /** A delivery taking longer than this counts as failed. Default 30 000 ms. */
  readonly deliverTimeoutMs?: number;
}

export class OutputRunner {
  readonly target: OutputTarget;
  readonly #box: Outbox;
  readonly #o: OutputRunnerOptions;
  readonly #log: PollerLogger;
  #offered = 0;
  #delivered = 0;
  #failures = 0;
  #down = false;
  #heldAtOutage = 0;
  #attempt = 0;
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #stopped = false;

  constructor(options: OutputRunnerOptions) {
    this.target = options.target;
    this.#box = options.outbox;
    this.#o = options;
    this.#log = options.logger;
    this.target.onReady?.(() => this.kick());
  }

  get stats(): OutputStats {
    return {
      name: this.target.name,
      offered: this.#offered,
      delivered: this.#delivered,
      failures: this.#failures,
      dropped: this.#box.dropped,
      pending: this.#box.size,
      down: this.#down,
    };
  }

  /** Queues a record; returns at once and never throws. */
  offer(record: OutputRecord): void {
    try {
      if (this.target.accepts && !this.target.accepts(record)) return;
      this.#offered++;
      this.#box.push(record);
      this.kick();
    } catch (err) {
      this.#log.error({ err, output: this.target.name }, 'output cannot queue a record');
    }
  }

  /** Starts a delivery pass now (also ends a backoff wait early: a target that reconnected). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      if (this.#wake) this.#wake();
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  async #loop(): Promise<void> {
    const batchSize = this.#o.batchSize ?? 100;
    while (!this.#stopped && this.#box.size > 0) {
      const batch = this.#box.peek(batchSize);
      try {
        if (this.target.ready && !this.target.ready()) throw new Error('not connected');
        await withTimeout(this.target.deliver(batch), this.#o.deliverTimeoutMs ?? 30_000);
        this.#box.ack(batch.length);
        this.#delivered += batch.length;
        this.#attempt = 0;
        if (this.#down) {
          this.#down = false;
          this.#log.info(
            { output: this.target.name, heldBack: this.#heldAtOutage, pending: this.#box.size },
            'output back: delivering what was held',
          );
        }
      } catch (err) {
        this.#failures++;
        if (!this.#down) {
          this.#down = true;
          this.#heldAtOutage = this.#box.size;
          this.#log.warn(
            { err, output: this.target.name, pending: this.#box.size },
            'output unavailable: queueing',
          );
        }
        const delay = exponentialDelay(
          this.#attempt++,
          this.#o.retryMs ?? 1_000,
          this.#o.retryMaxMs ?? 60_000,
        );
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#timer = setTimeout(resolve, delay);
          this.#timer.unref?.();
        });
        this.#wake = undefined;
        clearTimeout(this.#timer);
      }
    }
  }

  /**
   * Tries for up to `drainMs` to deliver what waits, then stops and closes the target. What is
   * left stays in the outbox (on disk when it has a directory) for the next run.
   */
  async stop(drainMs = 2_000): Promise<void> {
    this.#attempt = 0;
    if (this.#box.size > 0 && !this.#down) {
      this.kick();
      const running = this.#running;
      if (running) await Promise.race([running, delay(drainMs)]);
    }
    this.#stopped = true;
    if (this.#wake) this.#wake();
    // A delivery hung on a dead peer is not waited for beyond the drain time.
    if (this.#running) await Promise.race([this.#running, delay(drainMs)]);
    await this.#box.settled();
    try {
      await this.target.close?.();
    } catch (err) {
      this.#log.warn({ err, output: this.target.name }, 'output did not close cleanly');
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`delivery took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
