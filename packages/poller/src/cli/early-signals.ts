/**
 * Signals before the poller is up. Importing this module (first thing in `main.ts`) installs:
 *
 * - SIGUSR1: a listener, so Node does not take the signal as "open the inspector on
 *   127.0.0.1:9229" (its default), through which any local user could read the route-B password
 *   from the running process. The debug toggle (`installDebugToggle`) adds its own later.
 * - SIGINT, SIGTERM, SIGHUP: until the poller's graceful stop is installed, a stop ends the
 *   start-up at once, with a line on stderr, after ending the PostgreSQL tools it runs and
 *   removing what it was creating (an initdb's scratch cluster, its password file, the lock).
 *   Node's default would exit silently and leave them.
 */
import { cleanUpNow } from '@b-route/store';

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

function installEarlySignals(
  proc: NodeJS.Process = process,
  stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  proc.on('SIGUSR1', () => undefined);
  for (const [signal, number] of Object.entries(SIGNAL_NUMBERS)) {
    proc.on(signal, () => {
      // Once the poller's own handler is there, the stop is its to make.
      if (proc.listenerCount(signal) > 1) return;
      const removed = cleanUpNow();
      stderr(
        `start: ${signal} during start-up: stopped` +
          (removed.length > 0 ? ` (removed ${removed.join(', ')})` : ''),
      );
      proc.exit(128 + number);
    });
  }
}

installEarlySignals();
