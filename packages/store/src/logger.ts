/**
 * The part of a logger the store uses: pino's call shape (`logger.warn({ err }, 'message')`), so
 * the application passes its pino logger (or a child of it) and the store needs no logging library.
 */
export interface StoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const drop = (): void => {};

/** A logger that drops everything, the default when none is given. */
export const silentLogger: StoreLogger = { debug: drop, info: drop, warn: drop, error: drop };
