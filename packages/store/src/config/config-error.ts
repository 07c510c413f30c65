/**
 * The one error class of the configuration. Messages name the place (`[section] key`, or the
 * environment variable) and what is allowed; they never contain a secret's value.
 */
export type ConfigErrorCode =
  /** A line that is not a section, `key = value`, comment or blank. */
  | 'config.syntax'
  | 'config.unknown-section'
  | 'config.unknown-key'
  /** A value outside what the key allows. */
  | 'config.invalid'
  /** A value the command needs is not set anywhere. */
  | 'config.missing'
  /** The file cannot be read. */
  | 'config.read';

export interface ConfigErrorContext {
  readonly path?: string;
  readonly line?: number;
  readonly section?: string;
  readonly key?: string;
  readonly env?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly context: ConfigErrorContext;

  constructor(
    code: ConfigErrorCode,
    message: string,
    options: { context?: ConfigErrorContext; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }
}

export function isConfigError(e: unknown, code?: ConfigErrorCode): e is ConfigError {
  return e instanceof ConfigError && (code === undefined || e.code === code);
}
