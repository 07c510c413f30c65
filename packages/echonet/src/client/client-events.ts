import type { EchonetError } from '../errors.js';
import type { PanCache } from './pan-cache.js';
import type { SessionInput, SessionState } from './session-machine.js';
import type { ScanProgress } from './session-opener.js';

/** One attempt of the recovery loop, as the `recovery` event reports it. */
export interface RecoveryInfo {
  /** 0 for the quick rejoin on the open port, then 1, 2 … for full re-initialisations. */
  readonly attempt: number;
  /** Wait before this attempt, ms. */
  readonly delayMs: number;
  /** What ended the session: an EVENT (24/26/27/28), `silence`, `transport-lost`, `reauth-timeout`. */
  readonly reason: SessionInput['type'];
  /** The EVENT number when `reason` is `event`. */
  readonly event?: number;
  /** What made the previous attempt fail (`transport.need-reopen` after a lost port). */
  readonly error?: EchonetError;
}

/** The events of a MeterClient and their arguments. */
export interface MeterClientEvents {
  state: [state: SessionState, previous: SessionState];
  scan: [progress: ScanProgress];
  joined: [pan: PanCache];
  recovery: [info: RecoveryInfo];
}

/** Counters of a MeterClient since it was created. */
export interface MeterClientStats {
  /** ECHONET Lite frames handed to the dongle (requests, resends, INFC_Res). */
  framesSent: number;
  /** ECHONET Lite frames received from the meter. */
  framesReceived: number;
  /** Times the session was lost and recovery started. */
  recoveries: number;
  /** ECHONET Lite frames dropped because their sender was not the joined meter. */
  foreignFrames: number;
}

type Events<E> = { [K in keyof E]: unknown[] };
export type ClientListener<E extends Events<E>, K extends keyof E> = (...args: E[K]) => void;

/**
 * Typed listeners. A listener that throws is reported to `onError` and does not stop the
 * others, nor the client that emits.
 */
export class TypedEvents<E extends Events<E>> {
  readonly #listeners = new Map<keyof E, Set<unknown>>();
  readonly #onError: (err: unknown, event: keyof E) => void;

  constructor(onError: (err: unknown, event: keyof E) => void) {
    this.#onError = onError;
  }

  on<K extends keyof E>(event: K, listener: ClientListener<E, K>): void {
    const set = this.#listeners.get(event) ?? new Set();
    this.#listeners.set(event, set.add(listener));
  }

  off<K extends keyof E>(event: K, listener: ClientListener<E, K>): void {
    this.#listeners.get(event)?.delete(listener);
  }

  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const l of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (l as ClientListener<E, K>)(...args);
      } catch (err) {
        this.#onError(err, event);
      }
    }
  }

  /** Number of listeners of `event`. */
  count(event: keyof E): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
