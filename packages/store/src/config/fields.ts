/**
 * Value types of the configuration keys: each parses a non-empty string or says it is not
 * allowed. `allowed` completes "must be …" in error messages and documents the sample file.
 */
import { isAbsolute, resolve } from 'node:path';

export interface FieldContext {
  /** Relative paths are taken from here (the config file's directory, else the cwd). */
  readonly baseDir: string;
}

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly detail?: string };

export interface Field<T> {
  readonly default: T;
  /** Completes "must be …": `an integer number of seconds ≥ 10`. */
  readonly allowed: string;
  /** Never echo the value (B-route ID and password). */
  readonly secret?: boolean;
  /** How the value appears in a message, when not as typed (a URL with its password masked). */
  readonly show?: (raw: string) => string;
  parse(raw: string, ctx: FieldContext): Parsed<T>;
  /** The default as it applies in `ctx` (a relative default path resolved); else `default`. */
  resolveDefault?(ctx: FieldContext): T;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const no = (detail?: string): Parsed<never> => (detail === undefined ? { ok: false } : { ok: false, detail });

/** An integer in [min, max]. */
export function integer(def: number, min: number, max: number, allowed?: string): Field<number> {
  return {
    default: def,
    allowed: allowed ?? `an integer from ${min} to ${max}`,
    parse(raw) {
      if (!/^[+-]?\d+$/.test(raw)) return no();
      const n = Number(raw);
      return n >= min && n <= max ? ok(n) : no();
    },
  };
}

/** One of a fixed list of numbers (sensor register settings, baud rates). */
export function numberChoice<T extends number>(def: T, values: readonly T[], allowed?: string): Field<T> {
  return {
    default: def,
    allowed: allowed ?? `one of ${values.join(', ')}`,
    parse(raw) {
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw)) return no();
      const n = Number(raw);
      return values.includes(n as T) ? ok(n as T) : no();
    },
  };
}

/** One of a fixed list of words, matched without regard to case. */
export function choice<T extends string>(def: T, values: readonly T[]): Field<T> {
  return {
    default: def,
    allowed: `one of ${values.join(', ')}`,
    parse(raw) {
      const v = raw.toLowerCase() as T;
      return values.includes(v) ? ok(v) : no();
    },
  };
}

const TRUE = new Set(['on', 'true', 'yes', '1']);
const FALSE = new Set(['off', 'false', 'no', '0']);

/** on/off (also true/false, yes/no, 1/0). */
export function bool(def: boolean): Field<boolean> {
  return {
    default: def,
    allowed: 'on or off',
    parse(raw) {
      const v = raw.toLowerCase();
      if (TRUE.has(v)) return ok(true);
      if (FALSE.has(v)) return ok(false);
      return no();
    },
  };
}

/** Free text, optionally checked. */
export function text<T extends string | undefined>(
  def: T,
  allowed: string,
  check: (raw: string) => Parsed<string> = ok,
  secret = false,
  show?: (raw: string) => string,
): Field<string | T> {
  return { default: def, allowed, secret, ...(show ? { show } : {}), parse: (raw) => check(raw) };
}

/** A file system path; a relative one is taken from the config file's directory. */
export function path<T extends string | undefined>(
  def: T,
  allowed = 'a file system path',
): Field<string | T> {
  return {
    default: def,
    allowed,
    parse: (raw, ctx) => ok(isAbsolute(raw) ? raw : resolve(ctx.baseDir, raw)),
    resolveDefault: (ctx) => (def === undefined || isAbsolute(def) ? def : (resolve(ctx.baseDir, def) as T)),
  };
}

/** A serial device path, or tcp://host:port for a dongle behind a network serial bridge. */
export function deviceCheck(raw: string): Parsed<string> {
  if (!raw.toLowerCase().startsWith('tcp://')) return raw.includes(' ') ? no() : ok(raw);
  const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/i.exec(raw);
  const port = m ? Number(m[2]) : 0;
  return m && port >= 1 && port <= 65535 ? ok(raw) : no();
}

/** Exactly `length` characters from `pattern` (a one-character class); the value is not echoed. */
export function fixedLength(
  length: number,
  pattern: RegExp,
  describe: string,
): (raw: string) => Parsed<string> {
  return (raw) => {
    if (raw.length !== length) return no(`got ${raw.length} characters`);
    for (const c of raw) if (!pattern.test(c)) return no(`it contains a character that is not ${describe}`);
    return ok(raw);
  };
}

/** An I2C address: 0x76 or 0x77 (also written 118/119 or 76/77). */
export function i2cAddress(def: number, values: readonly number[]): Field<number> {
  return {
    default: def,
    allowed: values.map((v) => `0x${v.toString(16)}`).join(' or '),
    parse(raw) {
      let n = Number.NaN;
      if (/^0x[0-9a-f]+$/i.test(raw)) n = Number.parseInt(raw.slice(2), 16);
      else if (/^\d+$/.test(raw)) n = values.includes(Number(raw)) ? Number(raw) : Number.parseInt(raw, 16);
      return values.includes(n) ? ok(n) : no();
    },
  };
}
