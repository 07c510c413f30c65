import { type DongleModel, MemoryPanCacheStore, MeterClient } from '@b-route/echonet';
import { SimDriver } from './sim-driver.js';

/** One benchmark figure. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface BenchOptions {
  /** Dongle model simulated. Default `bp35c2`. */
  readonly model?: DongleModel;
  /** Polls measured for frames per poll. Default 20. */
  readonly polls?: number;
  /** Simulated minutes of back-to-back polling for the sustained rate. Default 10. */
  readonly sustainMinutes?: number;
}

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';

/**
 * Benchmarks the client against the simulator with its realistic timings (scan slots of
 * 9.6 ms × (2^n + 1) per channel, PANA exchanges, meter replies 0.5–2.5 s after the request),
 * measured in SIMULATED time: the simulator's clock is stepped from timer to timer, so the
 * figures are what a real installation with those timings would see, independent of the
 * machine, and the run takes about a second. Reports:
 * - time to the first reading from a cold start (reset, scan 6, join, Get) and a warm start
 *   (cached PAN: no scan), simulated seconds;
 * - frames sent per poll of E7 + E8 + E0 + E3 (the target is 1);
 * - readings per minute sustained by back-to-back polls of those four properties, and the
 *   frames per minute that takes (the client keeps ≥ 1 s between frames).
 */
export async function benchClient(options: BenchOptions = {}): Promise<BenchResult[]> {
  const model = options.model ?? 'bp35c2';
  const start = Date.UTC(2026, 4, 20, 3, 0, 0);
  const d = new SimDriver({ model, rbid: RBID, password: PASSWORD, seed: 1, start });
  const panCache = new MemoryPanCacheStore();
  const make = () =>
    new MeterClient({ rbid: RBID, password: PASSWORD, device: d.device, clock: d.clock, panCache });
  const poll = (c: MeterClient) =>
    Promise.all([
      c.getInstantaneousPower(),
      c.getInstantaneousCurrent(),
      c.getCumulativeEnergy(),
      c.getCumulativeEnergy({ reverse: true }),
    ]);
  const firstReading = async (c: MeterClient) => {
    const t0 = d.clock.now();
    await d.run(c.open().then(() => c.getInstantaneousPower()));
    return (d.clock.now() - t0) / 1000;
  };
  const results: BenchResult[] = [];
  try {
    const cold = make();
    const coldS = await firstReading(cold);
    await d.run(cold.close());
    const warm = make();
    const warmS = await firstReading(warm);
    results.push(
      { name: `client.first-reading.cold-start (${model}, simulated)`, value: round(coldS, 2), unit: 's' },
      { name: `client.first-reading.warm-start (${model}, simulated)`, value: round(warmS, 2), unit: 's' },
    );

    const polls = options.polls ?? 20;
    await d.run(poll(warm)); // D3/E1 known from here on
    const before = warm.stats.framesSent;
    for (let i = 0; i < polls; i++) {
      await d.run(poll(warm));
      await d.idle(10_000);
    }
    results.push({
      name: 'client.frames-per-poll (E7+E8+E0+E3)',
      value: round((warm.stats.framesSent - before) / polls, 3),
      unit: 'frames',
    });

    const minutes = options.sustainMinutes ?? 10;
    const t0 = d.clock.now();
    const f0 = warm.stats.framesSent;
    let readings = 0;
    while (d.clock.now() - t0 < minutes * 60_000) {
      readings += (await d.run(poll(warm))).length;
    }
    const elapsedMin = (d.clock.now() - t0) / 60_000;
    results.push(
      {
        name: 'client.readings-per-minute (sustained, simulated)',
        value: round(readings / elapsedMin, 1),
        unit: 'readings/min',
      },
      {
        name: 'client.frames-per-minute (sustained, simulated)',
        value: round((warm.stats.framesSent - f0) / elapsedMin, 1),
        unit: 'frames/min',
      },
    );
    await d.run(warm.close());
  } finally {
    await d.close();
  }
  return results;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
