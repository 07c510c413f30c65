/**
 * The one error class of the store. `context` never holds a password or a full connection URL:
 * it names the server as `host:port/database` at most.
 */
export type StoreErrorCode =
  /** The server cannot be reached or dropped the connection (the writer spools on this one). */
  | 'store.unreachable'
  /** The server answered but refused to log in (wrong user or password, unknown database). */
  | 'store.auth'
  /** A migration file is malformed or failed to apply. */
  | 'store.migration'
  /** The embedded PostgreSQL could not be initialised, started or stopped. */
  | 'store.embedded'
  /** The on-disk spool could not be read or written. */
  | 'store.spool'
  /** A connection URL or option is invalid. */
  | 'store.config';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: StoreErrorCode,
    message: string,
    options: { context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }

  /** True when waiting and trying again can succeed (the server is down or restarting). */
  isRetryable(): boolean {
    return this.code === 'store.unreachable';
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
