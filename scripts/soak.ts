/**
 * `pnpm soak [--days N] [--speed N] [--seed N] [--keep]`: days of simulated polling through every
 * fault, on a scratch database of the embedded PostgreSQL (see soak/run-soak.ts). Exit status 1
 * when a half-hour value was lost or differs from the meter's, a delivered sample was not
 * stored, or anything crashed; 2 for bad options; 130 when interrupted.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatJstDateTime } from '@b-route/core';
import { createLogger } from '@b-route/poller';
import { ArgError, formatDuration, positiveNumber } from './lib/args.js';
import { createProgress } from './lib/progress.js';
import { onStopSignal } from './lib/stop-signal.js';
import { formatSoakReport } from './soak/format-report.js';
import { runSoak, SOAK_DEFAULT_SPEED } from './soak/run-soak.js';
import { embeddedScratchDatabase } from './soak/scratch-db.js';

const USAGE = `Usage: pnpm soak [options]

Polls the simulated meter for days at high speed through every fault the simulator has (lost,
corrupt and duplicated replies, FAIL ER10, re-authentications, dongle resets and unplugs, the
meter out of reach for hours, the database down for an hour, a poller restart) into a scratch
database of the embedded PostgreSQL, then checks every sample and half hour against the meter's
ground truth. Exits 1 if any half-hour value was lost.

  --days N        simulated days (default 7)
  --speed N       simulated seconds per real second (default ${SOAK_DEFAULT_SPEED}: a day a minute)
  --seed N        household, radio and fault dice (default 1)
  --keep          keep the scratch database soak_<pid> and the work directory
  --data-dir DIR  the embedded PostgreSQL's data directory (default ./data)
  --port N        its port (default 54329)
  -h, --help`;

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let days: number;
  let speed: number;
  let seed: number;
  let port: number | undefined;
  try {
    ({ values } = parseArgs({
      options: {
        days: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        keep: { type: 'boolean' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      args: process.argv.slice(2).filter((a) => a !== '--'),
    }));
    days = positiveNumber(values.days, 7, '--days');
    if (days < 0.5) throw new ArgError(`--days must be at least 0.5, got ${days}`);
    speed = positiveNumber(values.speed, SOAK_DEFAULT_SPEED, '--speed');
    seed = values.seed === undefined ? 1 : positiveNumber(values.seed, 1, '--seed');
    port = values.port === undefined ? undefined : positiveNumber(values.port, 0, '--port');
  } catch (e) {
    process.stderr.write(`soak: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dataDir = resolve(String(values['data-dir'] ?? 'data'));
  const keep = values.keep === true;
  const workDir = join(dataDir, `soak-${process.pid}`);
  await mkdir(workDir, { recursive: true });
  const logFile = join(workDir, 'poller.log');
  const logStream = createWriteStream(logFile, { flags: 'w' });

  const progress = createProgress();
  const abort = new AbortController();
  onStopSignal(() => {
    progress.log('stopping: checking what was stored so far (Ctrl-C again to quit at once)');
    abort.abort();
  });

  progress.log(
    `Soaking ${days} simulated days at ${speed}× (about ${formatDuration((days * 86_400) / speed)}), ` +
      `database soak_${process.pid} on the embedded PostgreSQL in ${relative(process.cwd(), dataDir) || '.'}`,
  );
  const report = await runSoak({
    days,
    speed,
    seed,
    workDir,
    database: () =>
      embeddedScratchDatabase({
        dir: join(dataDir, 'postgres'),
        keep,
        ...(port === undefined ? {} : { port }),
      }),
    logger: createLogger({ level: 'info', stream: logStream, pretty: false }),
    signal: abort.signal,
    onProgress: (p) => {
      const pct = Math.floor((100 * (p.simNow - p.start)) / (p.end - p.start));
      progress.update(
        `${formatJstDateTime(p.simNow)} JST ${String(pct).padStart(3)}%  polls ${p.polls}  rows ${p.rowsWritten}  ` +
          `events ${p.eventsDone}/${p.events}${p.lastEvent ? ` (${p.lastEvent})` : ''}  crashes ${p.crashes}  ` +
          `RSS ${Math.round(p.rssMb)} MB  ${formatDuration(p.realSeconds)}`,
      );
    },
  });
  progress.done();
  await new Promise<void>((done) => logStream.end(() => done()));
  for (const line of formatSoakReport(report)) process.stdout.write(`${line}\n`);
  if (keep) process.stdout.write(`Kept: database soak_${process.pid}, ${relative(process.cwd(), workDir)}\n`);
  else if (report.ok) await rm(workDir, { recursive: true, force: true });
  else process.stdout.write(`Poller log: ${relative(process.cwd(), logFile)}\n`);
  if (report.interrupted) return 130;
  return report.ok ? 0 : 1;
}

const code = await main().catch((e: unknown) => {
  // The store's errors say what is wrong (port taken, directory not writable).
  const known = typeof (e as { code?: unknown })?.code === 'string' && e instanceof Error;
  process.stderr.write(`soak: ${known ? e.message : ((e as Error)?.stack ?? String(e))}\n`);
  return 1;
});
process.exitCode = code;
// The embedded PostgreSQL keeps running on purpose; a handle some library left open must not
// keep the soak alive.
setTimeout(() => process.exit(code), 1000).unref();
