/**
 * `import-legacy`: the original power-consumption's tables → ours. Exit status 0 when every table
 * was imported (bad rows are counted, not fatal), 1 when the database failed (batches committed
 * so far stay; running again resumes), 2 for a usage or configuration problem.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import {
  ConfigError,
  configCandidates,
  databaseTarget,
  describeTarget,
  findConfigFile,
  libpqToUrl,
  migrate,
  openDatabase,
} from '@b-route/store';
import pg from 'pg';
import { bme280SensorName } from '../app/sensor-sources.js';
import type { CliIo } from '../cli/run.js';
import { loadConfig, type PollerConfig } from '../config/load-config.js';
import { importLegacy, legacyScannedMeter, type TableSummary } from './legacy-import.js';

export const IMPORT_LEGACY_USAGE = `Usage: pnpm --filter poller import-legacy [options]

Copies the tables of the original power-consumption (power_log, temp_log, co2_log, bme280_log,
scan_log) into this store. Safe to run again: rows already imported are skipped, and an
interrupted import resumes where it stopped.

Options:
      --config FILE    configuration file naming our database (default: ./power_consumption.ini,
                       then the one in the repository root); an unchanged file of the original
                       works: its [routeB] db_url is the database
      --from URL       read the original's tables from this database (postgres:// URL or a
                       libpq "host=… dbname=…" string); default: our own database, where they
                       are when the original's db_url is ours
      --timezone ZONE  the zone of the Pi's clock when it wrote created_at (default Asia/Tokyo)
      --meter ID       the meter the rows belong to (16 hex digits); default: the meter the
                       poller has seen, else the last one the original scanned
      --batch-rows N   rows per transaction (default 20000)
  -h, --help           show this help`;

interface ImportArgs {
  config?: string;
  from?: string;
  timezone: string;
  meter?: string;
  batchRows: number;
  help: boolean;
}

class Usage extends Error {}

function parse(argv: readonly string[]): ImportArgs {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        from: { type: 'string' },
        timezone: { type: 'string' },
        meter: { type: 'string' },
        'batch-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new Usage((e as Error).message.split('.')[0]!);
  }
  const timezone = (values.timezone as string | undefined) ?? 'Asia/Tokyo';
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new Usage(`--timezone must be an IANA zone such as Asia/Tokyo, got "${timezone}"`);
  }
  const meter = values.meter as string | undefined;
  if (meter !== undefined && !/^[0-9A-Fa-f]{16}$/.test(meter)) {
    throw new Usage(`--meter must be the meter's MAC address, 16 hex digits, got "${meter}"`);
  }
  const batchRows = Number(values['batch-rows'] ?? 20_000);
  if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 1_000_000) {
    throw new Usage('--batch-rows must be an integer from 1 to 1000000');
  }
  return {
    ...(values.config !== undefined ? { config: values.config as string } : {}),
    ...(values.from !== undefined ? { from: values.from as string } : {}),
    ...(meter !== undefined ? { meter: meter.toUpperCase() } : {}),
    timezone,
    batchRows,
    help: values.help === true,
  };
}

/** Runs `import-legacy`; resolves to the exit status. */
export async function runImportLegacy(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ImportArgs;
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof Usage)) throw e;
    io.stderr(`import-legacy: ${e.message} (see --help)`);
    return 2;
  }
  if (args.help) {
    io.stdout(IMPORT_LEGACY_USAGE);
    return 0;
  }
  let config: PollerConfig;
  try {
    const path = await findConfigFile(args.config, io.cwd);
    if (path === undefined && !io.env.DATABASE_URL) {
      // Without a file the target would be a new, empty embedded database: surely not meant.
      io.stderr(
        `import-legacy: no configuration file (looked for ${configCandidates(io.cwd).join(' and ')}): pass --config with your power_consumption.ini, or set DATABASE_URL`,
      );
      return 2;
    }
    const loaded = await loadConfig({ ...(path ? { path } : {}), env: io.env, cwd: io.cwd });
    for (const w of loaded.warnings) io.stderr(`import-legacy: ${w}`);
    config = loaded.config;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr(`import-legacy: ${e.message}`);
    return 2;
  }

  const handle = await openDatabase({ ...databaseTarget(config.database), maxConnections: 6 }).catch(
    (e: Error) => e,
  );
  if (handle instanceof Error) {
    io.stderr(`import-legacy: cannot open our database: ${handle.message}`);
    return 1;
  }
  let source: pg.Pool | undefined;
  try {
    await migrate(handle.db);
    const fromUrl = args.from === undefined ? undefined : libpqToUrl(args.from);
    source = fromUrl === undefined ? handle.pool : new pg.Pool({ connectionString: fromUrl, max: 3 });
    const sourceKey = fromUrl === undefined ? 'same' : describeTarget(fromUrl);
    const meter = args.meter ?? (await seenMeter(handle.pool)) ?? (await legacyScannedMeter(source));
    if (meter === undefined) {
      io.stderr(
        'import-legacy: no meter known (the poller has not joined one and the original scanned none): pass --meter <16 hex digits>',
      );
      return 2;
    }
    const sensors = {
      cpu: hostname(),
      co2: config.co2.device,
      bme280: bme280SensorName(config.bme280.bus, config.bme280.address),
    };
    io.stdout(
      `import-legacy: from ${fromUrl === undefined ? handle.target : sourceKey} into ${handle.target}, meter ${meter}, created_at in ${args.timezone}`,
    );
    const started = Date.now();
    const summaries = await importLegacy({
      target: handle.pool,
      source,
      sourceKey,
      timezone: args.timezone,
      meter,
      sensors,
      batchRows: args.batchRows,
      onProgress: (table, done, total) =>
        io.stderr(
          `import-legacy: ${table} ${done}/${total} rows (${total ? Math.floor((done * 100) / total) : 100}%)`,
        ),
    });
    for (const s of summaries) io.stdout(summaryLine(s));
    io.stdout(`import-legacy: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    io.stderr(
      `import-legacy: ${(e as Error).message}; every batch before this one is imported, run again to resume`,
    );
    return 1;
  } finally {
    if (source && source !== handle.pool) await source.end().catch(() => undefined);
    await handle.close();
  }
}

async function seenMeter(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ meter: string }>(
    'SELECT meter FROM meter ORDER BY last_seen DESC LIMIT 1',
  );
  return rows[0]?.meter;
}

export function summaryLine(s: TableSummary): string {
  if (!s.from) return `  ${s.table}: not in the source`;
  const extra = [
    s.bad > 0 ? `${s.bad} bad rows skipped` : '',
    s.partial > 0 ? `${s.partial} rows without some value` : '',
  ].filter(Boolean);
  const examples = s.examples.length > 0 ? ` (${s.examples.join('; ')})` : '';
  const added = Object.entries(s.added)
    .map(([table, n]) => `+${n} ${table}`)
    .join(', ');
  return `  ${s.table} (${s.from}): ${s.read} read${added ? `: ${added}` : ''}${extra.length ? `; ${extra.join(', ')}` : ''}${examples}`;
}
