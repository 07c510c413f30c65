/**
 * The poller as a user starts it: `node packages/poller/dist/cli/main.js --config …` in a process
 * of its own (the compiled JavaScript, no tsx), a simulated BP35A1 served over TCP by the
 * simulator's own process at real-time speed, and a real PostgreSQL. Measured from outside, as
 * `ps` or `top` would: CPU time from /proc/<pid>/stat, resident memory from /proc/<pid>/status.
 *
 * Figures:
 * - time from spawn to the first power sample in the database, cold (no PAN cached: scan, join)
 *   and warm (a second start with the PAN cache the first one wrote: join only);
 * - CPU per meter request and per hour over a steady window at the default schedule, after the
 *   45-day history backfill, whose CPU is reported apart;
 * - resident memory: median over the steady window, and the peak (VmHWM) of the whole run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openDatabase, startEmbedded, stopEmbedded } from '@b-route/store';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const POLLER_MAIN = join(ROOT, 'packages/poller/dist/cli/main.js');
const SIMULATOR_MAIN = join(ROOT, 'packages/simulator/dist/cli/main.js');
const RBID = '00112233445566778899AABBCCDDEEFF';
const PASSWORD = '0123456789AB';
/** Kernel clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
const TICKS_PER_S = 100;

export interface PollerProcessBenchOptions {
  /** Real seconds of steady polling measured after the backfill. Default 300 (ten 30 s polls). */
  readonly windowS?: number;
  /** Port of the scratch PostgreSQL. Default: a free one. */
  readonly port?: number;
  readonly model?: string;
  /** Keep the scratch directory (poller logs: cold.log, warm.log) instead of removing it. */
  readonly keep?: boolean;
}

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export async function benchPollerProcess(options: PollerProcessBenchOptions = {}): Promise<Figure[]> {
  const windowS = options.windowS ?? 300;
  const work = await mkdtemp(join(tmpdir(), 'poller-process-bench-'));
  // The embedded server runs as the postgres account when we are root; it must reach the cluster.
  await chmod(work, 0o755);
  const pgDir = join(work, 'postgres');
  const server = await startEmbedded({ dir: pgDir, port: options.port ?? (await freePort()) });
  const children: ChildProcess[] = [];
  try {
    const db = await openDatabase({ url: server.url, maxConnections: 1 });
    const simulator = spawn(
      process.execPath,
      [
        SIMULATOR_MAIN,
        '--model',
        options.model ?? 'bp35a1',
        '--tcp',
        '0',
        '--rbid',
        RBID,
        '--password',
        PASSWORD,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(simulator);
    const device = await lineMatching(simulator, /listening on (tcp:\/\/\S+)/);
    const config = join(work, 'power_consumption.ini');
    await writeFile(
      config,
      [
        '[routeB]',
        `device = ${device}`,
        `id = ${RBID}`,
        `password = ${PASSWORD}`,
        '[database]',
        `url = ${server.url}`,
        `data_dir = ${join(work, 'data')}`,
        '[log]',
        'level = info',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );

    const firstSample = async (after: Date): Promise<void> => {
      for (;;) {
        const { rows } = await db.pool
          .query('SELECT 1 FROM power_sample WHERE time > $1 LIMIT 1', [after])
          .catch(() => ({ rows: [] }));
        if (rows.length > 0) return;
        await delay(100);
      }
    };

    // Cold: nothing cached, the database empty (the poller migrates it).
    const coldStart = new Date();
    const t0 = performance.now();
    const cold = startPoller(config, work, 'cold.log');
    children.push(cold.proc);
    await firstSample(coldStart);
    const coldS = (performance.now() - t0) / 1000;
    await cold.logLine(/history filled/);
    const backfillCpuS = cpuSeconds(cold.proc.pid!);

    // Steady window at the default schedule.
    const cpu0 = cpuSeconds(cold.proc.pid!);
    const from = new Date();
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(residentBytes(cold.proc.pid!)), 1000);
    await delay(windowS * 1000);
    clearInterval(sampler);
    const cpuWindow = cpuSeconds(cold.proc.pid!) - cpu0;
    const peak = peakResidentBytes(cold.proc.pid!);
    const to = new Date();
    const { rows } = await db.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM power_sample WHERE time >= $1 AND time < $2',
      [from, to],
    );
    const requests = Number(rows[0]!.n);
    await stop(cold.proc);

    // Warm: the PAN cache of the first start, the schema in place.
    const warmStart = new Date();
    const t1 = performance.now();
    const warm = startPoller(config, work, 'warm.log');
    children.push(warm.proc);
    await firstSample(warmStart);
    const warmS = (performance.now() - t1) / 1000;
    await stop(warm.proc);
    await db.close();

    const median = [...rss].sort((a, b) => a - b)[Math.floor(rss.length / 2)] ?? 0;
    const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
    const mib = (bytes: number) => round(bytes / 2 ** 20);
    return [
      { name: 'poller-process.first_reading.cold', value: round(coldS, 2), unit: 's' },
      { name: 'poller-process.first_reading.cached_pan', value: round(warmS, 2), unit: 's' },
      { name: 'poller-process.cpu_per_request', value: round((cpuWindow * 1000) / requests, 2), unit: 'ms' },
      { name: 'poller-process.cpu_per_hour', value: round(cpuWindow * (3600 / windowS)), unit: 's' },
      { name: 'poller-process.requests_in_window', value: requests, unit: `in ${windowS} s` },
      { name: 'poller-process.startup_cpu', value: round(backfillCpuS, 2), unit: 's' },
      { name: 'poller-process.rss_steady', value: mib(median), unit: 'MiB' },
      { name: 'poller-process.rss_peak', value: mib(peak), unit: 'MiB' },
    ];
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stopEmbedded({ dir: pgDir }).catch(() => undefined);
    if (options.keep) process.stderr.write(`poller-process: logs kept in ${work}\n`);
    else await rm(work, { recursive: true, force: true });
  }
}

function startPoller(config: string, cwd: string, logName: string) {
  const proc = spawn(process.execPath, [POLLER_MAIN, '--config', config], {
    cwd,
    // As a user starts it: no source condition, no tsx, secrets from the file.
    env: { PATH: process.env.PATH ?? '', HOME: cwd },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = createWriteStream(join(cwd, logName));
  proc.stderr!.pipe(log);
  return { proc, logLine: (re: RegExp) => lineMatching(proc, re, 'stderr') };
}

/** Resolves with the first capture group of the first output line matching `re`. */
function lineMatching(
  proc: ChildProcess,
  re: RegExp,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((done, fail) => {
    let buffered = '';
    const source = proc[stream]!;
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = re.exec(line);
        if (m) {
          source.off('data', onData);
          proc.off('exit', onExit);
          done(m[1] ?? m[0]);
          return;
        }
      }
    };
    const onExit = (code: number | null): void => fail(new Error(`process exited (${code}) before ${re}`));
    source.on('data', onData);
    proc.once('exit', onExit);
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  proc.kill('SIGTERM');
  await exited;
}

/** utime + stime of `pid`, seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

function residentBytes(pid: number): number {
  return statusKb(pid, 'VmRSS') * 1024;
}

function peakResidentBytes(pid: number): number {
  return statusKb(pid, 'VmHWM') * 1024;
}

function statusKb(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** A TCP port nothing listens on now (the kernel's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

const delay = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
