/**
 * Every key of power_consumption.ini: its type, default and what is allowed. The loader, the
 * unknown-key check and the test that the sample file documents every key all read this table.
 */
import { DONGLE_MODELS, macFromLinkLocal } from '@b-route/echonet';
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
  type Parsed,
  path,
  text,
} from '@b-route/store';
import { OUTPUT_CONFIG_SPEC, OUTPUT_ENV_OVERRIDES } from '../outputs/output-config.js';
import { parseCron } from '../schedule/cron.js';
import { parseRequests } from '../schedule/requests.js';
import { parseUnits } from '../sensors/sensor-line.js';

const seconds = (def: number, min: number, max = 86_400): Field<number> =>
  integer(def, min, max, `an integer number of seconds ≥ ${min}${max < 86_400 ? ` and ≤ ${max}` : ''}`);

const OVERSAMPLING = [0, 1, 2, 4, 8, 16] as const;

function hexNumber(min: number, max: number, allowed: string): Field<number | undefined> {
  return {
    default: undefined,
    allowed,
    parse(raw) {
      const m = /^(?:0x)?([0-9a-f]{1,4})$/i.exec(raw);
      const n = m ? Number.parseInt(m[1]!, 16) : Number.NaN;
      return n >= min && n <= max ? { ok: true, value: n } : { ok: false };
    },
  };
}

function linkLocalCheck(raw: string): Parsed<string> {
  try {
    macFromLinkLocal(raw);
    return { ok: true, value: raw };
  } catch {
    return { ok: false };
  }
}

function requestsCheck(raw: string): Parsed<string> {
  try {
    parseRequests(raw);
    return { ok: true, value: raw };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

function columnsCheck(raw: string): Parsed<string> {
  const names = raw.split(',').map((c) => c.trim());
  return names.every((n) => n === '-' || /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(n))
    ? { ok: true, value: raw }
    : { ok: false };
}

function unitsCheck(raw: string): Parsed<string> {
  try {
    parseUnits(raw);
    return { ok: true, value: raw };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

function cronCheck(raw: string): Parsed<string> {
  try {
    parseCron(raw);
    return { ok: true, value: raw };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

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
    // A fixed PAN, as the HEMS data collector's --meter-channel/--meter-panid/--meter-ipv6:
    // all three set = join it and never scan.
    meter_channel: hexNumber(0x21, 0x3c, 'a channel in hex as EPANDESC prints it, 21 to 3C'),
    meter_panid: hexNumber(0, 0xffff, 'a PAN ID in hex as EPANDESC prints it, 0000 to FFFF'),
    meter_ipv6: text(
      undefined,
      "the meter's link-local IPv6 address (FE80:0000:0000:0000:…)",
      linkLocalCheck,
    ),
  },
  database: DATABASE_SECTION,
  schedule: {
    instantaneous: seconds(30, 10),
    cumulative: seconds(300, 10),
    meta: seconds(3600, 10),
    history_backfill: bool(true),
    // Read E7+E8+E0+E3 at each minute this crontab expression names, instead of the intervals
    // above (meta keeps its interval): the HEMS data collector's --schedule.
    cron: text(undefined, 'a crontab schedule of five fields, e.g. */5 * * * *', cronCheck),
    // keilog's requests: EPC groups with their cycles, replacing the three intervals above.
    requests: text(
      undefined,
      'EPC groups with cycles in seconds, e.g. D3,D7,E1 @ 3600; E7 @ 30; E0,E3 @ 300',
      requestsCheck,
    ),
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
  // keilog's serial sensors: an Arduino, XBee or TWELite printing lines on a serial port.
  serial: {
    enabled: bool(false),
    device: text('/dev/ttyACM0', 'a serial device path or tcp://host:port', deviceCheck),
    baud: numberChoice(9600, [9600, 19_200, 38_400, 57_600, 115_200, 230_400]),
    format: choice('pairs', ['pairs', 'csv']),
    columns: text(undefined, 'CSV column names separated by commas (- skips a column)', columnsCheck),
    units: text(undefined, 'name:unit items separated by commas, e.g. temp:°C, hum:%', unitsCheck),
    name: text(undefined, 'a name for the sensor column (default: the device)'),
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
  // As the HEMS data collector reads them.
  SERIAL_PORT: ['routeB', 'device'],
  SERIAL_RATE: ['routeB', 'baud'],
  ...DATABASE_ENV_OVERRIDES,
  ...OUTPUT_ENV_OVERRIDES,
} as const;

/** Schedule keys below this many seconds draw a warning (published guidance: 10–20 s at most). */
export const SCHEDULE_WARN_BELOW_S = 20;
