/**
 * vitest globalSetup: holds the shared test PostgreSQL (see `test-db.ts`) for the whole run, so
 * test files reuse one server and it is stopped once, when the run ends.
 */
import { acquireTestServer, releaseTestServer } from './test-db.js';

export async function setup(): Promise<() => Promise<void>> {
  await acquireTestServer();
  return releaseTestServer;
}
