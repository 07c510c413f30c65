/**
 * What the poller costs a small machine: CPU time and resident memory per SIMULATED hour of
 * polling at the default schedule (E7+E8 every 30 s, E0+E3 every 5 min, D3/D7/E1 hourly, EA/EB
 * notifications every half hour), writing to a real PostgreSQL. The simulated installation runs
 * in this process on an accelerated clock, so six simulated hours take a few real seconds; the
 * CPU figure therefore includes the simulator's share (meter model, virtual dongle) and the pg
 * client, but not the PostgreSQL server. The 45-day backfill at start is measured apart.
 */
import { performance } from 'node:perf_hooks';
import { createTestDatabase } from '@b-route/store/testing';
import { createPoller } from '../create-poller.js';
import { createSimulation } from '../simulate.js';

export interface PollerBenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface PollerBenchOptions {
  /** Simulated hours measured after the start-up backfill. Default 6. */
  readonly simulatedHours?: number;
  /** Simulated ms per real ms. Default 3600 (an hour per real second). */
  readonly speed?: number;
  /** Where rows go; default a fresh database on the shared test PostgreSQL. */
  readonly database?: () => Promise<{ readonly url: string; close(): Promise<void> }>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export async function benchPoller(options: PollerBenchOptions = {}): Promise<PollerBenchResult[]> {
  const hours = options.simulatedHours ?? 6;
  const speed = options.speed ?? 3600;
  const database = await (options.database ?? createTestDatabase)();
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const spoolDir = await mkdtemp(join(tmpdir(), 'poller-bench-'));
  const sim = createSimulation({ speed, seed: 1, start: Date.UTC(2026, 4, 20, 0, 10, 0) });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 25);
  try {
    const app = await createPoller({
      client: sim.client,
      clock: sim.clock,
      logger: quiet,
      store: { target: { url: database.url }, spool: { dir: spoolDir } },
    });
    const { poller, store } = app;

    const cpuStart = process.cpuUsage();
    const realStart = performance.now();
    poller.start();
    await poller.whenIdentified();
    await poller.backfillIdle();
    const startup = process.cpuUsage(cpuStart);
    const startupRows = poller.stats.backfillRows;

    // Count from midway between two 30 s boundaries, where no poll is in flight.
    const sim0 = Math.ceil(sim.clock.now() / 30_000) * 30_000 + 15_000;
    await new Promise<void>((resolve) => sim.clock.setTimeoutAt(() => resolve(), sim0));
    const cpu0 = process.cpuUsage();
    const frames0 = sim.client.stats.framesSent;
    const polls0 = poller.meterPoller!.stats.rows;
    const pollsDone0 = poller.meterPoller!.stats.polls;
    const written0 = store.writer?.stats.written ?? 0;
    await new Promise<void>((resolve) => sim.clock.setTimeoutAt(() => resolve(), sim0 + hours * 3600_000));
    await store.sink.flush();
    const cpu = process.cpuUsage(cpu0);
    const simulated = (sim.clock.now() - sim0) / 3600_000;
    const frames = sim.client.stats.framesSent - frames0;
    const rows = (store.writer?.stats.written ?? 0) - written0;
    const pollRows = poller.meterPoller!.stats.rows - polls0;
    const polls = poller.meterPoller!.stats.polls - pollsDone0;
    await app.stop();
    const real = (performance.now() - realStart) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());

    const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
    return [
      {
        name: 'poller.cpu_per_simulated_hour',
        value: round((cpu.user + cpu.system) / 1000 / simulated),
        unit: 'ms CPU per simulated hour (incl. in-process simulator)',
      },
      { name: 'poller.peak_rss', value: round(peakRss / 1024 / 1024), unit: 'MB' },
      { name: 'poller.frames_per_simulated_hour', value: round(frames / simulated), unit: 'frames' },
      {
        name: 'poller.polls_per_simulated_hour',
        value: round(polls / simulated),
        unit: 'polls',
      },
      { name: 'poller.rows_per_simulated_hour', value: round(rows / simulated), unit: 'rows' },
      { name: 'poller.meter_rows_per_simulated_hour', value: round(pollRows / simulated), unit: 'rows' },
      {
        name: 'poller.startup_backfill_cpu',
        value: round((startup.user + startup.system) / 1000),
        unit: `ms CPU (45 days, ${startupRows} rows)`,
      },
      { name: 'poller.bench_real_time', value: round(real), unit: `s for ${hours} simulated hours` },
    ];
  } finally {
    clearInterval(sampler);
    await sim.close();
    await database.close();
    await rm(spoolDir, { recursive: true, force: true });
  }
}
