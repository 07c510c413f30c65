/**
 * Command line of `start`, as in seed 003 (`-t` CPU temperature, `-c` MH-Z19 CO2, `-b` BME280),
 * plus `--config`, `-i` (dongle info) and `--simulate` (the in-process simulator).
 */
import { parseArgs } from 'node:util';
import { DONGLE_MODELS, type DongleModel } from '@b-route/echonet';
import { TEXT_FORMATS, type TextFormat } from '../outputs/formats.js';
import { OUTPUT_NAMES, type OutputName } from '../outputs/output-config.js';
import { HEMS_OPTIONS, HEMS_USAGE, type HemsFlags, parseHemsFlags } from './hems-flags.js';

export interface CliArgs {
  /** -t: record the CPU temperature. */
  readonly cpu: boolean;
  /** -c: record the MH-Z19 CO2 sensor. */
  readonly co2: boolean;
  /** -b: record the BME280. */
  readonly bme280: boolean;
  readonly config: string | undefined;
  readonly simulate: boolean;
  readonly speed: number | undefined;
  readonly seed: number | undefined;
  readonly model: DongleModel | undefined;
  /** --truth FILE: the simulated meter's ground truth (JSON lines). */
  readonly truth: string | undefined;
  /** -i: print the dongle's information and exit. */
  readonly info: boolean;
  readonly help: boolean;
  /** --output NAME (repeatable, or comma-separated): switches that output's section on. */
  readonly outputs: readonly OutputName[];
  /** --format: of the stdout and file outputs. */
  readonly format: TextFormat | undefined;
  /** The HEMS data collector's flags (hems-flags.ts). */
  readonly hems: HemsFlags;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: pnpm --filter poller start [options]

Reads the smart meter over the B-route (Wi-SUN dongle) and stores every reading in PostgreSQL.

Options:
  -t, --cpu          also record the CPU temperature (CPU温度)
  -c, --co2          also record an MH-Z19 CO2 sensor on a serial port (CO2センサー)
  -b, --bme280       also record a BME280 on I2C (温湿度・気圧センサー)
      --config FILE  configuration file (default: ./power_consumption.ini, then the one in the
                     repository root)
  -i, --info         print the dongle's firmware, addresses, family and payload format, then exit
      --simulate     run against the built-in simulator (meter, dongle and sensors) instead of
                     hardware; works on any machine
      --speed N      with --simulate: simulated seconds per real second (default 1)
      --seed N       with --simulate: seed of the simulated household (default 1)
      --model M      with --simulate: dongle model (default bp35a1), one of
                     ${DONGLE_MODELS.join(', ')}
      --truth FILE   with --simulate: append the simulated meter's ground truth (JSON lines)
      --output NAME  also send every reading to ${OUTPUT_NAMES.join('|')} (repeat or
                     comma-separate; the rest of each output's settings are in its section)
      --format F     ${TEXT_FORMATS.join('|')}: format of the stdout and file outputs (default json)
  -h, --help         show this help

${HEMS_USAGE.trimStart()}

Sensors can also be switched on in the configuration ([cpu], [co2], [bme280] enabled = on).
Signals: SIGINT/SIGTERM/SIGHUP stop gracefully; SIGUSR1 toggles debug logging.`;

/**
 * @throws UsageError with a message naming the option and what it takes.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        cpu: { type: 'boolean', short: 't' },
        co2: { type: 'boolean', short: 'c' },
        bme280: { type: 'boolean', short: 'b' },
        config: { type: 'string' },
        info: { type: 'boolean', short: 'i' },
        simulate: { type: 'boolean' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        model: { type: 'string' },
        truth: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        output: { type: 'string', multiple: true },
        format: { type: 'string' },
        ...HEMS_OPTIONS,
      },
    }));
  } catch (e) {
    throw new UsageError(parseArgsMessage(e as Error & { code?: string }));
  }
  const simulate = values.simulate === true;
  for (const name of ['speed', 'seed', 'model', 'truth'] as const) {
    if (values[name] !== undefined && !simulate) throw new UsageError(`--${name} needs --simulate`);
  }
  if (values.config === '') throw new UsageError('--config needs a file name');
  let hems: HemsFlags;
  try {
    hems = parseHemsFlags(values as Readonly<Record<string, string | boolean | undefined>>);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    cpu: values.cpu === true,
    co2: values.co2 === true,
    bme280: values.bme280 === true,
    config: values.config as string | undefined,
    simulate,
    speed: optionalNumber(
      values.speed as string | undefined,
      '--speed',
      (n) => n > 0 && n <= 1_000_000,
      'a number > 0',
    ),
    seed: optionalNumber(
      values.seed as string | undefined,
      '--seed',
      (n) => Number.isSafeInteger(n) && n >= 0,
      'an integer ≥ 0',
    ),
    model: model(values.model as string | undefined),
    truth: values.truth === '' ? undefined : (values.truth as string | undefined),
    info: values.info === true,
    help: values.help === true,
    ...outputFlags(values.output as string[] | undefined, values.format as string | undefined),
    hems,
  };
}

function outputFlags(
  raw: readonly string[] | undefined,
  format: string | undefined,
): { outputs: OutputName[]; format: TextFormat | undefined } {
  const outputs: OutputName[] = [];
  for (const name of (raw ?? []).flatMap((r) => r.split(','))) {
    const n = name.trim().toLowerCase() as OutputName;
    if (!OUTPUT_NAMES.includes(n))
      throw new UsageError(`--output must be one of ${OUTPUT_NAMES.join(', ')}, got "${name}"`);
    if (!outputs.includes(n)) outputs.push(n);
  }
  const f = format?.toLowerCase() as TextFormat | undefined;
  if (f !== undefined && !TEXT_FORMATS.includes(f))
    throw new UsageError(`--format must be one of ${TEXT_FORMATS.join(', ')}, got "${format}"`);
  return { outputs, format: f };
}

function optionalNumber(
  raw: string | undefined,
  name: string,
  ok: (n: number) => boolean,
  what: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !ok(n))
    throw new UsageError(`${name} must be ${what}, got "${raw}"`);
  return n;
}

function model(raw: string | undefined): DongleModel | undefined {
  if (raw === undefined) return undefined;
  const m = raw.toLowerCase() as DongleModel;
  if (!DONGLE_MODELS.includes(m))
    throw new UsageError(`--model must be one of ${DONGLE_MODELS.join(', ')}, got "${raw}"`);
  return m;
}

function parseArgsMessage(e: Error & { code?: string }): string {
  // node:util's messages are long and mention "strict"; keep the part that names the option.
  const m =
    /^(Unknown option '[^']+')|^(Option '[^']+' argument missing)|^(Unexpected argument '[^']+')/.exec(
      e.message,
    );
  return m ? (m[1] ?? m[2] ?? m[3]!) : e.message.split('.')[0]!;
}
