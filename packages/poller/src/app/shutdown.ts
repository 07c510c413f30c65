/**
 * Process lifetime: SIGINT, SIGTERM and SIGHUP stop the poller gracefully (session ended with
 * SKTERM, rows flushed to the database or the spool). A hard timer bounds the whole stop (5 s by
 * default, within systemd's default TimeoutStopSec); a second signal exits at once.
 *
 * One key press can deliver a signal more than once: Ctrl-C reaches every process of the
 * terminal's process group (pnpm, tsx, node), and a wrapper may relay it too. A repeat within
 * `repeatWindowMs` of the first is taken as that same request, not as the impatient second one.
 */
import type { PollerLogger } from './poller.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface ShutdownOptions {
  /** The graceful stop; its rejection is logged and makes the exit status 1. */
  readonly stop: (signal: StopSignal) => Promise<void>;
  readonly logger: PollerLogger;
  /** Longest graceful stop, real ms. Default 5000. */
  readonly timeoutMs?: number;
  readonly proc?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Called with the exit status when the stop timed out or a second signal came. Default `process.exit`. */
  readonly forceExit?: (code: number) => void;
  /** Signals this soon after the first are the same request delivered twice. Default 1000 ms. */
  readonly repeatWindowMs?: number;
  /** Real time, for the repeat window. Default `Date.now`. */
  readonly now?: () => number;
}

export interface ShutdownHandle {
  /** Resolves with the exit status once a signal's graceful stop is over (0 when it went well). */
  readonly done: Promise<number>;
  /** Starts the stop as a signal would (e.g. after a fatal error). */
  trigger(reason: StopSignal | 'error'): void;
  /** Removes the signal handlers. */
  uninstall(): void;
}

export function installShutdown(options: ShutdownOptions): ShutdownHandle {
  const proc = options.proc ?? process;
  const forceExit = options.forceExit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { logger } = options;
  const repeatWindowMs = options.repeatWindowMs ?? 1_000;
  const now = options.now ?? Date.now;
  let stoppingSince: number | undefined;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  const trigger = (reason: StopSignal | 'error'): void => {
    if (stoppingSince !== undefined) {
      if (now() - stoppingSince < repeatWindowMs) return;
      logger.warn({ signal: reason }, 'second stop request: exiting now');
      forceExit(1);
      return;
    }
    stoppingSince = now();
    logger.info({ signal: reason }, 'stopping');
    const hard = setTimeout(() => {
      logger.error({ timeoutMs }, 'graceful stop took too long: exiting');
      forceExit(1);
    }, timeoutMs);
    hard.unref?.();
    options.stop(reason === 'error' ? 'SIGTERM' : reason).then(
      () => {
        clearTimeout(hard);
        logger.info({}, 'stopped');
        resolveDone(reason === 'error' ? 1 : 0);
      },
      (err: unknown) => {
        clearTimeout(hard);
        logger.error({ err }, 'stopped with an error');
        resolveDone(1);
      },
    );
  };

  const handlers = STOP_SIGNALS.map((signal) => [signal, () => trigger(signal)] as const);
  for (const [signal, handler] of handlers) proc.on(signal, handler);
  return {
    done,
    trigger,
    uninstall: () => {
      for (const [signal, handler] of handlers) proc.off(signal, handler);
    },
  };
}
