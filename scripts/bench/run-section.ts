/**
 * `tsx scripts/bench/run-section.ts <client|decode|poller|graph|legacy>`: one benchmark section in a
 * process of its own (spawned by scripts/bench.ts), so that each starts cold and its memory
 * figures carry nothing of another section. Prints the figures as one JSON array on stdout; a
 * throw exits 1 with the stack on stderr.
 */

type Figures = readonly { readonly name: string; readonly value: number; readonly unit: string }[];

async function run(section: string): Promise<Figures> {
  switch (section) {
    case 'client':
      return (await import('@b-route/simulator/testing')).benchClient();
    case 'decode':
      return (await import('./decode-bench.js')).benchDecode();
    case 'poller':
      return (await import('@b-route/poller/testing')).benchPoller();
    case 'poller-process':
      return (await import('./poller-process.js')).benchPollerProcess({
        ...(process.env.BENCH_POLLER_WINDOW_S ? { windowS: Number(process.env.BENCH_POLLER_WINDOW_S) } : {}),
        keep: process.env.BENCH_KEEP === '1',
      });
    case 'graph':
      return (await import('@b-route/graph/testing')).benchGraph();
    case 'legacy':
      return (await import('./legacy-bench.js')).benchLegacyImport();
    default:
      throw new Error(`unknown benchmark section "${section}"`);
  }
}

try {
  const figures = await run(process.argv[2] ?? '');
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exitCode = 0;
} catch (e) {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
}
// Pools and servers are closed by the benchmarks; a handle left open must not hold the run.
setTimeout(() => process.exit(), 500).unref();
