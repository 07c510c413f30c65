import { parseArgs } from 'node:util';
import { DONGLE_MODELS, type DongleModel } from '@b-route/echonet';
import { parseFaultSpec } from '../faults/spec.js';
import { checkCredentials } from '../simulator.js';

export const USAGE = `Usage: simulator --model MODEL (--pty PATH | --tcp PORT) [--co2-pty PATH | --co2-tcp PORT] [options]

A virtual Wi-SUN dongle with a smart meter behind it, for B-route clients.

Attach the dongle (at least one):
  --pty PATH          serial device at PATH (a symlink to a pseudo-terminal; needs socat)
  --tcp PORT          raw TCP like ser2net (0 = any free port); --host ADDR (default 127.0.0.1)

Attach the MH-Z19 CO2 sensor of the same home (optional):
  --co2-pty PATH      serial device at PATH, e.g. /tmp/ttyCO2 (open it at 9600 8N1 like the real
                      UART; a pseudo-terminal accepts any line settings)
  --co2-tcp PORT      raw TCP (0 = any free port), on --host too

Required:
  --model MODEL       ${DONGLE_MODELS.join(', ')}
  --rbid ID           the meter's B-route ID, 32 characters   (or env B_ROUTE_ID)
  --password PW       the meter's B-route password, 12 characters (or env B_ROUTE_PASSWORD)

Options:
  --speed N           simulated seconds per real second (default 1)
  --seed N            seed of everything random (default 1)
  --start ISO-TIME    simulated time at start (default now)
  --faults SPEC       e.g. drop=0.05,delay=500-2000,expire-every=1h,unplug-at=2h:30s
  --state-dir DIR     keep the dongle's flash (WOPT) in DIR across restarts
  --truth FILE        append the meter's ground truth (JSON lines) to FILE
  --picky N           the meter refuses Gets with more than N properties
  --solar W           rooftop solar of W watts peak
  --send-budget MS    ARIB transmit-time budget per hour in ms (default 360000)
  --verbose           trace what the dongle does and the CO2 sensor's frames in hex
                      (secrets are never printed)
  -h, --help          this text

Fault spec: drop|corrupt|duplicate|fail-er10|reauth-fail=P, delay=MS[-MS], expire-every=DUR,
reset-at=WHEN|..., unplug-at=WHEN:DUR|..., unreachable=HH:MM-HH:MM|...  (DUR: 90s, 30m, 2h;
WHEN: a DUR after start or HH:MM Japan time). Ctrl-C stops cleanly.`;

export interface CliConfig {
  model: DongleModel;
  rbid: string;
  password: string;
  pty?: string;
  tcp?: number;
  /** Serve the MH-Z19 CO2 sensor at this PTY path. */
  co2Pty?: string;
  /** Serve the MH-Z19 CO2 sensor on this TCP port (0 = any free port). */
  co2Tcp?: number;
  host: string;
  speed: number;
  seed: number;
  start?: Date;
  faults: string;
  stateDir?: string;
  truthFile?: string;
  picky?: number;
  solar?: number;
  sendBudgetMs?: number;
  verbose: boolean;
}

export type CliParse =
  | { ok: true; config: CliConfig }
  | { ok: false; help: true }
  | { ok: false; message: string };

function num(
  name: string,
  text: string | undefined,
  check: (n: number) => boolean,
  what: string,
): number | string {
  if (text === undefined) return `--${name} needs a value`;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n))
    return `--${name} must be ${what}, got "${text}"`;
  return n;
}

/** Reads the command line (and B_ROUTE_ID / B_ROUTE_PASSWORD from `env`). Never throws. */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliParse {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --model …` passes the `--` on.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string' },
        rbid: { type: 'string' },
        password: { type: 'string' },
        pty: { type: 'string' },
        tcp: { type: 'string' },
        'co2-pty': { type: 'string' },
        'co2-tcp': { type: 'string' },
        host: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        faults: { type: 'string' },
        'state-dir': { type: 'string' },
        truth: { type: 'string' },
        picky: { type: 'string' },
        solar: { type: 'string' },
        'send-budget': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  if (values.help) return { ok: false, help: true };
  const str = (k: string) => values[k] as string | undefined;

  const model = str('model');
  if (model === undefined) return { ok: false, message: '--model is required' };
  if (!(DONGLE_MODELS as readonly string[]).includes(model)) {
    return { ok: false, message: `--model must be one of ${DONGLE_MODELS.join(', ')}, got "${model}"` };
  }
  const rbid = str('rbid') ?? env.B_ROUTE_ID;
  const password = str('password') ?? env.B_ROUTE_PASSWORD;
  if (rbid === undefined) return { ok: false, message: '--rbid (or B_ROUTE_ID) is required' };
  if (password === undefined) return { ok: false, message: '--password (or B_ROUTE_PASSWORD) is required' };
  const credentials = checkCredentials(rbid, password);
  if (credentials) return { ok: false, message: credentials };
  if (password.length !== 12) return { ok: false, message: 'the B-route password must be 12 characters' };

  const path = (flag: string): string | undefined | { message: string } => {
    const p = str(flag);
    return p !== undefined && p.trim() === '' ? { message: `--${flag} needs a path` } : p;
  };
  const port = (flag: string): number | undefined | { message: string } => {
    if (str(flag) === undefined) return undefined;
    const n = num(flag, str(flag), (x) => Number.isInteger(x) && x >= 0 && x <= 65535, 'a port 0–65535');
    return typeof n === 'string' ? { message: n } : n;
  };
  const pty = path('pty');
  if (typeof pty === 'object') return { ok: false, ...pty };
  const tcp = port('tcp');
  if (typeof tcp === 'object') return { ok: false, ...tcp };
  const co2Pty = path('co2-pty');
  if (typeof co2Pty === 'object') return { ok: false, ...co2Pty };
  const co2Tcp = port('co2-tcp');
  if (typeof co2Tcp === 'object') return { ok: false, ...co2Tcp };
  if (pty === undefined && tcp === undefined)
    return { ok: false, message: 'give --pty PATH or --tcp PORT (or both)' };
  if (co2Pty !== undefined && co2Pty === pty)
    return { ok: false, message: '--co2-pty and --pty must be different paths' };
  if (co2Tcp !== undefined && co2Tcp !== 0 && co2Tcp === tcp)
    return { ok: false, message: '--co2-tcp and --tcp must be different ports' };

  const speed = str('speed') === undefined ? 1 : num('speed', str('speed'), (x) => x > 0, 'a number > 0');
  if (typeof speed === 'string') return { ok: false, message: speed };
  const seed = str('seed') === undefined ? 1 : num('seed', str('seed'), Number.isInteger, 'an integer');
  if (typeof seed === 'string') return { ok: false, message: seed };

  let start: Date | undefined;
  if (str('start') !== undefined) {
    start = new Date(str('start')!);
    if (Number.isNaN(start.getTime()))
      return { ok: false, message: `--start must be an ISO time, got "${str('start')}"` };
  }
  const faults = str('faults') ?? '';
  try {
    parseFaultSpec(faults);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const config: CliConfig = {
    model: model as DongleModel,
    rbid,
    password,
    host: str('host') ?? '127.0.0.1',
    speed,
    seed,
    faults,
    verbose: values.verbose === true,
  };
  if (pty !== undefined) config.pty = pty;
  if (tcp !== undefined) config.tcp = tcp;
  if (co2Pty !== undefined) config.co2Pty = co2Pty;
  if (co2Tcp !== undefined) config.co2Tcp = co2Tcp;
  if (start) config.start = start;
  if (str('state-dir') !== undefined) config.stateDir = str('state-dir')!;
  if (str('truth') !== undefined) config.truthFile = str('truth')!;
  for (const [flag, key, what, check] of [
    ['picky', 'picky', 'an integer ≥ 1', (x: number) => Number.isInteger(x) && x >= 1],
    ['solar', 'solar', 'watts > 0', (x: number) => x > 0],
    ['send-budget', 'sendBudgetMs', 'milliseconds > 0', (x: number) => x > 0],
  ] as const) {
    if (str(flag) === undefined) continue;
    const n = num(flag, str(flag), check, what);
    if (typeof n === 'string') return { ok: false, message: n };
    config[key] = n;
  }
  return { ok: true, config };
}
