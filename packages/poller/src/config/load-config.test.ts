import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConfigError, isConfigError, parseIni } from '@b-route/store';
import { describe, expect, it } from 'vitest';
import { OUTPUT_VALID_CASES, outputDefaults } from '../outputs/testing/output-defaults.js';
import { CONFIG_SPEC } from './config-spec.js';
import { configFromIni, loadConfig, type PollerConfig, requireRouteBCredentials } from './load-config.js';

const BASE = '/etc/power';
const ID = '0123456789ABCDEF0123456789abcdef';
const PASSWORD = 'Pw12345678ab';
const SAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../power_consumption.ini.sample');

const load = (text: string, env: Record<string, string> = {}) =>
  configFromIni(text, { env, baseDir: BASE, source: 'power_consumption.ini' });

function failure(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    load(text, env);
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const DEFAULTS: PollerConfig = {
  routeB: {
    device: '/dev/ttyUSB0',
    id: undefined,
    password: undefined,
    dongle: 'auto',
    baud: 115_200,
    timeoutS: 10,
    retries: 3,
    panCache: '/etc/power/data/pan-cache.json',
    meterChannel: undefined,
    meterPanid: undefined,
    meterIpv6: undefined,
  },
  database: { url: undefined, dataDir: '/etc/power/data', embeddedPort: 54_329, spoolMaxMb: 64 },
  schedule: {
    instantaneous: 30,
    cumulative: 300,
    meta: 3600,
    historyBackfill: true,
    cron: undefined,
    requests: undefined,
  },
  co2: { enabled: false, device: '/dev/serial0', warmupS: 180, abc: true, intervalS: 60 },
  bme280: {
    enabled: false,
    bus: 1,
    address: 0x76,
    osrsT: 1,
    osrsP: 1,
    osrsH: 1,
    filter: 0,
    standbyMs: 0.5,
    intervalS: 60,
  },
  cpu: { enabled: false, intervalS: 60 },
  serial: {
    enabled: false,
    device: '/dev/ttyACM0',
    baud: 9600,
    format: 'pairs',
    columns: undefined,
    units: undefined,
    name: undefined,
  },
  log: { level: 'info' },
  ...outputDefaults(BASE),
};

describe('configFromIni', () => {
  it('gives the documented defaults for an empty file', () => {
    expect(load('')).toEqual({ config: DEFAULTS, warnings: [], secretsInFile: false });
  });

  // [section, key, raw value, resulting property, value]
  const VALID: [string, string, string, string, unknown][] = [
    [
      'routeB',
      'device',
      '/dev/serial/by-id/usb-ROHM_BP35C2-if00',
      'device',
      '/dev/serial/by-id/usb-ROHM_BP35C2-if00',
    ],
    ['routeB', 'device', 'tcp://192.168.1.20:4001', 'device', 'tcp://192.168.1.20:4001'],
    ['routeB', 'device', 'tcp://[fe80::1]:4001', 'device', 'tcp://[fe80::1]:4001'],
    ['routeB', 'id', ID, 'id', ID],
    ['routeB', 'password', PASSWORD, 'password', PASSWORD],
    ['routeB', 'password', '"Ab#;cd123456"', 'password', 'Ab#;cd123456'],
    ['routeB', 'dongle', 'BP35C2', 'dongle', 'bp35c2'],
    ['routeB', 'dongle', 'rl7023-dss', 'dongle', 'rl7023-dss'],
    ['routeB', 'baud', '9600', 'baud', 9600],
    ['routeB', 'timeout_s', '20', 'timeoutS', 20],
    ['routeB', 'retries', '0', 'retries', 0],
    ['routeB', 'pan_cache', 'state/pan.json', 'panCache', '/etc/power/state/pan.json'],
    ['routeB', 'pan_cache', '/var/lib/power/pan.json', 'panCache', '/var/lib/power/pan.json'],
    ['database', 'url', 'postgres://power:pw@db:5432/power', 'url', 'postgres://power:pw@db:5432/power'],
    ['database', 'url', 'postgresql://localhost/power', 'url', 'postgresql://localhost/power'],
    ['database', 'data_dir', '/var/lib/power', 'dataDir', '/var/lib/power'],
    ['database', 'embedded_port', '55432', 'embeddedPort', 55_432],
    ['database', 'spool_max_mb', '1', 'spoolMaxMb', 1],
    ['schedule', 'instantaneous', '60', 'instantaneous', 60],
    ['schedule', 'cumulative', '600', 'cumulative', 600],
    ['schedule', 'meta', '86400', 'meta', 86_400],
    ['schedule', 'history_backfill', 'off', 'historyBackfill', false],
    ['schedule', 'cron', '*/5 * * * *', 'cron', '*/5 * * * *'],
    ['schedule', 'requests', 'D3,D7,E1 @ 3600; E7 @ 10', 'requests', 'D3,D7,E1 @ 3600; E7 @ 10'],
    ['routeB', 'meter_channel', '3C', 'meterChannel', 0x3c],
    ['serial', 'enabled', 'on', 'enabled', true],
    ['serial', 'device', 'tcp://10.0.0.5:2000', 'device', 'tcp://10.0.0.5:2000'],
    ['serial', 'baud', '115200', 'baud', 115_200],
    ['serial', 'format', 'CSV', 'format', 'csv'],
    ['serial', 'columns', '-, temp, hum', 'columns', '-, temp, hum'],
    ['serial', 'units', 'temp:°C, hum:%', 'units', 'temp:°C, hum:%'],
    ['serial', 'name', 'twelite-1', 'name', 'twelite-1'],
    ['routeB', 'meter_panid', '0x8888', 'meterPanid', 0x8888],
    [
      'routeB',
      'meter_ipv6',
      'FE80:0000:0000:0000:021C:6400:6014:21A3',
      'meterIpv6',
      'FE80:0000:0000:0000:021C:6400:6014:21A3',
    ],
    ['schedule', 'history_backfill', 'No', 'historyBackfill', false],
    ['co2', 'enabled', 'on', 'enabled', true],
    ['co2', 'enabled', 'TRUE', 'enabled', true],
    ['co2', 'device', '/dev/ttyAMA0', 'device', '/dev/ttyAMA0'],
    ['co2', 'warmup_s', '0', 'warmupS', 0],
    ['co2', 'abc', 'off', 'abc', false],
    ['co2', 'interval_s', '5', 'intervalS', 5],
    ['bme280', 'enabled', 'yes', 'enabled', true],
    ['bme280', 'bus', '0', 'bus', 0],
    ['bme280', 'address', '0x77', 'address', 0x77],
    ['bme280', 'address', '0X76', 'address', 0x76],
    ['bme280', 'address', '119', 'address', 0x77],
    ['bme280', 'address', '77', 'address', 0x77],
    ['bme280', 'osrs_t', '2', 'osrsT', 2],
    ['bme280', 'osrs_p', '16', 'osrsP', 16],
    ['bme280', 'osrs_h', '0', 'osrsH', 0],
    ['bme280', 'filter', '16', 'filter', 16],
    ['bme280', 'standby_ms', '62.5', 'standbyMs', 62.5],
    ['bme280', 'standby_ms', '1000', 'standbyMs', 1000],
    ['bme280', 'interval_s', '300', 'intervalS', 300],
    ['cpu', 'enabled', '1', 'enabled', true],
    ['cpu', 'interval_s', '10', 'intervalS', 10],
    ['log', 'level', 'DEBUG', 'level', 'debug'],
    ['log', 'level', 'silent', 'level', 'silent'],
    ...OUTPUT_VALID_CASES,
  ];

  it.each(VALID)('[%s] %s = %s', (section, key, raw, prop, value) => {
    const { config } = load(`[${section}]\n${key} = ${raw}\n`);
    expect((config as unknown as Record<string, Record<string, unknown>>)[section]![prop]).toEqual(value);
  });

  it('has a valid case for every key', () => {
    for (const [section, keys] of Object.entries(CONFIG_SPEC)) {
      for (const key of Object.keys(keys)) {
        expect(
          VALID.some(([s, k]) => s === section && k === key),
          `${section}.${key}`,
        ).toBe(true);
      }
    }
  });

  // [section, key, raw value, expected message]
  const INVALID: [string, string, string, string][] = [
    [
      'routeB',
      'device',
      'tcp://host',
      '[routeB] device = tcp://host: must be a serial device path (e.g. /dev/ttyUSB0) or tcp://host:port',
    ],
    ['routeB', 'device', 'tcp://host:70000', 'must be a serial device path'],
    [
      'routeB',
      'dongle',
      'bp35a2',
      '[routeB] dongle = bp35a2: must be one of auto, bp35a1, rl7023-ips, bp35c0, bp35c2, rs-wsuha-p, rl7023-dss',
    ],
    [
      'routeB',
      'baud',
      '115201',
      '[routeB] baud = 115201: must be one of 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600',
    ],
    [
      'routeB',
      'timeout_s',
      '0',
      '[routeB] timeout_s = 0: must be an integer number of seconds ≥ 1 and ≤ 300',
    ],
    ['routeB', 'timeout_s', '2.5', 'must be an integer number of seconds'],
    ['routeB', 'retries', '11', '[routeB] retries = 11: must be an integer from 0 to 10'],
    ['routeB', 'retries', 'three', 'must be an integer from 0 to 10'],
    [
      'database',
      'url',
      'mysql://localhost/power',
      '[database] url = mysql://localhost/power: must be a postgres:// or postgresql:// URL, or empty for the embedded PostgreSQL',
    ],
    [
      'database',
      'embedded_port',
      '80',
      '[database] embedded_port = 80: must be a TCP port from 1024 to 65535',
    ],
    [
      'database',
      'spool_max_mb',
      '0',
      '[database] spool_max_mb = 0: must be an integer number of MiB from 1 to 100000',
    ],
    [
      'schedule',
      'instantaneous',
      '5',
      '[schedule] instantaneous = 5: must be an integer number of seconds ≥ 10',
    ],
    [
      'schedule',
      'instantaneous',
      '30s',
      '[schedule] instantaneous = 30s: must be an integer number of seconds ≥ 10',
    ],
    ['schedule', 'cumulative', '9', '[schedule] cumulative = 9: must be an integer number of seconds ≥ 10'],
    ['schedule', 'meta', '-1', '[schedule] meta = -1: must be an integer number of seconds ≥ 10'],
    ['schedule', 'meta', '86401', 'must be an integer number of seconds ≥ 10'],
    ['schedule', 'history_backfill', 'maybe', '[schedule] history_backfill = maybe: must be on or off'],
    ['co2', 'enabled', 'enabled', '[co2] enabled = enabled: must be on or off'],
    ['co2', 'device', 'tcp://:1', 'must be a serial device path or tcp://host:port'],
    ['co2', 'warmup_s', '3601', '[co2] warmup_s = 3601: must be an integer number of seconds ≥ 0 and ≤ 3600'],
    ['co2', 'abc', '2', '[co2] abc = 2: must be on or off'],
    ['co2', 'interval_s', '4', '[co2] interval_s = 4: must be an integer number of seconds ≥ 5'],
    ['bme280', 'enabled', 'y', 'must be on or off'],
    [
      'routeB',
      'meter_channel',
      '20',
      '[routeB] meter_channel = 20: must be a channel in hex as EPANDESC prints it, 21 to 3C',
    ],
    [
      'routeB',
      'meter_ipv6',
      '2001:db8::1',
      "[routeB] meter_ipv6 = 2001:db8::1: must be the meter's link-local IPv6 address",
    ],
    ['schedule', 'cron', '*/5 * * *', 'a schedule is five fields'],
    ['schedule', 'requests', 'E7 @ 5', '10 to 86400 seconds'],
    ['bme280', 'bus', '256', '[bme280] bus = 256: must be an I2C bus number from 0 to 255 (/dev/i2c-N)'],
    ['bme280', 'address', '0x78', '[bme280] address = 0x78: must be 0x76 or 0x77'],
    // 3 and 1 are the original power-consumption's register codes, read in legacy-keys.ts.
    ['bme280', 'osrs_t', '12', '[bme280] osrs_t = 12: must be one of 0, 1, 2, 4, 8, 16'],
    ['bme280', 'osrs_p', '32', 'must be one of 0, 1, 2, 4, 8, 16'],
    ['bme280', 'osrs_h', 'x1', 'must be one of 0, 1, 2, 4, 8, 16'],
    ['bme280', 'filter', '32', '[bme280] filter = 32: must be one of 0, 2, 4, 8, 16'],
    [
      'bme280',
      'standby_ms',
      '100',
      '[bme280] standby_ms = 100: must be one of 0.5, 10, 20, 62.5, 125, 250, 500, 1000',
    ],
    ['bme280', 'interval_s', '1', 'must be an integer number of seconds ≥ 5'],
    ['cpu', 'enabled', 'sometimes', '[cpu] enabled = sometimes: must be on or off'],
    ['cpu', 'interval_s', '0', '[cpu] interval_s = 0: must be an integer number of seconds ≥ 5'],
    [
      'log',
      'level',
      'verbose',
      '[log] level = verbose: must be one of trace, debug, info, warn, error, fatal, silent',
    ],
  ];

  it.each(INVALID)('[%s] %s = %s is refused', (section, key, raw, message) => {
    const e = failure(`\n[${section}]\n${key} = ${raw}\n`);
    expect(e.code).toBe('config.invalid');
    expect(e.message).toContain(message);
    expect(e.message).toContain('(power_consumption.ini:3)');
    expect(e.context).toMatchObject({ section, key, line: 3 });
  });

  it('refuses a bad B-route ID or password without repeating it', () => {
    const shortId = ID.slice(0, 31);
    const e1 = failure(`[routeB]\nid = ${shortId}`);
    expect(e1.message).toBe(
      '[routeB] id: must be 32 letters and digits (the B-route ID from your power company) (got 31 characters) (power_consumption.ini:2)',
    );
    const e2 = failure('[routeB]\npassword = "abc def ghij"');
    expect(e2.message).toContain('[routeB] password: must be 12 characters without spaces');
    expect(e2.message).toContain('not a printable ASCII character');
    expect(e2.message).not.toContain('abc def');
    const e3 = failure(`[routeB]\nid = ${ID.slice(0, 31)}!`);
    expect(e3.message).toContain('a character that is not a letter or digit');
    expect(e3.message).not.toContain(ID.slice(0, 31));
  });

  it('refuses an unknown key or section, suggesting the likely one', () => {
    const e1 = failure('[schedule]\ninstantanous = 30');
    expect(e1.code).toBe('config.unknown-key');
    expect(e1.message).toBe(
      '[schedule] instantanous: unknown key (did you mean instantaneous?); [schedule] takes instantaneous, cumulative, meta, history_backfill, cron, requests (power_consumption.ini:2)',
    );
    const e2 = failure('[sqhedule]\nmeta = 3600');
    expect(e2.code).toBe('config.unknown-section');
    expect(e2.message).toContain('[sqhedule]: unknown section (did you mean schedule?)');
    const e3 = failure('[routeb]\nport = /dev/ttyUSB0');
    expect(e3.message).toContain('[routeB] port: unknown key;');
  });

  it('lets B_ROUTE_ID, B_ROUTE_PASSWORD and DATABASE_URL override the file; empty ones do not', () => {
    const file = `[routeB]\nid = ${'1'.repeat(32)}\npassword = ${'2'.repeat(12)}\n[database]\nurl = postgres://file/db\n`;
    const { config } = load(file, {
      B_ROUTE_ID: ID,
      B_ROUTE_PASSWORD: PASSWORD,
      DATABASE_URL: 'postgres://env/db',
    });
    expect(config.routeB).toMatchObject({ id: ID, password: PASSWORD });
    expect(config.database.url).toBe('postgres://env/db');
    const kept = load(file, { B_ROUTE_ID: '', DATABASE_URL: '' }).config;
    expect(kept.routeB.id).toBe('1'.repeat(32));
    expect(kept.database.url).toBe('postgres://file/db');
    expect(load('', { B_ROUTE_PASSWORD: PASSWORD }).secretsInFile).toBe(false);
  });

  it('names the environment variable when its value is bad, without echoing a secret', () => {
    const e = failure('', { B_ROUTE_PASSWORD: 'short' });
    expect(e.message).toBe(
      'B_ROUTE_PASSWORD (environment): must be 12 characters without spaces (the B-route password from your power company) (got 5 characters)',
    );
    expect(e.context).toEqual({ env: 'B_ROUTE_PASSWORD' });
    expect(failure('', { DATABASE_URL: 'localhost:5432' }).message).toContain(
      'DATABASE_URL (environment) = localhost:5432',
    );
  });

  it('masks the password of a malformed database URL, from the file and from DATABASE_URL', () => {
    const pw = 'S3cret:Pw@x';
    for (const url of [
      `mysql://u:${pw}@h/db`,
      `postgresql://u:${pw}@/db?host=x y`,
      `postgres://u:${pw}@h:5432/d b`,
    ]) {
      const fromEnv = failure('', { DATABASE_URL: url }).message;
      const fromFile = failure(`[database]\nurl = ${url}`).message;
      for (const message of [fromEnv, fromFile]) {
        expect(message).not.toContain('S3cret');
        expect(message).toContain('u:***@');
      }
    }
  });

  it('warns about a schedule below 20 s, which is allowed', () => {
    const { config, warnings } = load('[schedule]\ninstantaneous = 10\ncumulative = 19\nmeta = 20');
    expect(config.schedule).toMatchObject({ instantaneous: 10, cumulative: 19, meta: 20 });
    expect(warnings).toEqual([
      '[schedule] instantaneous = 10: below 20 s; published guidance for B-route clients is to ask the meter no more often than every 10–20 s',
      '[schedule] cumulative = 19: below 20 s; published guidance for B-route clients is to ask the meter no more often than every 10–20 s',
    ]);
  });

  it('takes pan_cache from data_dir when unset', () => {
    const { config } = load('[database]\ndata_dir = /srv/power');
    expect(config.routeB.panCache).toBe('/srv/power/pan-cache.json');
  });
});

describe('loadConfig', () => {
  const files = (text: string, mode: number) => ({
    readFile: async () => text,
    statFile: async () => ({ mode: 0o100000 | mode }),
  });

  it('warns when a file holding the password is readable by group or others', async () => {
    const text = `[routeB]\npassword = ${PASSWORD}\n`;
    const loose = await loadConfig({
      path: '/etc/power/power_consumption.ini',
      env: {},
      ...files(text, 0o644),
    });
    expect(loose.warnings).toEqual([
      '/etc/power/power_consumption.ini holds the B-route ID/password and is readable by other users (mode 644): run chmod 600 /etc/power/power_consumption.ini, or set B_ROUTE_ID / B_ROUTE_PASSWORD in the environment instead',
    ]);
    expect(loose.warnings.join()).not.toContain(PASSWORD);
    expect(
      (await loadConfig({ path: '/etc/power/x.ini', env: {}, ...files(text, 0o640) })).warnings,
    ).toHaveLength(1);
    expect((await loadConfig({ path: '/etc/power/x.ini', env: {}, ...files(text, 0o600) })).warnings).toEqual(
      [],
    );
    const noSecret = await loadConfig({
      path: '/etc/power/x.ini',
      env: {},
      ...files('[log]\nlevel = info', 0o644),
    });
    expect(noSecret.warnings).toEqual([]);
  });

  it('reads a real file, resolving relative paths from its directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'config-'));
    try {
      const path = join(dir, 'power_consumption.ini');
      await writeFile(path, `[routeB]\nid = ${ID}\npassword = ${PASSWORD}\n[database]\ndata_dir = var\n`);
      await chmod(path, 0o604);
      const loaded = await loadConfig({ path: 'power_consumption.ini', cwd: dir, env: {} });
      expect(loaded.path).toBe(path);
      expect(loaded.config.database.dataDir).toBe(join(dir, 'var'));
      expect(loaded.config.routeB.panCache).toBe(join(dir, 'var', 'pan-cache.json'));
      expect(loaded.warnings[0]).toContain('(mode 604)');
      await chmod(path, 0o600);
      expect((await loadConfig({ path, env: {} })).warnings).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without a file, uses defaults and the environment, paths from cwd', async () => {
    const { config, path } = await loadConfig({ env: { B_ROUTE_ID: ID }, cwd: '/opt/power' });
    expect(path).toBeUndefined();
    expect(config.routeB.id).toBe(ID);
    expect(config.database.dataDir).toBe('/opt/power/data');
  });

  it('reports a missing file as config.read naming it', async () => {
    const e = await loadConfig({ path: '/nonexistent/power_consumption.ini', env: {} }).catch(
      (x: unknown) => x,
    );
    expect(isConfigError(e, 'config.read')).toBe(true);
    expect((e as Error).message).toContain('/nonexistent/power_consumption.ini');
  });
});

describe('requireRouteBCredentials', () => {
  it('passes a config with both, and names what is missing otherwise', () => {
    const both = load('', { B_ROUTE_ID: ID, B_ROUTE_PASSWORD: PASSWORD }).config;
    expect(requireRouteBCredentials(both).routeB.password).toBe(PASSWORD);
    expect(() => requireRouteBCredentials(load('', { B_ROUTE_PASSWORD: PASSWORD }).config)).toThrow(
      /\[routeB\] id is not set.*B_ROUTE_ID/,
    );
    expect(() => requireRouteBCredentials(load('', { B_ROUTE_ID: ID }).config)).toThrow(
      /\[routeB\] password is not set.*B_ROUTE_PASSWORD/,
    );
  });
});

describe('power_consumption.ini.sample', () => {
  it('documents every key, in its section, with the real default', async () => {
    const text = await readFile(SAMPLE, 'utf8');
    const doc = parseIni(text);
    for (const [section, keys] of Object.entries(CONFIG_SPEC)) {
      const written = [...(doc.get(section.toLowerCase())?.entries.keys() ?? [])];
      expect(written, `[${section}]`).toEqual(Object.keys(keys));
    }
    expect([...doc.values()].map((s) => s.name)).toEqual(Object.keys(CONFIG_SPEC));
    expect(load(text)).toEqual(load(''));
  });

  it('holds no secret and mentions every allowed dongle', async () => {
    const text = await readFile(SAMPLE, 'utf8');
    expect(/^id\s*=\s*$/m.test(text) && /^password\s*=\s*$/m.test(text)).toBe(true);
    for (const model of ['bp35a1', 'rl7023-ips', 'bp35c0', 'bp35c2', 'rs-wsuha-p', 'rl7023-dss']) {
      expect(text).toContain(model);
    }
  });
});

describe('loadConfig on what is not a configuration file', () => {
  it('refuses a device that never ends and binary content as "not a text file", and a huge file', async () => {
    await expect(loadConfig({ path: '/dev/urandom', env: {} })).rejects.toThrow(
      /cannot read \/dev\/urandom: not a text file/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'config-size-'));
    try {
      const big = join(dir, 'big.ini');
      await writeFile(big, `# ${'x'.repeat(300 * 1024)}\n`);
      await expect(loadConfig({ path: big, env: {} })).rejects.toThrow(/larger than 256 KiB/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
