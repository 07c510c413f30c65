/**
 * Process logging: pino, pretty on a TTY and JSON lines otherwise (journald, files). Secrets are
 * redacted by path as a second line of defence; the echonet client already masks the dongle's
 * echo of SKSETPWD/SKSETRBID before anything reaches a logger.
 */
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

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
    ? pretty({ destination: toWritable(stream), colorize: isTty, translateTime: 'SYS:standard', sync: true })
    : toWritable(stream);
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' }, base: undefined },
    destination,
  );
}

function toWritable(stream: NodeJS.WritableStream): Writable {
  if (stream instanceof Writable) return stream;
  return new Writable({
    write(chunk, _enc, done) {
      stream.write(chunk);
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
    logger.info({ level: logger.level }, 'log level changed by SIGUSR1');
  };
  proc.on('SIGUSR1', onUsr1);
  return () => proc.off('SIGUSR1', onUsr1);
}
