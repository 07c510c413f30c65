/**
 * A long run of the whole poller through every fault the simulator has, checked against the
 * meter's ground truth.
 *
 * Wiring: the poller's in-process simulation (meter, dongle, sensors on one accelerated clock;
 * `createSimulation`, as `start --simulate` uses it) → MeterClient → Poller → StoreWriter + spool
 * → a TCP relay (`startTcpProxy`, so the database can be cut off) → a real PostgreSQL. Faults:
 * `SOAK_FAULT_SPEC` all the time plus the timed events of `faultPlan` (see fault-plan.ts),
 * among them a graceful poller stop and a new Poller, store and writer on the same spool three
 * simulated hours later, with the simulator running on meanwhile.
 *
 * Checks, once the run is over:
 * - half hours: every slot the meter's truth holds up to the end (its 45 days of history before
 *   the start, and every slot of the run), both directions, must be in energy_interval with the
 *   meter's count and kWh;
 * - power samples: a sample is *expected* when the meter served it AND its reply reached the
 *   host's serial line intact (seen by `DongleTap`) as the first answer to its request while a
 *   poller was running. Samples the meter served whose reply was lost (drop/corrupt faults,
 *   re-authentication, meter out of reach, reset or unplug in flight), that answered a request
 *   already answered (the client had sent it again), or that arrived while no poller ran are
 *   *unobtainable*. Every expected sample must be stored, and every stored sample must be one
 *   the meter delivered;
 * - crashes (unhandled rejections, uncaught exceptions) are counted, not fatal; peak RSS.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPoller, meterSchedule, type PollerApp, type PollerLogger } from '@b-route/poller';
import { createSimulation } from '@b-route/poller/simulate';
import type { SimClock } from '@b-route/simulator';
import { type DatabaseHandle, openDatabase } from '@b-route/store';
import { fillingDisk, startTcpProxy } from '@b-route/store/testing';
import { installCrashWatch } from './crash-watch.js';
import { DongleTap, type TapCounts } from './dongle-tap.js';
import { faultPlan, SOAK_FAULT_SPEC, type SoakEvent } from './fault-plan.js';
import { type SoakOutputsReport, startSoakOutputs } from './soak-outputs.js';
import {
  checkIntervals,
  type IntervalCheck,
  type IntervalProblem,
  matchSamples,
  readTruth,
  type StoredSlot,
} from './verify.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Simulated time after the last day: the EA/EB of the final boundary and a safety-net pass. */
const TAIL_MS = 10 * MIN;

/** 2026-01-06 00:07 JST: a winter week, a start between two half hours. */
export const SOAK_DEFAULT_START = Date.UTC(2026, 0, 5, 15, 7, 0);
/** A simulated day in a minute. */
export const SOAK_DEFAULT_SPEED = 1440;

export interface SoakDatabase {
  /** A database the soak may fill (migrated by the poller's store on first use). */
  readonly url: string;
  close(): Promise<void>;
}

export interface SoakOptions {
  /** Scratch database; its server's port is relayed through the TCP proxy. */
  readonly database: () => Promise<SoakDatabase>;
  /** Simulated days. Default 7. */
  readonly days?: number;
  /** Simulated ms per real ms. Default `SOAK_DEFAULT_SPEED`. */
  readonly speed?: number;
  /** Household, radio identity and fault dice. Default 1. */
  readonly seed?: number;
  /** Simulated start, epoch ms. Default `SOAK_DEFAULT_START`. */
  readonly start?: number;
  /** Continuous faults (simulator spec). Default `SOAK_FAULT_SPEC`. */
  readonly faultSpec?: string;
  /** Timed faults. Default `faultPlan(days)`. */
  readonly events?: readonly SoakEvent[];
  /** Spool and truth file; default a temporary directory removed at the end. */
  readonly workDir?: string;
  /** The poller's logger (pino or compatible). Default: nothing logged, warnings counted. */
  readonly logger?: PollerLogger;
  readonly onProgress?: (p: SoakProgress) => void;
  /** Default 500. */
  readonly progressEveryMs?: number;
  /** Aborting ends the run early (at the next event); the checks still run, up to that time. */
  readonly signal?: AbortSignal;
  /** MQTT (with a broker outage), Prometheus and a file output on, checked at the end. Default true. */
  readonly outputs?: boolean;
}

export interface SoakProgress {
  readonly simNow: number;
  readonly start: number;
  readonly end: number;
  readonly realSeconds: number;
  readonly polls: number;
  readonly rowsWritten: number;
  readonly eventsDone: number;
  readonly events: number;
  readonly lastEvent: string | undefined;
  readonly crashes: number;
  readonly rssMb: number;
}

export interface SoakEventRecord {
  readonly kind: SoakEvent['kind'];
  /** ISO simulated time it happened. */
  readonly at: string;
  readonly durationMin: number;
}

export interface SoakReport {
  readonly days: number;
  readonly speed: number;
  readonly seed: number;
  readonly start: string;
  readonly end: string;
  readonly interrupted: boolean;
  readonly realSeconds: number;
  readonly faultSpec: string;
  readonly events: readonly SoakEventRecord[];
  readonly faults: {
    /** Replies the simulator dropped (drop fault). */
    readonly repliesDropped: number;
    /** Replies lost because the session was re-authenticating or gone. */
    readonly repliesLostNoSession: number;
    readonly corruptReplies: TapCounts['corrupt'];
    readonly duplicateReplies: TapCounts['duplicates'];
    readonly answersToResends: TapCounts['answersToResends'];
    readonly failEr10: TapCounts['failEr10'];
    readonly dongleReboots: number;
    /** Client session states entered (reauthenticating, recovering, …). */
    readonly sessionStates: Readonly<Record<string, number>>;
  };
  readonly samples: {
    /** E7 answers the meter computed (truth file). */
    readonly served: number;
    /** Served, but never reached the host intact, or reached it while no poller ran. */
    readonly unobtainable: number;
    /** Of those: lost or corrupted between the meter and the host. */
    readonly lostOnTheWay: number;
    /** Of those: a second answer to a request the client had sent again (it takes the first). */
    readonly secondAnswers: number;
    /** Of those: reached the host while no poller was running (stopping, restarting). */
    readonly withoutPoller: number;
    /** Reached the host intact while a poller ran. */
    readonly expected: number;
    readonly stored: number;
    /** Expected samples with their stored row. */
    readonly matched: number;
    /** Expected but not stored (first few listed). */
    readonly missing: number;
    readonly missingAt: readonly string[];
    /** Stored rows no delivered reply explains. */
    readonly unexplained: number;
  };
  readonly intervals: {
    /** Slot values (slot × direction) from the start to the end of the run. */
    readonly window: IntervalCheck['expected'];
    /** Slot values of the meter's history before the start (filled by the first backfill). */
    readonly history: IntervalCheck['expected'];
    readonly lost: number;
    readonly mismatched: number;
    readonly problems: readonly IntervalProblem[];
    readonly bySource: Readonly<Record<string, number>>;
    /** Slot values (slot × direction) that fell due while the poller was stopped for the restart. */
    readonly restartGap: number;
    /** Of those, stored from the meter's history by the restarted poller's backfill. */
    readonly restartGapFromHistory: number;
  };
  readonly poller: {
    readonly runs: number;
    readonly polls: number;
    readonly pollFailures: number;
    readonly notifications: number;
    readonly backfillRows: number;
    readonly rowsWritten: number;
    readonly rowsSpooled: number;
    /** Database connections cut by the poller after they went silent. */
    readonly stalledConnectionsCut: number;
    /** Appends the full spool disk refused (the rows waited in memory). */
    readonly spoolFailures: number;
    readonly warnings: number;
    readonly errors: number;
  };
  readonly crashes: { readonly count: number; readonly messages: readonly string[] };
  /** Per output: the power samples stored against those it delivered (see soak-outputs.ts). */
  readonly outputs: SoakOutputsReport | undefined;
  readonly memory: { readonly peakRssMb: number; readonly startRssMb: number; readonly endRssMb: number };
  /** Zero lost or mismatched intervals, no missing or unexplained sample, no crash, restart backfilled. */
  readonly ok: boolean;
  readonly failures: readonly string[];
}

interface PollerRun extends PollerApp {
  readonly startedAt: number;
  stopRequestedAt: number | undefined;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const days = options.days ?? 7;
  const speed = options.speed ?? SOAK_DEFAULT_SPEED;
  const seed = options.seed ?? 1;
  const start = options.start ?? SOAK_DEFAULT_START;
  const end = start + days * DAY;
  const faultSpec = options.faultSpec ?? SOAK_FAULT_SPEC;
  const plan = [...(options.events ?? faultPlan(days))].sort((a, b) => a.atMs - b.atMs);
  const realStart = performance.now();

  const crashes = installCrashWatch();
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const rssSampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);

  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'soak-')));
  await mkdir(workDir, { recursive: true });
  const truthFile = join(workDir, `truth-${process.pid}.jsonl`);
  const logCounts = { warn: 0, error: 0 };
  const logger = countingLogger(options.logger, logCounts);
  const trace = { dropped: 0, noSession: 0, reboots: 0 };
  const sessionStates: Record<string, number> = {};

  const database = await options.database();
  const cleanups: (() => Promise<unknown>)[] = [async () => database.close()];
  const runs: PollerRun[] = [];
  const eventLog: SoakEventRecord[] = [];
  let interrupted = false;
  let check: DatabaseHandle | undefined;
  try {
    const proxy = await startTcpProxy(Number(new URL(database.url).port));
    cleanups.unshift(() => proxy.close());
    const databaseUrl = proxy.via(database.url);

    const sim = createSimulation({
      speed,
      seed,
      start,
      truthFile,
      faults: faultSpec,
      simulator: {
        solar: 3000,
        trace: (m) => {
          if (m === 'fault: reply dropped') trace.dropped++;
          else if (m.startsWith('reply lost') || m.startsWith('datagram lost')) trace.noSession++;
          else if (m === 'reboot') trace.reboots++;
        },
      },
      logger,
    });
    cleanups.unshift(() => sim.close());
    sim.clock.setSpeed(0);
    const meter = sim.sim.radio.mac;
    const tap = new DongleTap(sim.sim, () => sim.clock.now());
    cleanups.unshift(async () => tap.close());
    sim.client.on('state', (state) => {
      sessionStates[state] = (sessionStates[state] ?? 0) + 1;
    });
    const outputs = options.outputs === false ? undefined : await startSoakOutputs(workDir);
    if (outputs) cleanups.unshift(() => outputs.close());

    const disk = fillingDisk();
    const startPoller = async (): Promise<PollerRun> => {
      const app = await createPoller({
        client: sim.client,
        clock: sim.clock,
        logger,
        schedule: meterSchedule(),
        sensors: [sim.sensors.cpu, sim.sensors.co2, sim.sensors.bme280].map((source) => ({
          source,
          intervalMs: 60_000,
        })),
        store: {
          target: { url: databaseUrl },
          spool: { dir: join(workDir, 'spool'), open: disk.open },
          // The default 60 s (real) would be a simulated day at soak speed; 1 s is tens of minutes.
          stallAfterMs: 1000,
        },
        ...(outputs ? { outputs: outputs.setup() } : {}),
      });
      const run: PollerRun = { ...app, startedAt: sim.clock.now(), stopRequestedAt: undefined };
      runs.push(run);
      app.start();
      return run;
    };
    const stopPoller = async (run: PollerRun): Promise<void> => {
      run.stopRequestedAt ??= sim.clock.now();
      await run.stop();
    };

    const progress = (): SoakProgress => ({
      simNow: Math.min(sim.clock.now(), end),
      start,
      end,
      realSeconds: (performance.now() - realStart) / 1000,
      polls: sum(runs, (r) => r.poller.meterPoller?.stats.polls ?? 0),
      rowsWritten: sum(runs, (r) => r.store.writer?.stats.written ?? 0),
      eventsDone: eventLog.length,
      events: plan.length,
      lastEvent: eventLog.at(-1)?.kind,
      crashes: crashes.count,
      rssMb: mb(process.memoryUsage.rss()),
    });
    const ticker = options.onProgress
      ? setInterval(() => options.onProgress?.(progress()), options.progressEveryMs ?? 500)
      : undefined;
    cleanups.unshift(async () => clearInterval(ticker));

    let current = await startPoller();
    sim.clock.setSpeed(speed);
    const background: Promise<unknown>[] = [];
    // The broker goes away for two simulated hours, clear of the plan's other long faults, so
    // readings do flow while it is away.
    if (outputs)
      background.push(
        outputs.brokerOutage(
          (at) => until(sim.clock, at),
          () => sim.clock.now(),
          start + brokerOutageAt(plan, end - start, BROKER_OUTAGE_MS),
          BROKER_OUTAGE_MS,
        ),
      );
    for (const event of plan) {
      if (await until(sim.clock, start + event.atMs, options.signal)) {
        interrupted = true;
        break;
      }
      eventLog.push({
        kind: event.kind,
        at: new Date(sim.clock.now()).toISOString(),
        durationMin: event.durationMs / MIN,
      });
      switch (event.kind) {
        case 'dongle-reset':
          sim.sim.injectReset();
          break;
        case 'dongle-unplug':
          sim.sim.unplug(event.durationMs);
          break;
        case 'meter-unreachable':
          sim.sim.meterUnreachable(event.durationMs);
          break;
        case 'database-down':
          await proxy.down();
          background.push(until(sim.clock, start + event.atMs + event.durationMs).then(() => proxy.up()));
          break;
        case 'database-silent':
          proxy.stall();
          background.push(until(sim.clock, start + event.atMs + event.durationMs).then(() => proxy.up()));
          break;
        case 'spool-disk-full': {
          const half = start + event.atMs + event.durationMs / 2;
          await proxy.down();
          disk.full = true;
          background.push(
            until(sim.clock, half)
              .then(() => {
                disk.full = false;
              })
              .then(() => until(sim.clock, start + event.atMs + event.durationMs))
              .then(() => proxy.up()),
          );
          break;
        }
        case 'stop-database-silent': {
          proxy.stall();
          await stopPoller(current);
          if (await until(sim.clock, start + event.atMs + event.durationMs, options.signal)) {
            interrupted = true;
            break;
          }
          await proxy.up();
          current = await startPoller();
          break;
        }
        case 'poller-restart': {
          await stopPoller(current);
          if (await until(sim.clock, start + event.atMs + event.durationMs, options.signal)) {
            interrupted = true;
            break;
          }
          current = await startPoller();
          break;
        }
      }
      if (interrupted) break;
    }
    if (!interrupted && (await until(sim.clock, end + TAIL_MS, options.signal))) interrupted = true;
    await Promise.all(background);
    await proxy.up();
    if (!interrupted) await current.poller.backfillIdle();
    await outputs?.scrape(current.outputs?.prometheusPort, sim.clock.now());
    await stopPoller(current);
    const stoppedAt = sim.clock.now();
    clearInterval(ticker);
    options.onProgress?.(progress());
    await sim.close();
    tap.close();

    // Checks: straight to the server, not through the relay.
    check = await openDatabase({ url: database.url, maxConnections: 2 });
    const truth = await readTruth(truthFile);
    const checkedUntil = Math.min(end, stoppedAt - TAIL_MS);
    const stored = (
      await check.pool.query<{
        direction: 'normal' | 'reverse';
        slot: Date;
        kwh: number;
        count: number;
        source: string;
      }>('SELECT direction, slot, kwh, count, source FROM energy_interval WHERE meter = $1', [meter])
    ).rows.map((r): StoredSlot => ({ ...r, slot: r.slot.getTime() }));
    const history = checkIntervals(
      truth.slots.filter((s) => s.slot < start),
      stored,
    );
    const window = checkIntervals(
      truth.slots.filter((s) => s.slot >= start && s.slot <= checkedUntil),
      stored,
    );
    const restart = runs.length > 1 ? runs[1]! : undefined;
    const gap = restart
      ? truth.slots.filter((s) => s.slot > (runs[0]!.stopRequestedAt ?? 0) && s.slot < restart.startedAt)
      : [];
    const gapStored = stored.filter((s) => gap.some((g) => g.slot === s.slot));
    const restartGap = gap.length * 2;
    const restartGapFromHistory = gapStored.filter((s) => s.source === 'history').length;

    const powerRows = (
      await check.pool.query<{ time: Date; power_w: number | null }>(
        'SELECT time, power_w FROM power_sample WHERE meter = $1 ORDER BY time',
        [meter],
      )
    ).rows.map((r) => ({ time: r.time.getTime(), powerW: r.power_w }));
    const match = matchSamples(tap.delivered, powerRows);
    const running = (at: number) =>
      runs.some((r) => at >= r.startedAt && at < (r.stopRequestedAt ?? Number.POSITIVE_INFINITY));
    const expected = tap.delivered.filter((d) => running(d.at)).length;
    const missing = match.missing.filter((d) => running(d.at));
    const served = truth.power.length;

    const failures: string[] = [];
    const lost = history.lost.length + window.lost.length;
    const mismatched = history.mismatched.length + window.mismatched.length;
    if (lost > 0) failures.push(`${lost} half-hour values lost`);
    if (mismatched > 0) failures.push(`${mismatched} half-hour values differ from the meter's`);
    if (missing.length > 0) failures.push(`${missing.length} delivered power samples not stored`);
    if (match.unexplained.length > 0)
      failures.push(`${match.unexplained.length} stored power samples the meter never delivered`);
    if (crashes.count > 0) failures.push(`${crashes.count} crashes`);
    if (restartGapFromHistory < restartGap)
      failures.push(
        `${restartGap - restartGapFromHistory} of the restart gap's slot values not from the history`,
      );
    if (interrupted) failures.push('interrupted');
    const outputsReport = await outputs?.report(powerRows.map((r) => r.time));
    for (const d of outputsReport?.deliveries ?? [])
      if (d.lost > 0)
        failures.push(
          `${d.lost} of ${d.read} power samples not delivered to ${d.output} (${d.lostAt.join(' … ')})`,
        );

    return {
      days,
      speed,
      seed,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      interrupted,
      realSeconds: (performance.now() - realStart) / 1000,
      faultSpec,
      events: eventLog,
      faults: {
        repliesDropped: trace.dropped,
        repliesLostNoSession: trace.noSession,
        corruptReplies: tap.counts.corrupt,
        duplicateReplies: tap.counts.duplicates,
        answersToResends: tap.counts.answersToResends,
        failEr10: tap.counts.failEr10,
        dongleReboots: trace.reboots,
        sessionStates,
      },
      samples: {
        served,
        unobtainable: served - expected,
        lostOnTheWay: served - tap.delivered.length - tap.counts.answersToResends,
        secondAnswers: tap.counts.answersToResends,
        withoutPoller: tap.delivered.length - expected,
        expected,
        stored: powerRows.length,
        matched: expected - missing.length,
        missing: missing.length,
        missingAt: missing.slice(0, 10).map((d) => `${new Date(d.at).toISOString()} (TID ${d.tid})`),
        unexplained: match.unexplained.length,
      },
      intervals: {
        window: window.expected,
        history: history.expected,
        lost,
        mismatched,
        problems: [...history.lost, ...window.lost, ...history.mismatched, ...window.mismatched].slice(0, 20),
        bySource: mergeCounts(history.bySource, window.bySource),
        restartGap,
        restartGapFromHistory,
      },
      poller: {
        runs: runs.length,
        polls: sum(runs, (r) => r.poller.meterPoller?.stats.polls ?? 0),
        pollFailures: sum(runs, (r) => r.poller.meterPoller?.stats.failures ?? 0),
        notifications: sum(runs, (r) => r.poller.stats.notifications),
        backfillRows: sum(runs, (r) => r.poller.stats.backfillRows),
        rowsWritten: sum(runs, (r) => r.store.writer?.stats.written ?? 0),
        rowsSpooled: sum(runs, (r) => r.store.writer?.stats.spooled ?? 0),
        stalledConnectionsCut: sum(runs, (r) => r.store.stalledConnectionsCut),
        spoolFailures: sum(runs, (r) => r.store.writer?.stats.spoolFailures ?? 0),
        warnings: logCounts.warn,
        errors: logCounts.error,
      },
      crashes: { count: crashes.count, messages: [...crashes.messages] },
      outputs: outputsReport,
      memory: {
        peakRssMb: mb(Math.max(peakRss, process.memoryUsage.rss())),
        startRssMb: mb(startRss),
        endRssMb: mb(process.memoryUsage.rss()),
      },
      ok: failures.length === 0,
      failures,
    };
  } finally {
    clearInterval(rssSampler);
    for (const run of runs) await run.stop().catch(() => undefined);
    await check?.close().catch(() => undefined);
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
    crashes.uninstall();
  }
}

/** Resolves false once the simulated clock reaches `at`, true if `signal` aborts first. */
function until(clock: SimClock, at: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    if (clock.now() >= at) return resolve(false);
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      resolve(true);
    };
    const timer = clock.setTimeoutAt(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, at);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Counts warnings and errors on their way to `inner` (children included). */
function countingLogger(
  inner: PollerLogger | undefined,
  counts: { warn: number; error: number },
): PollerLogger {
  const make = (l: PollerLogger | undefined): PollerLogger => ({
    debug: (obj: object, msg?: string) => l?.debug(obj, msg),
    info: (obj: object, msg?: string) => l?.info(obj, msg),
    warn: (obj: object, msg?: string) => {
      counts.warn++;
      l?.warn(obj, msg);
    },
    error: (obj: object, msg?: string) => {
      counts.error++;
      l?.error(obj, msg);
    },
    child: (bindings: Record<string, unknown>) => make(l?.child ? l.child(bindings) : l),
  });
  return make(inner);
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((n, item) => n + f(item), 0);
}

function mergeCounts(...parts: Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

const BROKER_OUTAGE_MS = 2 * 3_600_000;

/**
 * Where in the run (ms from its start) the broker outage goes: the first of a few places, latest
 * first, that keeps 30 minutes clear of every fault of the plan longer than a dongle glitch (the
 * meter out of reach, the database away, the poller stopped, an unplug of 20 minutes or more), so that readings are taken, and
 * must wait in the MQTT outbox, all through it.
 */
export function brokerOutageAt(plan: readonly SoakEvent[], totalMs: number, durationMs: number): number {
  const margin = 30 * MIN;
  const long = plan.filter((e) => e.durationMs >= 20 * MIN);
  for (const fraction of [0.875, 0.8, 0.5, 0.2, 0.1, 0.05]) {
    const at = Math.round((totalMs * fraction) / MIN) * MIN;
    if (at + durationMs > totalMs - margin) continue;
    if (long.every((e) => at + durationMs + margin <= e.atMs || e.atMs + e.durationMs + margin <= at))
      return at;
  }
  throw new Error('no place in the soak plan for a two-hour broker outage clear of the other faults');
}
