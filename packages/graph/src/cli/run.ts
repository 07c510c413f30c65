/**
 * The `power` and `temp` commands: options → range → output file (checked first) → font →
 * database → chart → PNG renamed into place → its path on stdout. Every failure is one line on stderr and
 * exit status 1; nothing is left at the output path.
 */
import type { Kysely } from 'kysely';
import { drawPowerChart, drawTempChart, toGraphDbError } from '../charts.js';
import type { Database } from '../db-types.js';
import { GraphError, isGraphError } from '../errors.js';
import { openOutput, type PendingOutput, resolveOutputPath } from '../output.js';
import type { ChartOptions } from '../render/chart-style.js';
import { registerChartFont } from '../render/fonts.js';
import { resolveRange } from '../time.js';
import { type CliOptions, parseCliArgs, usage } from './args.js';

export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
}

export interface DatabaseConnection {
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

/** Opens the database the settings point at. */
export type Connect = (options: {
  readonly configPath?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}) => Promise<DatabaseConnection>;

/** Runs one command; resolves to the exit status (0 or 1). */
export async function runCli(argv: readonly string[], io: CliIo, connect: Connect): Promise<number> {
  const kind = argv[0] === 'temp' ? 'temp' : 'power';
  let output: PendingOutput | undefined;
  let conn: DatabaseConnection | undefined;
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.stdout(usage(options.kind));
      return 0;
    }
    const range = resolveRange(options.range, io.now());
    const path = await resolveOutputPath(options.output, `${options.kind}_${range.fileStem}.png`, io.cwd);
    output = await openOutput(path);
    // A missing CJK font is found out before the database is asked anything.
    registerChartFont(options.font === undefined ? {} : { path: options.font });
    try {
      conn = await connect({
        ...(options.config === undefined ? {} : { configPath: options.config }),
        env: io.env,
        cwd: io.cwd,
      });
    } catch (e) {
      throw isGraphError(e) ? e : toGraphDbError(e);
    }
    const chart = chartOptions(options);
    const drawn =
      options.kind === 'power'
        ? await drawPowerChart(conn.db, range, {
            ...chart,
            ...(options.meter === undefined ? {} : { meter: options.meter }),
          })
        : await drawTempChart(conn.db, range, {
            ...chart,
            ...(options.serial === undefined ? {} : { serial: options.serial }),
          });
    await output.commit(drawn.png);
    io.stdout(path);
    return 0;
  } catch (e) {
    io.stderr(`${kind}: ${describe(e)}`);
    return 1;
  } finally {
    await output?.discard();
    await conn?.close().catch(() => undefined);
  }
}

function chartOptions(o: CliOptions): ChartOptions {
  return {
    width: o.width,
    height: o.height,
    lang: o.lang,
    ...(o.window === undefined ? {} : { window: o.window }),
    ...(o.font === undefined ? {} : { fontPath: o.font }),
  };
}

function describe(e: unknown): string {
  if (e instanceof GraphError) {
    return e.code === 'args.invalid' ? `${e.message} (see --help)` : e.message;
  }
  return `unexpected error: ${(e as Error)?.message?.split('\n')[0] ?? String(e)}`;
}
