/**
 * Closing the store on a database path that went silent: the stop must end (not wait for the
 * kernel's TCP timeout) and every row must be in the spool for the next start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimClock } from '@b-route/simulator';
import { Spool } from '@b-route/store';
import { createTestDatabase, powerRow, startTcpProxy, type TestDatabase } from '@b-route/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { memoryLogger } from './testing/rig.js';

const METER = '001C6400601421A3';
const T0 = Date.UTC(2026, 4, 20, 0, 0, 0);
const power = (s: number, w: number) => powerRow(METER, T0, s, w);

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'open-store-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('closes promptly on a silent database path and leaves every row not stored in the spool', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const clock = new SimClock({ speed: 1 });
    const logger = memoryLogger();
    const spoolDir = join(dir, 'spool');
    try {
      const store = await openStore({
        target: { url: proxy.via(t.url) },
        spool: { dir: spoolDir },
        clock,
        logger,
        writer: { closeDeadlineMs: 300 },
      });
      store.sink.add('power_sample', power(0, 1));
      expect(await store.sink.flush()).toMatchObject({ pending: 0, buffered: 0 });
      proxy.stall();
      store.sink.add('power_sample', power(30, 2));
      void store.sink.flush(); // in flight on the silent connection
      store.sink.add('power_sample', power(60, 3));
      // Without cutting the held connection, ending the pool waits for it (minutes).
      await store.close();
      expect(store.stalledConnectionsCut).toBeGreaterThanOrEqual(1);
      expect(logger.lines.some((l) => l.msg.includes('did not finish the last write in time'))).toBe(true);
    } finally {
      await proxy.close();
      clock.dispose();
    }
    const spool = await Spool.open({ dir: spoolDir });
    expect(spool.pendingRows).toBe(2);
    expect((await t.db.selectFrom('power_sample').select('power_w').execute()).map((r) => r.power_w)).toEqual(
      [1],
    );
  });
});
