/**
 * power_consumption.ini → a typed, validated configuration. Environment variables B_ROUTE_ID,
 * B_ROUTE_PASSWORD and DATABASE_URL override the file (so secrets can stay out of it). Relative
 * paths are taken from the config file's directory. Nothing is printed: problems are thrown as
 * ConfigError, advice is returned in `warnings`.
 */
import { stat as fsStat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DongleModel } from '@b-route/echonet';
import { ConfigError, type ConfigErrorContext } from './config-error.js';
import { CONFIG_SPEC, type ConfigSection, ENV_OVERRIDES, SCHEDULE_WARN_BELOW_S } from './config-spec.js';
import type { Field, FieldContext } from './fields.js';
import { type IniDocument, parseIni } from './ini.js';
import { readTextFile } from './read-text-file.js';

/** Where the CLI looks when no path is given. */
export const DEFAULT_CONFIG_PATH = 'power_consumption.ini';

export interface PollerConfig {
  routeB: {
    /** Serial device path, or tcp://host:port. Default /dev/ttyUSB0. */
    device: string;
    /** B-route ID (32 characters); undefined when neither the file nor B_ROUTE_ID sets it. */
    id: string | undefined;
    /** B-route password (12 characters); undefined when neither the file nor B_ROUTE_PASSWORD sets it. */
    password: string | undefined;
    /** Dongle model, or 'auto' to detect it. Default 'auto'. */
    dongle: 'auto' | DongleModel;
    /** Default 115200. */
    baud: number;
    /** Seconds to wait for a reply before retrying. Default 10. */
    timeoutS: number;
    /** Retries of one request. Default 3. */
    retries: number;
    /** Absolute path of the PAN cache file. Default <dataDir>/pan-cache.json. */
    panCache: string;
  };
  database: {
    /** Connection URL; undefined = the embedded PostgreSQL (DATABASE_URL overrides). */
    url: string | undefined;
    /** Absolute path; the embedded cluster lives in <dataDir>/postgres, the spool in <dataDir>/spool. */
    dataDir: string;
    /** Port of the embedded PostgreSQL on 127.0.0.1. Default 54329. */
    embeddedPort: number;
    /** Bound of the on-disk spool in MiB. Default 64. */
    spoolMaxMb: number;
  };
  schedule: {
    /** Seconds between reads of E7 + E8. Default 30, at least 10. */
    instantaneous: number;
    /** Seconds between reads of E0 + E3. Default 300. */
    cumulative: number;
    /** Seconds between reads of D3, D7, E1. Default 3600. */
    meta: number;
    /** Fill missing 30-minute slots from the meter's history (E2/E4). Default true. */
    historyBackfill: boolean;
  };
  co2: {
    /** Default false. */
    enabled: boolean;
    /** MH-Z19 serial device. Default /dev/serial0. */
    device: string;
    /** Preheat seconds after power-on during which readings are skipped. Default 180. */
    warmupS: number;
    /** Automatic baseline correction. Default true (the sensor's factory setting). */
    abc: boolean;
    /** Default 60. */
    intervalS: number;
  };
  bme280: {
    /** Default false. */
    enabled: boolean;
    /** I2C bus number (/dev/i2c-N). Default 1. */
    bus: number;
    /** 0x76 (SDO to GND, default) or 0x77. */
    address: number;
    /** Oversampling of temperature, pressure, humidity; 0 skips. Default 1 each. */
    osrsT: 0 | 1 | 2 | 4 | 8 | 16;
    osrsP: 0 | 1 | 2 | 4 | 8 | 16;
    osrsH: 0 | 1 | 2 | 4 | 8 | 16;
    /** IIR filter coefficient, 0 = off. Default 0. */
    filter: 0 | 2 | 4 | 8 | 16;
    /** Normal-mode standby. Default 0.5. */
    standbyMs: 0.5 | 10 | 20 | 62.5 | 125 | 250 | 500 | 1000;
    /** Default 60. */
    intervalS: number;
  };
  cpu: {
    /** Record the CPU temperature. Default false. */
    enabled: boolean;
    /** Default 60. */
    intervalS: number;
  };
  log: {
    /** Default 'info'. */
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  };
}

// PollerConfig is written out for its documentation; this fails to compile if it and
// CONFIG_SPEC ever name different keys.
type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type SpecKeys = { [S in ConfigSection]: Camel<keyof (typeof CONFIG_SPEC)[S] & string> };
type ConfigKeys = { [S in keyof PollerConfig]: keyof PollerConfig[S] };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const specMatchesConfig: Same<SpecKeys, ConfigKeys> = true;
void specMatchesConfig;

export interface LoadConfigOptions {
  /** The file to read; undefined = no file (defaults and environment only). */
  readonly path?: string;
  /** Usually process.env; only B_ROUTE_ID, B_ROUTE_PASSWORD and DATABASE_URL are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => Promise<string>;
  readonly statFile?: (path: string) => Promise<{ readonly mode: number }>;
  /** Base of relative paths when there is no file; default process.cwd(). */
  readonly cwd?: string;
}

export interface LoadedConfig {
  readonly config: PollerConfig;
  /** Advice for the operator (fast schedule, secrets in a file others can read). */
  readonly warnings: readonly string[];
  /** Absolute path of the file read, if any. */
  readonly path?: string;
}

/**
 * Reads and validates the configuration.
 * @throws ConfigError 'config.read' (file unreadable), 'config.syntax', 'config.unknown-section',
 *   'config.unknown-key', 'config.invalid' — the message names `[section] key` (or the
 *   environment variable), and what is allowed.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  if (options.path === undefined) {
    return configFromIni('', { env: options.env, baseDir: options.cwd ?? process.cwd() });
  }
  const path = resolve(options.cwd ?? process.cwd(), options.path);
  let text: string;
  try {
    text = await (options.readFile ?? readTextFile)(path);
  } catch (e) {
    throw new ConfigError('config.read', `cannot read ${path}: ${(e as Error).message}`, {
      context: { path },
      cause: e,
    });
  }
  const loaded = configFromIni(text, { env: options.env, baseDir: dirname(path), source: path });
  const warnings = [...loaded.warnings];
  if (loaded.secretsInFile) {
    const { mode } = await (options.statFile ?? fsStat)(path);
    if ((mode & 0o077) !== 0) {
      warnings.push(
        `${path} holds the B-route ID/password and is readable by other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}): run chmod 600 ${path}, or set B_ROUTE_ID / B_ROUTE_PASSWORD in the environment instead`,
      );
    }
  }
  return { config: loaded.config, warnings, path };
}

export interface ConfigFromIniOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly baseDir: string;
  /** File name for messages. */
  readonly source?: string;
}

/** The pure part of `loadConfig`: INI text + environment → configuration. */
export function configFromIni(
  text: string,
  options: ConfigFromIniOptions,
): { config: PollerConfig; warnings: string[]; secretsInFile: boolean } {
  const source = options.source ?? 'config';
  const doc = parseIni(text, source);
  checkNames(doc, source);
  const ctx: FieldContext = { baseDir: options.baseDir };
  const values: Record<string, Record<string, unknown>> = {};
  const secretsInFile =
    (doc.get('routeb')?.entries.get('id')?.value ?? '') !== '' ||
    (doc.get('routeb')?.entries.get('password')?.value ?? '') !== '';

  for (const [section, keys] of Object.entries(CONFIG_SPEC) as [
    ConfigSection,
    Record<string, Field<unknown>>,
  ][]) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(keys)) {
      const envName = envFor(section, key);
      const envValue = envName ? options.env[envName] : undefined;
      const entry = doc.get(section.toLowerCase())?.entries.get(key);
      let value: unknown = field.resolveDefault ? field.resolveDefault(ctx) : field.default;
      if (envName && envValue !== undefined && envValue !== '') {
        value = parseOrThrow(field, envValue, ctx, `${envName} (environment)`, { env: envName });
      } else if (entry && entry.value !== '') {
        value = parseOrThrow(field, entry.value, ctx, `[${section}] ${key}`, {
          path: source,
          line: entry.line,
          section,
          key,
        });
      }
      out[camel(key)] = value;
    }
    values[section] = out;
  }
  const config = values as unknown as PollerConfig;
  config.routeB.panCache ??= join(config.database.dataDir, 'pan-cache.json');

  const warnings: string[] = [];
  for (const key of ['instantaneous', 'cumulative', 'meta'] as const) {
    const s = config.schedule[key];
    if (s < SCHEDULE_WARN_BELOW_S) {
      warnings.push(
        `[schedule] ${key} = ${s}: below ${SCHEDULE_WARN_BELOW_S} s; published guidance for B-route clients is to ask the meter no more often than every 10–20 s`,
      );
    }
  }
  return { config, warnings, secretsInFile };
}

/**
 * For commands that talk to the meter: the B-route ID and password must be set somewhere.
 * @throws ConfigError 'config.missing'
 */
export function requireRouteBCredentials(
  config: PollerConfig,
): PollerConfig & { routeB: { id: string; password: string } } {
  if (config.routeB.id === undefined) {
    throw new ConfigError(
      'config.missing',
      '[routeB] id is not set: put the 32-character B-route ID from your power company there, or set B_ROUTE_ID',
      { context: { section: 'routeB', key: 'id' } },
    );
  }
  if (config.routeB.password === undefined) {
    throw new ConfigError(
      'config.missing',
      '[routeB] password is not set: put the 12-character B-route password there, or set B_ROUTE_PASSWORD',
      { context: { section: 'routeB', key: 'password' } },
    );
  }
  return config as PollerConfig & { routeB: { id: string; password: string } };
}

function parseOrThrow(
  field: Field<unknown>,
  raw: string,
  ctx: FieldContext,
  where: string,
  context: ConfigErrorContext,
): unknown {
  const parsed = field.parse(raw, ctx);
  if (parsed.ok) return parsed.value;
  const shown = field.secret ? where : `${where} = ${field.show ? field.show(raw) : raw}`;
  const detail = parsed.detail ? ` (${parsed.detail})` : '';
  const at = context.line !== undefined ? ` (${context.path}:${context.line})` : '';
  throw new ConfigError('config.invalid', `${shown}: must be ${field.allowed}${detail}${at}`, { context });
}

function checkNames(doc: IniDocument, source: string): void {
  const sections = Object.keys(CONFIG_SPEC) as ConfigSection[];
  for (const [lower, section] of doc) {
    const known = sections.find((s) => s.toLowerCase() === lower);
    if (!known) {
      throw new ConfigError(
        'config.unknown-section',
        `[${section.name}]: unknown section${suggest(section.name, sections)}; sections are ${sections.map((s) => `[${s}]`).join(', ')} (${source}:${section.line})`,
        { context: { path: source, line: section.line, section: section.name } },
      );
    }
    const keys = Object.keys(CONFIG_SPEC[known]);
    for (const entry of section.entries.values()) {
      if (!keys.includes(entry.key)) {
        throw new ConfigError(
          'config.unknown-key',
          `[${known}] ${entry.key}: unknown key${suggest(entry.key, keys)}; [${known}] takes ${keys.join(', ')} (${source}:${entry.line})`,
          { context: { path: source, line: entry.line, section: known, key: entry.key } },
        );
      }
    }
  }
}

function envFor(section: string, key: string): keyof typeof ENV_OVERRIDES | undefined {
  for (const [name, [s, k]] of Object.entries(ENV_OVERRIDES)) {
    if (s === section && k === key) return name as keyof typeof ENV_OVERRIDES;
  }
  return undefined;
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** ", did you mean x?" for a name within two edits of a known one. */
function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
