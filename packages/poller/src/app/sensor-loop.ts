/**
 * One sensor, one loop: readings at its own interval (aligned to wall-clock multiples of it, like
 * the meter's cycles), rows to the sink. A failing sensor is logged and retried with growing
 * delays; it never throws out of its loop, so it cannot stop the meter polling or another sensor.
 */
import { exponentialDelay } from '@b-route/core';
import type { Clock } from '@b-route/echonet';
import type { StoreEntry, StoreLogger } from '@b-route/store';
import { nextBoundary } from '../schedule/schedule.js';
import { sleepUntil } from './clock.js';
import { put, type RowSink } from './sink.js';

/** A sensor as the loop sees it. */
export interface SensorSource {
  /** For logs: 'cpu', 'co2', 'bme280'. */
  readonly name: string;
  /** The `sensor` column: host name, device path or bus address. */
  readonly sensor: string;
  /**
   * One reading as a row stamped `at`, or null when there is nothing to store yet (MH-Z19
   * preheating). Opens the device on first use and again after an I/O failure.
   * @throws SensorError (or any error of the device); the loop logs it and backs off.
   */
  read(at: () => number): Promise<StoreEntry | null>;
  /** Releases the device. Idempotent. */
  close(): Promise<void>;
}

export interface SensorLoopOptions {
  readonly source: SensorSource;
  /** Between readings, ms. */
  readonly intervalMs: number;
  readonly sink: RowSink;
  readonly clock: Clock;
  readonly logger: StoreLogger;
  /** Longest wait after repeated failures. Default max(interval, 15 min). */
  readonly maxBackoffMs?: number;
}

export interface SensorLoopStats {
  readings: number;
  failures: number;
}

export class SensorLoop {
  readonly stats: SensorLoopStats = { readings: 0, failures: 0 };
  readonly #o: SensorLoopOptions;
  readonly #maxBackoffMs: number;

  constructor(options: SensorLoopOptions) {
    if (!(options.intervalMs > 0))
      throw new RangeError(`sensor interval must be > 0 ms, got ${options.intervalMs}`);
    this.#o = options;
    this.#maxBackoffMs = Math.max(options.intervalMs, options.maxBackoffMs ?? 15 * 60_000);
  }

  /**
   * Delay before the next attempt after `failures` consecutive failures: the interval, then
   * doubling up to the maximum.
   */
  backoffMs(failures: number): number {
    return exponentialDelay(Math.max(0, failures - 1), this.#o.intervalMs, this.#maxBackoffMs);
  }

  /** Reads until `signal` aborts, then closes the source. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    const { source, clock, logger, intervalMs, sink } = this.#o;
    let failures = 0;
    let next = nextBoundary(intervalMs, clock.now());
    try {
      while (!signal.aborted) {
        try {
          await sleepUntil(clock, next, signal);
        } catch {
          return;
        }
        try {
          const entry = await source.read(() => clock.now());
          if (signal.aborted) return;
          if (entry) {
            put(sink, entry);
            this.stats.readings++;
          }
          if (failures > 0)
            logger.info({ sensor: source.sensor, after: failures }, `${source.name} sensor recovered`);
          failures = 0;
          next = nextBoundary(intervalMs, clock.now());
        } catch (err) {
          if (signal.aborted) return;
          failures++;
          this.stats.failures++;
          const delay = this.backoffMs(failures);
          logger.warn(
            { sensor: source.sensor, err, failures, retryInS: Math.round(delay / 1000) },
            `${source.name} sensor reading failed`,
          );
          next = clock.now() + delay;
        }
      }
    } finally {
      await source
        .close()
        .catch((err: unknown) =>
          logger.warn({ sensor: source.sensor, err }, `closing the ${source.name} sensor failed`),
        );
    }
  }
}
