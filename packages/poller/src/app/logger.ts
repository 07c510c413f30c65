/**
 * Process logging: pino, pretty on a TTY and JSON lines otherwise (journald, files). Secrets are
 * redacted by path as a second line of defence; the echonet client already masks the dongle's
 * echo of SKSETPWD/SKSETRBID before anything reaches a logger.
 */
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Initial level; default 'info'. */
  readonly level?: string;
  /** Where lines go; default process.stderr. */
  readonly stream?: NodeJS.WritableStream;
  /** Pretty (human) output; default: whether `stream` is a TTY. */
  readonly pretty?: boolean;
}

const REDACT = ['password', 'id', 'rbid', '*.password', '*.rbid', 'routeB.password', 'routeB.id', 'url'];

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const isTty = (stream as { isTTY?: boolean }).isTTY === true;
  const usePretty = options.pretty ?? isTty;
  const destination = usePretty
    ? loadPretty()({
        destination: toWritable(stream),
        colorize: isTty,
        translateTime: 'SYS:standard',
        sync: true,
      })
    : toWritable(stream);
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' }, base: undefined },
    destination,
  );
}

/**
 * pino-pretty, loaded only for a terminal: a service logging JSON to journald never pays its
 * memory (it and its dependencies are a few MiB of a process that should stay small on a Pi).
 */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

/**
 * The log's way out, which must never stop the poller: a pipe whose reader went away (`| head`,
 * a crashed log shipper) makes every write fail with EPIPE, and an 'error' event nobody listens
 * to ends the process. From the first error on, lines are dropped; the readings go on.
 */
function toWritable(stream: NodeJS.WritableStream): Writable {
  let lost = false;
  stream.on('error', () => {
    lost = true;
  });
  return new Writable({
    write(chunk, _enc, done) {
      if (!lost) {
        try {
          stream.write(chunk);
        } catch {
          lost = true;
        }
      }
      done();
    },
  });
}

/**
 * SIGUSR1 toggles debug logging (as seed 002's logger did between INFO and DEBUG), so wire
 * traffic can be inspected on a running service without a restart. Returns the uninstaller.
 */
export function installDebugToggle(logger: Logger, proc: NodeJS.Process = process): () => void {
  let previous = logger.level === 'debug' ? 'info' : logger.level;
  const onUsr1 = (): void => {
    if (logger.level === 'debug') {
      logger.level = previous;
    } else {
      previous = logger.level;
      logger.level = 'debug';
    }
    // Not `level`: pino writes its own level key, and a second one makes the line ambiguous.
    logger.info({ logLevel: logger.level }, 'log level changed by SIGUSR1');
  };
  proc.on('SIGUSR1', onUsr1);
  return () => proc.off('SIGUSR1', onUsr1);
}
