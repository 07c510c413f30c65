/**
 * The HEMS data collector's command line (seed 004), accepted by `start` with the meaning it has
 * there; each flag overrides a key of power_consumption.ini:
 *
 *   --port DEV            [routeB] device          --baudrate N       [routeB] baud
 *   --meter-channel HEX   [routeB] meter_channel   --meter-panid HEX  [routeB] meter_panid
 *   --meter-ipv6 ADDR     [routeB] meter_ipv6      --debug            [log] level = debug
 *   -s, --schedule CRON   [schedule] cron          --interval N       instantaneous = cumulative = N
 *   --mode schedule|interval   which of the two (default: the one given; schedule alone means
 *                              its default "*\/5 * * * *", interval alone 300 s)
 *
 * Its `-i` (interval) is not taken: `-i` is power-consumption's --info here. Environment
 * variables B_ROUTE_ID, B_ROUTE_PASSWORD, SERIAL_PORT, SERIAL_RATE are read by the config loader.
 */
import { CONFIG_SPEC } from '../config/config-spec.js';
import type { PollerConfig } from '../config/load-config.js';
import { parseCron } from '../schedule/cron.js';

export interface HemsFlags {
  readonly port?: string;
  readonly baudrate?: number;
  readonly meterChannel?: number;
  readonly meterPanid?: number;
  readonly meterIpv6?: string;
  readonly debug: boolean;
  readonly schedule?: string;
  readonly interval?: number;
  readonly mode?: 'schedule' | 'interval';
}

/** node:util parseArgs definitions of the flags. */
export const HEMS_OPTIONS = {
  port: { type: 'string' },
  baudrate: { type: 'string' },
  'meter-channel': { type: 'string' },
  'meter-panid': { type: 'string' },
  'meter-ipv6': { type: 'string' },
  debug: { type: 'boolean' },
  schedule: { type: 'string', short: 's' },
  interval: { type: 'string' },
  mode: { type: 'string' },
} as const;

export const HEMS_USAGE = `
HEMS data collector flags (override power_consumption.ini):
      --port DEV           serial device or tcp://host:port ([routeB] device; env SERIAL_PORT)
      --baudrate N         ([routeB] baud; env SERIAL_RATE)
      --meter-channel HEX  --meter-panid HEX  --meter-ipv6 ADDR
                           join this PAN without scanning (all three)
  -s, --schedule CRON      read the meter at each minute of a crontab schedule (JST), e.g. "*/5 * * * *"
      --interval N         read E7+E8+E0+E3 every N seconds
      --mode M             schedule or interval
      --debug              debug logging`;

export class HemsFlagError extends Error {}

/**
 * @throws HemsFlagError naming the flag and what it takes
 */
export function parseHemsFlags(values: Readonly<Record<string, string | boolean | undefined>>): HemsFlags {
  const str = (k: string) => values[k] as string | undefined;
  const field = <T>(flag: string, section: keyof typeof CONFIG_SPEC, key: string): T | undefined => {
    const raw = str(flag);
    if (raw === undefined) return undefined;
    const f = (
      CONFIG_SPEC[section] as Record<
        string,
        { parse: (r: string, c: { baseDir: string }) => { ok: boolean; value?: unknown }; allowed: string }
      >
    )[key]!;
    const parsed = f.parse(raw, { baseDir: process.cwd() });
    if (!parsed.ok) throw new HemsFlagError(`--${flag} must be ${f.allowed}, got "${raw}"`);
    return parsed.value as T;
  };
  const schedule = str('schedule');
  if (schedule !== undefined) {
    try {
      parseCron(schedule);
    } catch (e) {
      throw new HemsFlagError(`--schedule: ${(e as Error).message}`);
    }
  }
  const interval = field<number>('interval', 'schedule', 'instantaneous');
  const mode = str('mode');
  if (mode !== undefined && mode !== 'schedule' && mode !== 'interval') {
    throw new HemsFlagError(`--mode must be schedule or interval, got "${mode}"`);
  }
  const flags: HemsFlags = {
    debug: values.debug === true,
    ...opt('port', field<string>('port', 'routeB', 'device')),
    ...opt('baudrate', field<number>('baudrate', 'routeB', 'baud')),
    ...opt('meterChannel', field<number>('meter-channel', 'routeB', 'meter_channel')),
    ...opt('meterPanid', field<number>('meter-panid', 'routeB', 'meter_panid')),
    ...opt('meterIpv6', field<string>('meter-ipv6', 'routeB', 'meter_ipv6')),
    ...opt('schedule', schedule),
    ...opt('interval', interval),
    ...opt('mode', mode as HemsFlags['mode']),
  };
  return flags;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** `config` with the flags applied. */
export function applyHemsFlags(config: PollerConfig, flags: HemsFlags): PollerConfig {
  const routeB = {
    ...config.routeB,
    ...(flags.port !== undefined ? { device: flags.port } : {}),
    ...(flags.baudrate !== undefined ? { baud: flags.baudrate } : {}),
    ...(flags.meterChannel !== undefined ? { meterChannel: flags.meterChannel } : {}),
    ...(flags.meterPanid !== undefined ? { meterPanid: flags.meterPanid } : {}),
    ...(flags.meterIpv6 !== undefined ? { meterIpv6: flags.meterIpv6 } : {}),
  };
  let schedule = config.schedule;
  const mode =
    flags.mode ??
    (flags.schedule !== undefined ? 'schedule' : flags.interval !== undefined ? 'interval' : undefined);
  if (mode === 'schedule') {
    schedule = {
      ...schedule,
      requests: undefined,
      cron: flags.schedule ?? config.schedule.cron ?? '*/5 * * * *',
    };
  } else if (mode === 'interval') {
    const n = flags.interval ?? 300;
    schedule = { ...schedule, cron: undefined, requests: undefined, instantaneous: n, cumulative: n };
  }
  const log = flags.debug ? { ...config.log, level: 'debug' as const } : config.log;
  return { ...config, routeB, schedule, log };
}
