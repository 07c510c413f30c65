/**
 * `pnpm demo`: a simulated day of the whole installation in a few minutes. The poller's own
 * in-process simulation (what `pnpm --filter poller start --simulate` runs: meter, Wi-SUN dongle,
 * CPU, MH-Z19 and BME280 on one accelerated clock) starts at 00:00 JST of the chosen day, the
 * poller backfills the meter's 45 days of history and polls the day, rows go to PostgreSQL
 * (the embedded server under data/ unless told otherwise), then the graph package draws the
 * day's power and temperature charts.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DAY_MS, formatJstDate, HOUR_MS } from '@b-route/core';
import { type DatabaseConnection, jstMidnight, queryPowerData, runCli as runGraphCli } from '@b-route/graph';
import { createLogger, createPoller, meterSchedule, type PollerApp } from '@b-route/poller';
import { createSimulation } from '@b-route/poller/simulate';
import {
  type DatabaseHandle,
  type DatabaseTarget,
  migrate,
  openDatabase,
  stopEmbedded,
} from '@b-route/store';

/** The simulated meter's MAC address (EPANDESC Addr), the `meter` of the demo's rows. */
export const DEMO_METER_MAC = '001C6400DE300001';
/** Simulated time the run goes on past the day, so the 24:00 slot (EA/EB at the boundary) is in. */
const TAIL_MS = 5 * 60_000;

export interface DemoOptions {
  /** Holds the embedded cluster (`postgres/`), the spool (`spool-demo/`) and `demo.log`. */
  readonly dataDir: string;
  /** Where the PNGs go (created if missing). */
  readonly chartsDir: string;
  /** Default: the embedded PostgreSQL in `<dataDir>/postgres`. */
  readonly target?: DatabaseTarget;
  /** Simulated ms per real ms. Default 600 (a day in about 2.5 minutes). */
  readonly speed?: number;
  /** Seed of the simulated household and meter. Default 1. */
  readonly seed?: number;
  /** JST date `YYYY-MM-DD` simulated from its 00:00. Default: today in Japan. */
  readonly day?: string;
  /** Simulated hours from 00:00. Default 24. */
  readonly hours?: number;
  /** Rooftop solar peak W (0: none). Default 4000, so the chart shows selling. */
  readonly solarW?: number;
  /** Stop the embedded server at the end if the demo started it. Default true. */
  readonly stopServer?: boolean;
  /** Draw the charts. Default true. */
  readonly charts?: boolean;
  /** Aborting ends the simulation early; rows are flushed and no chart is drawn. */
  readonly signal?: AbortSignal;
  /** Called every `progressEveryMs` of real time while the simulation runs. */
  readonly onProgress?: (p: DemoProgress) => void;
  /** Default 200. */
  readonly progressEveryMs?: number;
}

export interface DemoProgress {
  readonly simNow: number;
  readonly from: number;
  readonly to: number;
  readonly realSeconds: number;
  readonly polls: number;
  readonly rowsWritten: number;
  readonly backfilledSlots: number;
}

export type DemoTable =
  | 'power_sample'
  | 'energy_reading'
  | 'energy_interval'
  | 'cpu_temperature'
  | 'co2_sample'
  | 'bme280_sample';

export interface DemoReport {
  readonly day: string;
  readonly meter: string;
  readonly speed: number;
  readonly seed: number;
  readonly interrupted: boolean;
  readonly simulatedHours: number;
  readonly realSeconds: number;
  readonly polls: number;
  readonly pollFailures: number;
  /** energy_interval rows (slot × direction) the history backfill wrote. */
  readonly backfilledSlots: number;
  readonly rowsWritten: number;
  /** Rows of the day in each table (this meter and these sensors; earlier runs included). */
  readonly tables: Readonly<Record<DemoTable, number>>;
  /** energy_interval rows of this meter before the day (the meter's history). */
  readonly historySlots: number;
  readonly boughtKwh: number | null;
  readonly soldKwh: number | null;
  readonly charts: { readonly power?: string; readonly temp?: string };
  readonly chartErrors: readonly string[];
  /** Warnings and errors the poller logged (see `logFile`). */
  readonly warnings: number;
  readonly logFile: string;
  /** `host:port/database`. */
  readonly database: string;
  /** The demo started the embedded server and stops it again on its way out. */
  readonly stopsServer: boolean;
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const speed = options.speed ?? 600;
  const seed = options.seed ?? 1;
  const day = options.day ?? formatJstDate(Date.now());
  const from = jstMidnight(day).getTime();
  const to = from + (options.hours ?? 24) * HOUR_MS;
  const target = options.target ?? { embedded: { dir: join(options.dataDir, 'postgres') } };
  await mkdir(options.dataDir, { recursive: true });
  const logFile = join(options.dataDir, 'demo.log');
  const logStream = createWriteStream(logFile, { flags: 'w' });
  const logger = createLogger({ level: 'info', stream: logStream, pretty: false });
  const realStart = performance.now();
  // First of all: starts the embedded server (initialising its cluster on a first run) if needed.
  const handle = await openDatabase({ ...target, maxConnections: 2 }).catch((e: unknown) => {
    logStream.end();
    throw e;
  });
  const startedServer =
    handle.embedded?.started && options.stopServer !== false ? handle.embedded.dir : undefined;

  const sim = createSimulation({
    speed,
    seed,
    start: from,
    // A meter of its own: `start --simulate` runs the same household (seed 1) without solar, and
    // its rows must not interleave with the demo's on one meter's chart.
    simulator: { solar: options.solarW ?? 4000, meterMac: DEMO_METER_MAC },
    logger,
  });
  // Simulated time stands still until the store is open (initdb on a first run takes seconds).
  sim.clock.setSpeed(0);
  const meter = sim.sim.radio.mac;
  const sensors = [sim.sensors.cpu, sim.sensors.co2, sim.sensors.bme280];
  let app: PollerApp | undefined;
  try {
    // A fresh data directory has an empty cluster: the schema must exist before the demo clears
    // the rows an earlier run left for this day (openStore would migrate only afterwards).
    await migrate(handle.db, { logger: logger.child({ ns: 'poller:store' }) });
    await forgetEarlierRun(
      handle,
      meter,
      sensors.map((s) => s.sensor),
      from,
      to + TAIL_MS,
    );
    app = await createPoller({
      client: sim.client,
      clock: sim.clock,
      logger,
      schedule: meterSchedule(),
      sensors: sensors.map((source) => ({ source, intervalMs: 60_000 })),
      store: {
        target,
        // Not the spool of `start --simulate` nor of a real poller on the same data directory.
        spool: { dir: join(options.dataDir, 'spool-demo') },
        logger: logger.child({ ns: 'poller:store' }),
      },
    });
    const { poller, store } = app;
    const progress = (): DemoProgress => ({
      simNow: Math.min(sim.clock.now(), to),
      from,
      to,
      realSeconds: (performance.now() - realStart) / 1000,
      polls: poller.meterPoller?.stats.polls ?? 0,
      rowsWritten: store.writer?.stats.written ?? 0,
      backfilledSlots: poller.stats.backfillRows,
    });
    const ticker = options.onProgress
      ? setInterval(() => options.onProgress?.(progress()), options.progressEveryMs ?? 200)
      : undefined;
    sim.clock.setSpeed(speed);
    poller.start();
    const interrupted = await untilOrAbort(sim.clock, to + TAIL_MS, options.signal);
    clearInterval(ticker);
    const last = progress();
    const simulatedHours = (Math.min(sim.clock.now(), to) - from) / HOUR_MS;
    await app.stop();
    await sim.close();
    options.onProgress?.(last);

    const tables = await countDay(
      handle,
      meter,
      sensors.map((s) => s.sensor),
      from,
      from + DAY_MS,
    );
    const historySlots = await countRows(
      handle,
      'SELECT count(*)::int AS n FROM energy_interval WHERE meter = $1 AND slot < $2',
      [meter, new Date(from)],
    );
    const energy = await queryPowerData(
      handle.db,
      { start: new Date(from), end: new Date(from + DAY_MS) },
      { meter },
    );
    const charts: { power?: string; temp?: string } = {};
    const chartErrors: string[] = [];
    if (!interrupted && options.charts !== false) {
      await mkdir(options.chartsDir, { recursive: true });
      for (const kind of ['power', 'temp'] as const) {
        const result = await drawChart(handle, kind, day, meter, options.chartsDir);
        if (result.path !== undefined) charts[kind] = result.path;
        else chartErrors.push(result.error);
      }
    }
    return {
      day,
      meter,
      speed,
      seed,
      interrupted,
      simulatedHours,
      realSeconds: (performance.now() - realStart) / 1000,
      polls: last.polls,
      pollFailures: poller.meterPoller?.stats.failures ?? 0,
      backfilledSlots: poller.stats.backfillRows,
      rowsWritten: last.rowsWritten,
      tables,
      historySlots,
      boughtKwh: energy.boughtKwh,
      soldKwh: energy.soldKwh,
      charts,
      chartErrors,
      warnings: await countWarnings(logStream, logFile),
      logFile,
      database: handle.target,
      stopsServer: startedServer !== undefined,
    };
  } finally {
    await app?.store.close().catch(() => undefined);
    await sim.close();
    await handle.close();
    if (!logStream.writableEnded) logStream.end();
    // A server the demo started goes again; one that was running (a poller's) stays.
    if (startedServer) await stopEmbedded({ dir: startedServer }).catch(() => undefined);
  }
}

/** Resolves false once the simulated clock reaches `at`, true when `signal` aborts first. */
function untilOrAbort(
  clock: { now(): number; setTimeoutAt(fn: () => void, at: number): unknown },
  at: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(true);
      return;
    }
    const onAbort = (): void => resolve(true);
    signal?.addEventListener('abort', onAbort, { once: true });
    clock.setTimeoutAt(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, at);
  });
}

/**
 * A demo run replaces the rows an earlier demo run wrote for the same simulated day (its meter
 * and the simulated sensors), so the counts and charts show one run, not two interleaved. The
 * meter's earlier history is the same household and is kept.
 */
async function forgetEarlierRun(
  handle: DatabaseHandle,
  meter: string,
  sensors: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  const range = [new Date(from), new Date(to)];
  await handle.pool.query('DELETE FROM power_sample WHERE meter = $1 AND time >= $2 AND time < $3', [
    meter,
    ...range,
  ]);
  await handle.pool.query('DELETE FROM energy_reading WHERE meter = $1 AND time >= $2 AND time < $3', [
    meter,
    ...range,
  ]);
  await handle.pool.query('DELETE FROM energy_interval WHERE meter = $1 AND slot >= $2 AND slot < $3', [
    meter,
    ...range,
  ]);
  for (const table of ['cpu_temperature', 'co2_sample', 'bme280_sample']) {
    await handle.pool.query(`DELETE FROM ${table} WHERE sensor = ANY($1) AND time >= $2 AND time < $3`, [
      sensors,
      ...range,
    ]);
  }
}

async function countRows(handle: DatabaseHandle, text: string, values: unknown[]): Promise<number> {
  const result = await handle.pool.query<{ n: number }>(text, values);
  return result.rows[0]?.n ?? 0;
}

async function countDay(
  handle: DatabaseHandle,
  meter: string,
  sensors: readonly string[],
  from: number,
  to: number,
): Promise<Record<DemoTable, number>> {
  const range = [new Date(from), new Date(to)];
  const byMeter = (table: string, column = 'time') =>
    countRows(
      handle,
      `SELECT count(*)::int AS n FROM ${table} WHERE meter = $1 AND ${column} >= $2 AND ${column} < $3`,
      [meter, ...range],
    );
  const bySensor = (table: string) =>
    countRows(
      handle,
      `SELECT count(*)::int AS n FROM ${table} WHERE sensor = ANY($1) AND time >= $2 AND time < $3`,
      [sensors, ...range],
    );
  return {
    power_sample: await byMeter('power_sample'),
    energy_reading: await byMeter('energy_reading'),
    energy_interval: await byMeter('energy_interval', 'slot'),
    cpu_temperature: await bySensor('cpu_temperature'),
    co2_sample: await bySensor('co2_sample'),
    bme280_sample: await bySensor('bme280_sample'),
  };
}

/** One chart through the graph command itself (output checks, font, atomic write), on our pool. */
async function drawChart(
  handle: DatabaseHandle,
  kind: 'power' | 'temp',
  day: string,
  meter: string,
  dir: string,
): Promise<{ path: string; error?: undefined } | { path?: undefined; error: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const connection: DatabaseConnection = { db: handle.db, close: async () => undefined };
  const args = [kind, '-d', day, '-o', `${dir}/`, ...(kind === 'power' ? ['--meter', meter] : [])];
  const code = await runGraphCli(
    args,
    {
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
      env: {},
      cwd: process.cwd(),
      now: () => new Date(),
    },
    async () => connection,
  );
  return code === 0 && out[0] ? { path: out[0] } : { error: err.join(' ') || `${kind}: exit ${code}` };
}

/** Lines at pino level warn (40) or above in the log, once everything is written. */
async function countWarnings(stream: NodeJS.WritableStream, path: string): Promise<number> {
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  let n = 0;
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const level = /^\{"level":(\d+)/.exec(line)?.[1];
    if (level !== undefined && Number(level) >= 40) n++;
  }
  return n;
}
