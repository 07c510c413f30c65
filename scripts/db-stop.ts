/**
 * `pnpm db:stop`: stops the embedded PostgreSQL under ./data/postgres (the poller and the graph
 * commands leave it running for each other). Says whether it was running.
 */
import { stopEmbedded } from '@b-route/store';

const dir = process.argv[2] ?? 'data/postgres';
const wasRunning = await stopEmbedded({ dir });
process.stdout.write(
  wasRunning ? `stopped the embedded PostgreSQL in ${dir}\n` : `no embedded PostgreSQL running in ${dir}\n`,
);
