/**
 * `pnpm bench`: every benchmark figure of the project in one markdown table on stdout
 * (progress on stderr), ready to paste into the README:
 * - client (`benchClient`): time to the first reading cold and warm, frames per poll, readings
 *   per minute — in simulated time, against the simulator's timings;
 * - decode: transcript decoder throughput;
 * - poller (`benchPoller`): CPU time and resident memory per simulated hour at the default schedule;
 * - poller-process (`benchPollerProcess`): the compiled poller as a user starts it, in its own
 *   process against the simulator's own process over TCP, in real time: first stored reading
 *   cold and with a cached PAN, CPU per meter request and per hour, steady and peak RSS
 *   (BENCH_POLLER_WINDOW_S sets the steady window, default 300 s);
 * - graph (`benchGraph`): query and render of a day, a month and a year of 10-second data;
 * - legacy (`benchLegacyImport`): import-legacy of a year of the original power-consumption's rows.
 * Each section runs in a process of its own (bench/run-section.ts), so memory figures are its
 * own. The poller and graph benchmarks use scratch databases on the shared test PostgreSQL
 * (data/test-postgres). A section that fails is reported in the table and makes the exit
 * status 1.
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { noteFor } from './bench/notes.js';
import { type BenchRow, markdownTable } from './bench/table.js';
import { formatDuration } from './lib/args.js';

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const SECTIONS = ['client', 'decode', 'poller', 'poller-process', 'graph', 'legacy'] as const;
const RUN_SECTION = join(dirname(fileURLToPath(import.meta.url)), 'bench', 'run-section.ts');

/** Runs one section in a child process; rejects with its error output when it fails. */
function runSection(section: string): Promise<Figure[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=b-route-source', '--import', 'tsx', RUN_SECTION, section],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('[')) resolve(JSON.parse(last) as Figure[]);
      else reject(new Error(err.trim() || `exit status ${code}`));
    });
  });
}

async function main(): Promise<number> {
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  const t0 = performance.now();
  for (const section of SECTIONS) {
    process.stderr.write(`bench: ${section} …`);
    const start = performance.now();
    try {
      const figures = await runSection(section);
      if (figures.length === 0) throw new Error('no figures');
      for (const f of figures)
        rows.push({ figure: f.name, value: f.value, unit: f.unit, notes: noteFor(f.name) });
      process.stderr.write(` ${formatDuration((performance.now() - start) / 1000)}\n`);
    } catch (e) {
      failed.push(section);
      const message = (e as Error)?.message?.split('\n')[0] ?? String(e);
      rows.push({ figure: `${section} (benchmark failed)`, value: 'FAILED', unit: '', notes: message });
      process.stderr.write(` FAILED\n${(e as Error)?.message ?? String(e)}\n`);
    }
  }
  const cpu = cpus();
  const date = new Date().toISOString().slice(0, 10);
  process.stdout.write(
    `Benchmarks of ${date}: ${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL 17 (embedded, fsync off); ` +
      `${formatDuration((performance.now() - t0) / 1000)} in all.\n\n${markdownTable(rows)}\n`,
  );
  if (failed.length > 0) {
    process.stderr.write(`bench: FAILED: ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

const code = await main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
  return 1;
});
process.exitCode = code;
setTimeout(() => process.exit(code), 1000).unref();
