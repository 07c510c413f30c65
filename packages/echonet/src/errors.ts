/**
 * The one error class of the echonet package. Every failure carries a stable `code`, optional
 * `context` (never secrets) and the `cause` that led to it.
 */
export type EchonetErrorCode =
  // ECHONET Lite frames (src/frame)
  | 'frame.truncated'
  | 'frame.ehd'
  | 'frame.pdc-overrun'
  | 'frame.trailing-bytes'
  | 'frame.invalid'
  // property codecs
  | 'property.size'
  | 'property.range'
  | 'property.unknown'
  | 'property.not-settable'
  // SK line protocol (src/sk)
  | 'sk.malformed'
  | 'sk.overflow'
  | 'sk.fail'
  | 'sk.timeout'
  | 'sk.unexpected'
  // transport / client
  | 'transport.closed'
  | 'transport.open'
  | 'transport.need-reopen'
  | 'scan.failed'
  | 'join.credentials'
  | 'join.no-answer'
  | 'request.timeout'
  | 'request.aborted'
  | 'request.sna'
  | 'client.closed'
  | 'config.invalid';

export class EchonetError extends Error {
  override readonly name = 'EchonetError';
  readonly code: EchonetErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: EchonetErrorCode,
    message: string,
    options: { context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }

  /** True for failures that a retry (same request, same session) can fix. */
  isRetryable(): boolean {
    return (
      this.code === 'request.timeout' ||
      this.code === 'sk.timeout' ||
      (this.code === 'sk.fail' && this.context.code === 'ER10')
    );
  }
}

export function isEchonetError(e: unknown, code?: EchonetErrorCode): e is EchonetError {
  return e instanceof EchonetError && (code === undefined || e.code === code);
}
