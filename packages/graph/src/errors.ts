/**
 * The one error class of the graph package. Every failure the `power` / `temp` commands can meet
 * has a stable `code`; the CLI turns any of them into a one-line message and exit status 1.
 */
export type GraphErrorCode =
  | 'args.invalid'
  | 'config.invalid'
  | 'range.invalid'
  | 'range.empty'
  | 'db.unreachable'
  | 'db.query'
  | 'output.unwritable'
  | 'font.missing'
  | 'render.failed';

export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly code: GraphErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: GraphErrorCode,
    message: string,
    options: { context?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }
}

export function isGraphError(e: unknown, code?: GraphErrorCode): e is GraphError {
  return e instanceof GraphError && (code === undefined || e.code === code);
}
