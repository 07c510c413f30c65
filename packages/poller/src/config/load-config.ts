/**
 * power_consumption.ini → a typed, validated configuration. Environment variables B_ROUTE_ID,
 * B_ROUTE_PASSWORD and DATABASE_URL override the file (so secrets can stay out of it). Relative
 * paths are taken from the config file's directory. Nothing is printed: problems are thrown as
 * ConfigError, advice is returned in `warnings`.
 */
import { stat as fsStat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DongleModel } from '@b-route/echonet';
import { ConfigError, type DatabaseConfig, parseIni, readConfigText, readSettings } from '@b-route/store';
import type { OutputsConfig } from '../outputs/output-config.js';
import { CONFIG_SPEC, type ConfigSection, ENV_OVERRIDES, SCHEDULE_WARN_BELOW_S } from './config-spec.js';
import { translateLegacyKeys } from './legacy-keys.js';

/** The output sections (`[mqtt]`, `[prometheus]`, …) are documented in `OutputsConfig`. */
export interface PollerConfig extends OutputsConfig {
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
    /** Fixed PAN channel (0x21–0x3C); with meterPanid and meterIpv6, no scan. Default unset. */
    meterChannel: number | undefined;
    /** Fixed PAN ID. Default unset. */
    meterPanid: number | undefined;
    /** The meter's link-local IPv6 (fixed PAN). Default unset. */
    meterIpv6: string | undefined;
  };
  database: DatabaseConfig;
  schedule: {
    /** Seconds between reads of E7 + E8. Default 30, at least 10. */
    instantaneous: number;
    /** Seconds between reads of E0 + E3. Default 300. */
    cumulative: number;
    /** Seconds between reads of D3, D7, E1. Default 3600. */
    meta: number;
    /** Fill missing 30-minute slots from the meter's history (E2/E4). Default true. */
    historyBackfill: boolean;
    /** Crontab expression (JST) replacing instantaneous/cumulative; undefined = the intervals. */
    cron: string | undefined;
    /** keilog's requests (`E7 @ 30; E0,E3 @ 300`) replacing all three intervals; undefined = the intervals. */
    requests: string | undefined;
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
  serial: {
    /** Read a serial sensor's lines. Default false. */
    enabled: boolean;
    /** Default /dev/ttyACM0 (an Arduino); tcp://host:port too. */
    device: string;
    /** Default 9600. */
    baud: number;
    /** `pairs` (name=value …) or `csv`. Default pairs. */
    format: 'pairs' | 'csv';
    /** CSV column names, comma-separated ('-' skips); required for csv. */
    columns: string | undefined;
    /** `name:unit, …`. Default none. */
    units: string | undefined;
    /** The sensor column. Default the device. */
    name: string | undefined;
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
  /** Usually process.env; only B_ROUTE_ID, B_ROUTE_PASSWORD, SERIAL_PORT, SERIAL_RATE and DATABASE_URL are read. */
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
  const text = await readConfigText(path, options.readFile);
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
  const legacy = translateLegacyKeys(parseIni(text, source), source);
  const doc = legacy.doc;
  if (legacy.fromPowerConsumption && !doc.has('database') && !options.env.DATABASE_URL) {
    // Its db_url was deleted: starting a new, empty embedded PostgreSQL would hide the history.
    throw new ConfigError(
      'config.missing',
      `${source} is a power-consumption file without db_url: set [database] url = <your power-consumption database> (then run pnpm --filter poller import-legacy), or add a [database] section (data_dir = data) to start a new embedded database`,
      { context: { path: source, section: 'database', key: 'url' } },
    );
  }
  const secretsInFile =
    (doc.get('routeb')?.entries.get('id')?.value ?? '') !== '' ||
    (doc.get('routeb')?.entries.get('password')?.value ?? '') !== '';
  const values = readSettings(doc, CONFIG_SPEC, {
    env: options.env,
    envOverrides: ENV_OVERRIDES,
    baseDir: options.baseDir,
    source,
  });
  const config = values as unknown as PollerConfig;
  config.routeB.panCache ??= join(config.database.dataDir, 'pan-cache.json');
  if (config.serial.enabled && config.serial.format === 'csv' && config.serial.columns === undefined) {
    throw new ConfigError(
      'config.missing',
      '[serial] format = csv needs columns (the name of each CSV column)',
      {
        context: { path: source, section: 'serial', key: 'columns' },
      },
    );
  }
  if (config.schedule.cron !== undefined && config.schedule.requests !== undefined) {
    throw new ConfigError(
      'config.invalid',
      '[schedule] cron and requests are two ways to say when to read the meter: set one of them',
      { context: { path: source, section: 'schedule', key: 'requests' } },
    );
  }

  const warnings: string[] = [...legacy.notices];
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
 * meter_channel, meter_panid and meter_ipv6 go together.
 * @throws ConfigError 'config.invalid'
 */
export function checkFixedPan(config: PollerConfig): void {
  const { meterChannel, meterPanid, meterIpv6 } = config.routeB;
  const set = [meterChannel, meterPanid, meterIpv6].filter((v) => v !== undefined).length;
  if (set !== 0 && set !== 3) {
    throw new ConfigError(
      'config.invalid',
      '[routeB] meter_channel, meter_panid and meter_ipv6 (--meter-channel, --meter-panid, --meter-ipv6) fix the PAN only all together: set all three, or none to scan',
      { context: { section: 'routeB', key: 'meter_channel' } },
    );
  }
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
