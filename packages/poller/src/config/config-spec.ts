/**
 * Every key of power_consumption.ini: its type, default and what is allowed. The loader, the
 * unknown-key check and the test that the sample file documents every key all read this table.
 */
import { DONGLE_MODELS } from '@b-route/echonet';
import {
  bool,
  choice,
  DATABASE_ENV_OVERRIDES,
  DATABASE_SECTION,
  deviceCheck,
  type Field,
  fixedLength,
  i2cAddress,
  integer,
  numberChoice,
  path,
  text,
} from '@b-route/store';
import { OUTPUT_CONFIG_SPEC, OUTPUT_ENV_OVERRIDES } from '../outputs/output-config.js';

const seconds = (def: number, min: number, max = 86_400): Field<number> =>
  integer(def, min, max, `an integer number of seconds ≥ ${min}${max < 86_400 ? ` and ≤ ${max}` : ''}`);

const OVERSAMPLING = [0, 1, 2, 4, 8, 16] as const;

export const CONFIG_SPEC = {
  routeB: {
    device: text('/dev/ttyUSB0', 'a serial device path (e.g. /dev/ttyUSB0) or tcp://host:port', deviceCheck),
    id: text(
      undefined,
      '32 letters and digits (the B-route ID from your power company)',
      fixedLength(32, /[0-9A-Za-z]/, 'a letter or digit'),
      true,
    ),
    password: text(
      undefined,
      '12 characters without spaces (the B-route password from your power company)',
      fixedLength(12, /[\x21-\x7e]/, 'a printable ASCII character'),
      true,
    ),
    dongle: choice('auto', ['auto', ...DONGLE_MODELS]),
    baud: numberChoice(115_200, [9600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 921_600]),
    timeout_s: seconds(10, 1, 300),
    retries: integer(3, 0, 10),
    pan_cache: path(undefined, 'a file path (empty: pan-cache.json in data_dir)'),
  },
  database: DATABASE_SECTION,
  schedule: {
    instantaneous: seconds(30, 10),
    cumulative: seconds(300, 10),
    meta: seconds(3600, 10),
    history_backfill: bool(true),
  },
  co2: {
    enabled: bool(false),
    device: text('/dev/serial0', 'a serial device path or tcp://host:port', deviceCheck),
    warmup_s: seconds(180, 0, 3600),
    abc: bool(true),
    interval_s: seconds(60, 5),
  },
  bme280: {
    enabled: bool(false),
    bus: integer(1, 0, 255, 'an I2C bus number from 0 to 255 (/dev/i2c-N)'),
    address: i2cAddress(0x76, [0x76, 0x77]),
    osrs_t: numberChoice<(typeof OVERSAMPLING)[number]>(1, OVERSAMPLING),
    osrs_p: numberChoice<(typeof OVERSAMPLING)[number]>(1, OVERSAMPLING),
    osrs_h: numberChoice<(typeof OVERSAMPLING)[number]>(1, OVERSAMPLING),
    filter: numberChoice<0 | 2 | 4 | 8 | 16>(0, [0, 2, 4, 8, 16]),
    standby_ms: numberChoice<0.5 | 10 | 20 | 62.5 | 125 | 250 | 500 | 1000>(
      0.5,
      [0.5, 10, 20, 62.5, 125, 250, 500, 1000],
    ),
    interval_s: seconds(60, 5),
  },
  cpu: {
    enabled: bool(false),
    interval_s: seconds(60, 5),
  },
  log: {
    level: choice('info', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  },
  ...OUTPUT_CONFIG_SPEC,
} as const satisfies Record<string, Record<string, Field<unknown>>>;

export type ConfigSection = keyof typeof CONFIG_SPEC;

/** Environment variables that override a key of the file. */
export const ENV_OVERRIDES = {
  B_ROUTE_ID: ['routeB', 'id'],
  B_ROUTE_PASSWORD: ['routeB', 'password'],
  ...DATABASE_ENV_OVERRIDES,
  ...OUTPUT_ENV_OVERRIDES,
} as const;

/** Schedule keys below this many seconds draw a warning (published guidance: 10–20 s at most). */
export const SCHEDULE_WARN_BELOW_S = 20;
