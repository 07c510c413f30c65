/**
 * Capped exponential backoff with seeded jitter, for the full re-initialisation loop (reopen
 * the port, SKRESET, join). Jitter spreads the retries of many pollers that lost the same
 * meter at once; the seed makes a test run repeatable.
 */

import { seededRandom } from './prng.js';

export interface BackoffOptions {
  /** Delay before the first retry, ms. Default 2 000. */
  initialMs?: number;
  /** Upper bound of any delay, ms. Default 300 000 (5 minutes). */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of the delay drawn at random, ± (0 – 1). Default 0.2. */
  jitter?: number;
  /** Seed of the jitter; the same seed gives the same delays. Default 1. */
  seed?: number;
}

/** `initialMs × factor^attempt`, never above `maxMs`: the un-jittered delay of retry `attempt` (from 0). */
export function exponentialDelay(attempt: number, initialMs: number, maxMs: number, factor = 2): number {
  return Math.min(maxMs, initialMs * factor ** attempt);
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = Math.max(0, options.initialMs ?? 2_000);
    this.#maxMs = Math.max(this.#initialMs, options.maxMs ?? 300_000);
    this.#factor = Math.max(1, options.factor ?? 2);
    this.#jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
    this.#random = seededRandom(options.seed ?? 1);
  }

  /** Retries handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next retry: initial × factor^attempt, jittered, never above max. */
  next(): number {
    const base = exponentialDelay(this.#attempt, this.#initialMs, this.#maxMs, this.#factor);
    this.#attempt++;
    const spread = base * this.#jitter * (2 * this.#random() - 1);
    return Math.round(Math.min(this.#maxMs, Math.max(0, base + spread)));
  }

  /** Back to the first delay (after a success). */
  reset(): void {
    this.#attempt = 0;
  }
}
