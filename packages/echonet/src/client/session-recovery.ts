import { Backoff, type BackoffOptions } from '@b-route/core';
import { EchonetError, isEchonetError } from '../errors.js';
import type { RecoveryInfo } from './client-events.js';
import { type Clock, sleep } from './clock.js';
import type { Logger } from './logger.js';
import type { SessionInput } from './session-machine.js';

/** What the recovery loop drives. */
export interface RecoveryHost {
  /** Aborted by `close()`: the loop ends at its next step. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly log: Logger;
  readonly backoff: BackoffOptions;
  /** A quick rejoin is possible: the port is open and a PAN is known. */
  canRejoin(): boolean;
  /** SKJOIN on the open port; true when EVENT 25 came. */
  rejoin(): Promise<boolean>;
  /** Reopen the port, SKRESET, credentials, cached PAN, scan; resolves once joined. */
  reinitialise(): Promise<void>;
  /** Tells the state machine an attempt starts (`recover`) or failed (`failed`). */
  step(input: 'recover' | 'failed'): void;
  report(info: RecoveryInfo): void;
}

/**
 * Brings a lost session back: first a quick rejoin on the open port (unless the port itself was
 * lost), then full re-initialisations with capped exponential backoff, for as long as it takes
 * or until the signal aborts. Never rejects.
 */
export async function runRecovery(host: RecoveryHost, cause: SessionInput): Promise<void> {
  const { signal } = host;
  const reason = cause.type;
  const why = cause.type === 'event' ? { reason, event: cause.num } : { reason };
  const backoff = new Backoff(host.backoff);
  let error: EchonetError | undefined;
  try {
    if (reason !== 'transport-lost' && host.canRejoin()) {
      host.report({ attempt: 0, delayMs: 0, ...why });
      try {
        if (await host.rejoin()) return;
      } catch (err) {
        if (signal.aborted) return;
        error = asEchonetError(err);
      }
      host.step('failed');
    } else if (reason === 'transport-lost') {
      error = new EchonetError('transport.need-reopen', 'the port was lost; reopening it');
    }
    for (;;) {
      const delayMs = backoff.next();
      host.report({ attempt: backoff.attempt, delayMs, ...why, ...(error ? { error } : {}) });
      host.log.warn({ attempt: backoff.attempt, delayMs, err: error }, 'recovering the session');
      await sleep(host.clock, delayMs, signal);
      host.step('recover');
      try {
        await host.reinitialise();
        return;
      } catch (err) {
        if (signal.aborted) return;
        error = asEchonetError(err);
        host.step('failed');
      }
    }
  } catch (err) {
    if (!signal.aborted) host.log.error({ err }, 'recovery stopped');
  }
}

function asEchonetError(err: unknown): EchonetError {
  if (isEchonetError(err)) return err;
  return new EchonetError('sk.unexpected', err instanceof Error ? err.message : String(err), { cause: err });
}
