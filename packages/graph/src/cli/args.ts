/** Command-line options of `power` and `temp` (node:util parseArgs), validated into typed values. */
import { parseArgs } from 'node:util';
import { GraphError } from '../errors.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH } from '../render/chart-style.js';
import type { Lang } from '../render/labels.js';
import type { AverageWindow } from '../render/moving-average.js';
import type { RangeSpec } from '../time.js';

export type ChartKind = 'power' | 'temp';

export interface CliOptions {
  readonly kind: ChartKind;
  readonly help: boolean;
  readonly range: RangeSpec;
  readonly output?: string;
  /** null: no moving average; undefined: the chart's default. */
  readonly window?: AverageWindow | null;
  readonly width: number;
  readonly height: number;
  readonly lang: Lang;
  readonly config?: string;
  readonly meter?: string;
  readonly font?: string;
  /** temp: serial sensor values to add by name, or 'all'. */
  readonly serial?: readonly string[] | 'all';
}

export function usage(kind: ChartKind | 'power|temp'): string {
  const what =
    kind === 'temp' ? 'temperature, humidity, pressure and CO2' : kind === 'power' ? 'power and energy' : 'a';
  return `Usage: ${kind} [options]
Draws the ${what} chart of a day (or a range) as PNG and prints the path written.

  -d, --date YYYY-MM-DD   the day to draw, meter time (JST); default today
      --days N            the N days ending with --date; default 1
  -s, --start TIME        range start, ISO 8601 (no offset = JST), instead of --date
  -e, --end TIME          range end; default now (with --start)
  -o, --output FILE|DIR   where to write; default ./${kind === 'temp' ? 'temp' : 'power'}_YYYY-MM-DD.png
  -w, --window N|DURATION moving average over N points or a duration (5m, 1h); 0 = none; default 30
      --width PX          image width; default ${DEFAULT_WIDTH}
      --height PX         image height; default ${DEFAULT_HEIGHT}
      --lang ja|en        label language; default ja
      --config FILE       settings file; default ./power_consumption.ini
      --meter ID          meter (16 hex digits); default the one with the latest data${kind === 'temp' ? ' (power only)' : ''}
      --serial NAMES      add serial sensors' values of these names: comma-separated or repeated;
                          all = every name in the range${kind === 'power' ? ' (temp only)' : ''}
      --font FILE         font file with Japanese glyphs; default IPA Gothic
  -h, --help              this text

Database: DATABASE_URL, else [database] url in the settings file, else the embedded PostgreSQL
in [database] data_dir (shared with the poller).`;
}

/**
 * @throws GraphError `args.invalid`
 */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  // `pnpm --filter graph power -- -d …` passes the `--` on; it separates nothing here.
  const args = argv.filter((a, i) => !(a === '--' && argv.indexOf('--') === i));
  try {
    parsed = parse(args);
  } catch (e) {
    throw new GraphError('args.invalid', (e as Error).message.split('\n')[0]!);
  }
  const { values: v, positionals } = parsed;
  const kind = positionals[0];
  if (kind !== 'power' && kind !== 'temp') {
    throw new GraphError(
      'args.invalid',
      `expected the chart kind "power" or "temp" first, got "${kind ?? ''}"`,
    );
  }
  if (positionals.length > 1) throw new GraphError('args.invalid', `unexpected argument "${positionals[1]}"`);
  const lang = v.lang ?? 'ja';
  if (lang !== 'ja' && lang !== 'en')
    throw new GraphError('args.invalid', `--lang must be ja or en, got "${lang}"`);
  const range: RangeSpec = {
    ...(v.date === undefined ? {} : { date: v.date }),
    ...(v.days === undefined ? {} : { days: integer('--days', v.days, 1, 3660) }),
    ...(v.start === undefined ? {} : { start: v.start }),
    ...(v.end === undefined ? {} : { end: v.end }),
  };
  if (v.meter !== undefined && !/^[0-9A-Fa-f]{16}$/.test(v.meter)) {
    throw new GraphError('args.invalid', `--meter must be 16 hex digits, got "${v.meter}"`);
  }
  let serial: readonly string[] | 'all' | undefined;
  if (v.serial !== undefined) {
    const names = v.serial.flatMap((s) => s.split(',')).map((s) => s.trim());
    if (names.some((n) => n === ''))
      throw new GraphError('args.invalid', '--serial needs a value name (or all), got an empty one');
    serial = names.includes('all') ? 'all' : [...new Set(names)];
  }
  return {
    kind,
    help: v.help === true,
    range,
    ...(v.output === undefined ? {} : { output: v.output }),
    ...(v.window === undefined ? {} : { window: parseWindow(v.window) }),
    width: v.width === undefined ? DEFAULT_WIDTH : integer('--width', v.width, 200, 10_000),
    height: v.height === undefined ? DEFAULT_HEIGHT : integer('--height', v.height, 150, 10_000),
    lang,
    ...(v.config === undefined ? {} : { config: v.config }),
    ...(v.meter === undefined ? {} : { meter: v.meter.toUpperCase() }),
    ...(v.font === undefined ? {} : { font: v.font }),
    ...(serial === undefined ? {} : { serial }),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      date: { type: 'string', short: 'd' },
      days: { type: 'string' },
      start: { type: 'string', short: 's' },
      end: { type: 'string', short: 'e' },
      output: { type: 'string', short: 'o' },
      window: { type: 'string', short: 'w' },
      width: { type: 'string' },
      height: { type: 'string' },
      lang: { type: 'string' },
      config: { type: 'string' },
      meter: { type: 'string' },
      font: { type: 'string' },
      serial: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * `30` → the last 30 points; `5m`, `90s`, `1h` → a time window; `0` → none.
 * @throws GraphError `args.invalid`
 */
export function parseWindow(text: string): AverageWindow | null {
  const m = /^(\d+)\s*(s|m|min|h)?$/.exec(text.trim());
  if (!m)
    throw new GraphError('args.invalid', `--window must be a count or a duration such as 5m, got "${text}"`);
  const n = Number(m[1]);
  if (n === 0) return null;
  switch (m[2]) {
    case undefined:
      return { points: n };
    case 's':
      return { ms: n * 1000 };
    case 'h':
      return { ms: n * 3_600_000 };
    default:
      return { ms: n * 60_000 };
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()))
    throw new GraphError('args.invalid', `${name} must be a whole number, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max)
    throw new GraphError('args.invalid', `${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
