/**
 * Ctrl-C for the long-running scripts: the first SIGINT/SIGTERM asks for a clean stop, a
 * second one quits at once. One key press reaches every process of the terminal's group (pnpm,
 * tsx, node) and tsx relays it as well, so a repeat within `repeatWindowMs` is that same press.
 */
import type { EventEmitter } from 'node:events';

export interface StopSignalOptions {
  /** Default process. */
  readonly proc?: Pick<EventEmitter, 'on' | 'off'>;
  /** Default 1000 ms. */
  readonly repeatWindowMs?: number;
  /** Default Date.now. */
  readonly now?: () => number;
  /** Called for the second request. Default `process.exit(130)`. */
  readonly quit?: () => void;
}

/** Calls `stop` on the first stop signal; returns the uninstaller. */
export function onStopSignal(stop: () => void, options: StopSignalOptions = {}): () => void {
  const proc = options.proc ?? process;
  const now = options.now ?? Date.now;
  const window = options.repeatWindowMs ?? 1000;
  const quit = options.quit ?? (() => process.exit(130));
  let first: number | undefined;
  const handler = (): void => {
    if (first === undefined) {
      first = now();
      stop();
    } else if (now() - first >= window) {
      quit();
    }
  };
  proc.on('SIGINT', handler);
  proc.on('SIGTERM', handler);
  return () => {
    proc.off('SIGINT', handler);
    proc.off('SIGTERM', handler);
  };
}
