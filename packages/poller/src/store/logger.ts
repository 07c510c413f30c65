import { type Logger, pino } from 'pino';

/** The part of a pino logger the store uses; pass the application's logger (or a child of it). */
export type StoreLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** A logger that drops everything, the default when none is given. */
export const silentLogger: StoreLogger = pino({ level: 'silent' });
