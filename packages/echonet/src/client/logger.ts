/**
 * The logger the client writes to: the pino interface (`debug/info/warn/error(obj, msg)`), so a
 * pino logger can be passed as is. Everything the client logs goes through {@link maskSecrets}.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  /** pino: lets the client skip building wire-traffic messages nobody reads. */
  isLevelEnabled?(level: string): boolean;
  /** pino: a logger that adds `bindings` to every line. */
  child?(bindings: Record<string, unknown>): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
};

export const SECRET_TEXT_MASK = '********';

/**
 * A logger that replaces every occurrence of the given secrets (case-insensitive) in messages
 * and in every string, error and nested value of the logged object, then hands the result to
 * `logger` under the namespace `ns` (pino child binding `ns`). The B-route ID, its last 8
 * characters (the pairing ID the meter sends back in EPANDESC) and the password go in here, so
 * no code path can log them, whatever a dongle echoes or an error message quotes.
 */
export function maskSecrets(logger: Logger, secrets: readonly string[], ns?: string): Logger {
  const target = ns !== undefined && logger.child ? logger.child({ ns }) : logger;
  const words = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  const pattern = words.length === 0 ? null : new RegExp(words.map(escapeRegExp).join('|'), 'gi');
  const text = (s: string) => (pattern === null ? s : s.replace(pattern, SECRET_TEXT_MASK));
  const masked: Logger = {
    debug: (obj, msg) => target.debug(scrub(obj, text, 0) as object, msg === undefined ? msg : text(msg)),
    info: (obj, msg) => target.info(scrub(obj, text, 0) as object, msg === undefined ? msg : text(msg)),
    warn: (obj, msg) => target.warn(scrub(obj, text, 0) as object, msg === undefined ? msg : text(msg)),
    error: (obj, msg) => target.error(scrub(obj, text, 0) as object, msg === undefined ? msg : text(msg)),
    isLevelEnabled: (level) => target.isLevelEnabled?.(level) ?? true,
    child: (bindings) => maskSecrets(target.child ? target.child(bindings) : target, secrets),
  };
  return masked;
}

/** True when `level` would be written (loggers without `isLevelEnabled` write everything). */
export function levelEnabled(logger: Logger, level: LogLevel): boolean {
  return LEVELS.includes(level) && (logger.isLevelEnabled?.(level) ?? true);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A copy of `value` with secrets masked in every string; errors become plain objects. */
function scrub(value: unknown, text: (s: string) => string, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 6) return '[nested]';
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value;
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; context?: unknown };
    const out: Record<string, unknown> = { type: e.name, message: text(e.message) };
    if (e.code !== undefined) out.code = e.code;
    if (e.context !== undefined) out.context = scrub(e.context, text, depth + 1);
    if (e.stack !== undefined) out.stack = text(e.stack);
    if (e.cause !== undefined) out.cause = scrub(e.cause, text, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, text, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, text, depth + 1);
  return out;
}
