/**
 * `pnpm demo [--speed N] [--seed N] [--date YYYY-MM-DD] [--hours N] [--data-dir DIR] [--charts-dir DIR]`
 * A simulated day polled into the embedded PostgreSQL and drawn (see demo/run-demo.ts).
 * Ctrl-C stops the simulation cleanly (rows flushed, no charts) and exits 130.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatJstDateTime } from '@b-route/core';
import { type DemoReport, runDemo } from './demo/run-demo.js';
import { ArgError, formatDuration, positiveNumber } from './lib/args.js';
import { createProgress } from './lib/progress.js';
import { onStopSignal } from './lib/stop-signal.js';

const USAGE = `Usage: pnpm demo [options]

Runs the simulated meter, dongle and sensors at high speed from 00:00 JST, polls a whole day
(backfilling the meter's 45 days of history) into the embedded PostgreSQL, then draws the day's
power and temperature charts.

  --speed N           simulated seconds per real second (default 600: a day in ~2.5 min)
  --seed N            simulated household (default 1)
  --date YYYY-MM-DD   the JST day to simulate (default today)
  --hours N           simulated hours from 00:00 (default 24)
  --data-dir DIR      embedded PostgreSQL, spool and demo.log (default ./data)
  --charts-dir DIR    where the PNGs go (default ./charts)
  --no-solar          no rooftop solar (default 4 kW, so the chart shows selling)
  -h, --help`;

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        speed: { type: 'string' },
        seed: { type: 'string' },
        date: { type: 'string' },
        hours: { type: 'string' },
        'data-dir': { type: 'string' },
        'charts-dir': { type: 'string' },
        'no-solar': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      args: process.argv.slice(2).filter((a) => a !== '--'),
    }));
  } catch (e) {
    process.stderr.write(`demo: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let speed: number;
  let seed: number;
  let hours: number;
  try {
    speed = positiveNumber(values.speed, 600, '--speed');
    seed = positiveNumber(values.seed, 1, '--seed');
    hours = positiveNumber(values.hours, 24, '--hours');
  } catch (e) {
    if (!(e instanceof ArgError)) throw e;
    process.stderr.write(`demo: ${e.message}\n`);
    return 2;
  }
  const dataDir = resolve(String(values['data-dir'] ?? 'data'));
  const chartsDir = resolve(String(values['charts-dir'] ?? 'charts'));

  const progress = createProgress();
  const abort = new AbortController();
  onStopSignal(() => {
    progress.log('stopping: flushing the rows (Ctrl-C again to quit at once)');
    abort.abort();
  });

  progress.log(
    `Simulating ${hours} h from 00:00 JST at ${speed}× (about ${formatDuration((hours * 3600) / speed)}): ` +
      'meter, Wi-SUN dongle, CPU, MH-Z19 and BME280 → poller → PostgreSQL',
  );
  const report = await runDemo({
    dataDir,
    chartsDir,
    speed,
    seed,
    hours,
    ...(typeof values.date === 'string' ? { day: values.date } : {}),
    ...(values['no-solar'] ? { solarW: 0 } : {}),
    signal: abort.signal,
    onProgress: (p) => {
      const pct = Math.floor((100 * (p.simNow - p.from)) / (p.to - p.from));
      progress.update(
        `${formatJstDateTime(p.simNow)} JST  ${String(pct).padStart(3)}%  polls ${p.polls}  ` +
          `rows ${p.rowsWritten}  history slots ${p.backfilledSlots}  ${formatDuration(p.realSeconds)}`,
      );
    },
  });
  progress.done();
  for (const line of summary(report)) process.stdout.write(`${line}\n`);
  if (report.interrupted) return 130;
  return report.chartErrors.length > 0 ? 1 : 0;
}

function summary(r: DemoReport): string[] {
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const kwh = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)} kWh`);
  const lines = [
    `${r.interrupted ? 'Interrupted after' : 'Simulated'} ${r.simulatedHours.toFixed(1)} h of ${r.day} in ` +
      `${formatDuration(r.realSeconds)} at ${r.speed}×: ${r.polls} polls (${r.pollFailures} failed), ` +
      (r.backfilledSlots > 0
        ? `${r.backfilledSlots} half-hour values backfilled from the meter's history.`
        : "the meter's history was already stored."),
    `Stored for ${r.day} (meter ${r.meter}, ${r.database}):`,
  ];
  const width = Math.max(...Object.keys(r.tables).map((t) => t.length));
  for (const [table, n] of Object.entries(r.tables))
    lines.push(`  ${table.padEnd(width)}  ${String(n).padStart(6)}`);
  lines.push(`  + ${r.historySlots} half-hour slots of the meter's earlier history (energy_interval)`);
  lines.push(`Energy on ${r.day}: bought ${kwh(r.boughtKwh)}, sold ${kwh(r.soldKwh)}`);
  if (r.charts.power || r.charts.temp) {
    lines.push('Charts:');
    for (const p of [r.charts.power, r.charts.temp]) if (p) lines.push(`  ${rel(p)}`);
  }
  for (const e of r.chartErrors) lines.push(`Chart failed: ${e}`);
  lines.push(`Poller log: ${rel(r.logFile)} (${r.warnings} warnings)`);
  if (r.stopsServer)
    lines.push(
      'The embedded PostgreSQL the demo started is stopped again; the poller and graph commands start it.',
    );
  return lines;
}

const code = await main().catch((e: unknown) => {
  // The store's and the graph's errors say what is wrong (port taken, directory not writable).
  const known = typeof (e as { code?: unknown })?.code === 'string' && e instanceof Error;
  process.stderr.write(`demo: ${known ? e.message : ((e as Error)?.stack ?? String(e))}\n`);
  return 1;
});
process.exitCode = code;
// The embedded PostgreSQL keeps running on purpose (see packages/poller/src/store/embedded.ts);
// a handle some library left open must not keep the demo alive.
setTimeout(() => process.exit(code), 1000).unref();
