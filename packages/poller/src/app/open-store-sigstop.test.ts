/**
 * A stop while the database is silent, on a real PostgreSQL whose processes are stopped with
 * SIGSTOP (issue 14, item 1): every row not stored must be in the spool after close, and stay
 * there once the connections are cut and the pool destroyed (the in-flight batch then fails
 * with "driver has already been destroyed", which is not the database rejecting a row).
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimClock } from '@b-route/simulator';
import type { RowKind, StoreRows } from '@b-route/store';
import { type EmbeddedServer, Spool, startEmbedded, stopEmbedded } from '@b-route/store';
import { powerRow } from '@b-route/store/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterSchedule } from './meter-poller.js';
import { openStore } from './open-store.js';
import { Poller } from './poller.js';
import { createSimulation } from './simulate.js';
import { memoryLogger } from './testing/rig.js';

const METER = '001C6400601421A3';
const T0 = Date.UTC(2026, 4, 20, 0, 0, 0);
const power = (s: number, w: number) => powerRow(METER, T0, s, w);

// A cluster of its own: stopping the shared test server would stall every other test file.
let root: string;
let dir: string;
let server: EmbeddedServer;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** The postmaster and every backend and helper process of the cluster. */
async function clusterPids(): Promise<number[]> {
  const postmaster = Number((await readFile(join(dir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
  return [postmaster, ...children];
}

async function signalCluster(signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
  for (const pid of await clusterPids()) {
    try {
      process.kill(pid, signal);
    } catch {
      // a backend that ended meanwhile
    }
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sigstop-'));
  await chmod(root, 0o755); // the server's own account must be able to enter it when we are root
  dir = join(root, 'postgres');
  server = await startEmbedded({
    dir,
    port: await freePort(),
    database: 'power',
    settings: { fsync: 'off' },
  });
});

afterAll(async () => {
  await signalCluster('SIGCONT').catch(() => undefined);
  await stopEmbedded({ dir }).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function storedPower(): Promise<number[]> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    return (await c.query('SELECT power_w FROM power_sample ORDER BY time')).rows.map((r) => r.power_w);
  } finally {
    await c.end();
  }
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

describe('openStore on a PostgreSQL stopped with SIGSTOP', () => {
  it('keeps every row in the spool through close, while a replay and a write hang', async () => {
    const clock = new SimClock({ speed: 1 });
    const logger = memoryLogger();
    const spoolDir = join(root, 'spool');
    const store = await openStore({
      target: { url: server.url },
      spool: { dir: spoolDir },
      clock,
      logger,
      stallAfterMs: 300,
      writer: { closeDeadlineMs: 500, retryIntervalMs: 60_000 },
    });
    try {
      store.sink.add('power_sample', power(0, 1));
      expect(await store.sink.flush()).toMatchObject({ pending: 0, buffered: 0 });
      await signalCluster('SIGSTOP');
      // This write hangs on its stopped backend until the stall watch cuts it: to the spool.
      store.sink.add('power_sample', power(30, 2));
      store.sink.add('power_sample', power(60, 3));
      expect(await store.sink.flush()).toMatchObject({ pending: 2 });
      // The replay now hangs in turn (a new connection the stopped postmaster never answers),
      // and more rows wait behind it.
      void store.sink.flush();
      store.sink.add('power_sample', power(90, 4));
      store.sink.add('power_sample', power(120, 5));
      await store.close();
      expect(store.writer?.stats.rejected).toBe(0);
    } finally {
      await signalCluster('SIGCONT');
      clock.dispose();
    }
    // What was left hanging now ends (the pool is gone): give it the chance to touch the spool.
    await new Promise((r) => setTimeout(r, 1000));
    expect(logger.lines.filter((l) => l.msg.includes('rejected a row'))).toEqual([]);
    const spool = await Spool.open({ dir: spoolDir });
    expect(spool.pendingRows).toBeGreaterThanOrEqual(4);
    // The next start writes them all.
    const next = await openStore({
      target: { url: server.url },
      spool: { dir: spoolDir },
      clock: new SimClock({ speed: 1 }),
      logger,
    });
    await next.sink.flush();
    await next.close();
    expect(await storedPower()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a stop while a backfill waits on the silent database still reaches the store, and spools the rows', async () => {
    const sim = createSimulation({ speed: 300, seed: 14, start: Date.UTC(2026, 5, 1, 3, 5, 0) });
    const logger = memoryLogger();
    const spoolDir = join(root, 'spool-poller');
    const store = await openStore({
      target: { url: server.url },
      spool: { dir: spoolDir },
      clock: sim.clock,
      logger,
      writer: { closeDeadlineMs: 500 },
    });
    let powerRows = 0;
    const sink = {
      add<K extends RowKind>(kind: K, row: StoreRows[K]) {
        if (kind === 'power_sample') powerRows++;
        store.sink.add(kind, row);
      },
      flush: () => store.sink.flush(),
    };
    const poller = new Poller({
      client: sim.client,
      sink,
      slots: store.slots,
      clock: sim.clock,
      logger,
      schedule: meterSchedule(),
      databaseOnline: () => store.online,
    });
    let storeClosed = false;
    try {
      poller.start();
      await poller.whenIdentified();
      await poller.backfillIdle();
      await signalCluster('SIGSTOP');
      const before = powerRows;
      await until(() => powerRows >= before + 3);
      poller.requestBackfill('test'); // waits on a flush the silent database never ends
      await new Promise((r) => setTimeout(r, 200));
      // Before the fix the stop waited for that backfill, never closed the store, and the hard
      // exit threw away the rows in memory.
      await poller.stop({
        afterLoops: async () => {
          await store.close();
          storeClosed = true;
        },
      });
    } finally {
      await signalCluster('SIGCONT');
      await sim.close();
    }
    expect(storeClosed).toBe(true);
    expect(store.writer?.stats.rejected).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    const next = await openStore({
      target: { url: server.url },
      spool: { dir: spoolDir },
      clock: new SimClock({ speed: 1 }),
      logger: memoryLogger(),
    });
    await next.sink.flush();
    await next.close();
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT count(*)::int AS n FROM power_sample WHERE time >= $1', [
        new Date(Date.UTC(2026, 5, 1)),
      ]);
      expect(rows[0].n).toBe(powerRows);
    } finally {
      await c.end();
    }
  });
});
