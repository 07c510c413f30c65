/**
 * "No lost data" through outages, on real components: the in-process simulation (meter, dongle,
 * one accelerated clock) → MeterClient → poller → StoreWriter + spool → real PostgreSQL, behind
 * a TCP relay that can cut the database off. Stored values are compared with the meter's truth.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HALF_HOUR_MS } from '@b-route/core';
import { startTcpProxy } from '@b-route/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeterPort } from './meter-port.js';
import { createSimulation, type Simulation } from './simulate.js';
import { expectEveryAnswerStored } from './testing/expect-stored.js';
import { createRig, type HalfHourTruth, type Rig, readTruth, untilSim } from './testing/rig.js';

const SPEED = 600;
const MIN = 60_000;

let rig: Rig;
beforeAll(async () => {
  rig = await createRig();
});
afterAll(() => rig.close());

async function expectEveryHalfHour(meter: string, halfHours: readonly HalfHourTruth[]): Promise<void> {
  const rows = await rig.db.db.selectFrom('energy_interval').selectAll().where('meter', '=', meter).execute();
  const stored = new Map(rows.map((r) => [`${r.direction}:${r.slot.getTime()}`, r]));
  for (const h of halfHours) {
    const at = new Date(h.slot).toISOString();
    expect(stored.get(`normal:${h.slot}`), `normal ${at}`).toMatchObject({
      count: h.normal,
      kwh: h.normalKwh,
    });
    expect(stored.get(`reverse:${h.slot}`), `reverse ${at}`).toMatchObject({
      count: h.reverse,
      kwh: h.reverseKwh,
    });
  }
  expect(rows.length).toBe(2 * halfHours.length);
}

describe('poller outages', () => {
  it('database down for 40 minutes, poller restarted while it is down: every row arrives', async () => {
    const start = Date.UTC(2026, 4, 20, 2, 7, 0);
    const truthFile = join(rig.dir, 'truth-db.jsonl');
    const sim = createSimulation({ speed: SPEED, seed: 11, start, truthFile });
    const proxy = await startTcpProxy(rig.db.server.port);
    const databaseUrl = proxy.via(rig.db.url);
    const meter = sim.sim.radio.mac;
    const db = rig.db.db;
    try {
      const first = await rig.start(sim.client, sim.clock, { databaseUrl, storeRetryMs: 5_000 });
      await first.poller.whenIdentified();
      await first.poller.backfillIdle();
      await untilSim(sim.clock, start + 20 * MIN);
      const downAt = sim.clock.now();
      await proxy.down();
      await untilSim(sim.clock, start + 60 * MIN);
      // Stopped while the database is still away: what could not be written is in the spool.
      await first.stop();
      const stoppedAt = sim.clock.now();
      expect((await readdir(join(rig.dir, 'spool'))).some((f) => f.endsWith('.jsonl'))).toBe(true);
      const during = await db
        .selectFrom('power_sample')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('meter', '=', meter)
        .where('time', '>', new Date(downAt + MIN))
        .executeTakeFirstOrThrow();
      expect(during.n).toBe(0);

      await proxy.up();
      const second = await rig.start(sim.client, sim.clock, { databaseUrl, storeRetryMs: 5_000 });
      await second.poller.whenIdentified();
      await untilSim(sim.clock, start + 80 * MIN);
      await second.poller.backfillIdle();
      await second.stop();
      const end = sim.clock.now();
      await sim.close();

      const truth = await readTruth(truthFile);
      await expectEveryHalfHour(
        meter,
        truth.halfHours.filter((h) => h.slot <= end),
      );
      // Power samples: every answer served before the outage, during it (through the spool) and
      // after the restart is stored; only the answer in flight at the restart may be dropped.
      const power = await db
        .selectFrom('power_sample')
        .selectAll()
        .where('meter', '=', meter)
        .orderBy('time')
        .execute();
      expectEveryAnswerStored(power, truth.power, [stoppedAt - MIN, stoppedAt + 2 * MIN]);
      const outage = power.filter(
        (p) => p.time.getTime() > downAt + MIN && p.time.getTime() < stoppedAt - MIN,
      );
      expect(outage.length).toBeGreaterThan(60);
      expect(rig.logger.lines.some((l) => l.msg === 'database unreachable: spooling rows to disk')).toBe(
        true,
      );
    } finally {
      await proxy.close();
      await sim.close();
    }
  });

  it('poller stopped for three simulated hours: every half hour of the gap is filled from the meter history', async () => {
    const start = Date.UTC(2026, 4, 21, 6, 40, 0);
    const truthFile = join(rig.dir, 'truth-gap.jsonl');
    const sim = createSimulation({ speed: SPEED, seed: 12, start, truthFile });
    const meter = sim.sim.radio.mac;
    try {
      const first = await rig.start(sim.client, sim.clock);
      await first.poller.whenIdentified();
      await first.poller.backfillIdle();
      await untilSim(sim.clock, start + 10 * MIN);
      await first.stop();
      const stoppedAt = sim.clock.now();

      // Three hours pass without a poller: the meter keeps counting and recording.
      sim.clock.setSpeed(0);
      sim.clock.advance(3 * 60 * MIN);
      sim.clock.setSpeed(SPEED);
      const restartedAt = sim.clock.now();

      const second = await rig.start(sim.client, sim.clock);
      await second.poller.whenIdentified();
      await second.poller.backfillIdle();
      await untilSim(sim.clock, restartedAt + 5 * MIN);
      await second.stop();
      const end = sim.clock.now();
      await sim.close();

      const truth = await readTruth(truthFile);
      await expectEveryHalfHour(
        meter,
        truth.halfHours.filter((h) => h.slot <= end),
      );
      const gap = await rig.db.db
        .selectFrom('energy_interval')
        .select(['slot', 'source'])
        .where('meter', '=', meter)
        .where('direction', '=', 'normal')
        .where('slot', '>', new Date(stoppedAt))
        .where('slot', '<', new Date(restartedAt))
        .orderBy('slot')
        .execute();
      expect(gap.map((r) => (r.slot.getTime() - gap[0]!.slot.getTime()) / HALF_HOUR_MS)).toEqual([
        0, 1, 2, 3, 4, 5,
      ]);
      expect(gap.every((r) => r.source === 'history')).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it('database down when the poller starts: rows wait in the spool, the backfill waits for the database', async () => {
    const start = Date.UTC(2026, 4, 23, 9, 50, 0);
    const truthFile = join(rig.dir, 'truth-late-db.jsonl');
    const sim = createSimulation({ speed: SPEED, seed: 13, start, truthFile });
    const proxy = await startTcpProxy(rig.db.server.port);
    const meter = sim.sim.radio.mac;
    try {
      await proxy.down();
      const run = await rig.start(sim.client, sim.clock, {
        databaseUrl: proxy.via(rig.db.url),
        storeRetryMs: 60_000,
      });
      await run.poller.whenIdentified();
      await untilSim(sim.clock, start + 15 * MIN);
      expect(run.store.writer).toBeUndefined();
      await proxy.up();
      await run.store.ready;
      await untilSim(sim.clock, start + 45 * MIN);
      await run.poller.backfillIdle();
      await run.stop();
      const end = sim.clock.now();
      await sim.close();
      // Retried every minute of the 15-minute outage (11 lines before), said once; a second
      // time at most, when a pass right after the return finds the spool still draining.
      expect(
        rig.logger.lines.filter((l) => l.msg === 'database away: backfill waits for it').length,
      ).toBeLessThanOrEqual(2);

      const truth = await readTruth(truthFile);
      await expectEveryHalfHour(
        meter,
        truth.halfHours.filter((h) => h.slot <= end),
      );
      const early = await rig.db.db
        .selectFrom('power_sample')
        .select('time')
        .where('meter', '=', meter)
        .where('time', '<', new Date(start + 15 * MIN))
        .execute();
      expect(early.length).toBeGreaterThanOrEqual(25);
      expect(
        rig.logger.lines.some(
          (l) => l.msg === 'database unreachable at start: keeping rows in the spool until it is back',
        ),
      ).toBe(true);
    } finally {
      await proxy.close();
      await sim.close();
    }
  });

  it.each([
    ['the meter out of reach for 45 minutes', 14, (s: Simulation) => s.sim.meterUnreachable(45 * MIN)],
    ['the dongle unplugged for 40 minutes', 15, (s: Simulation) => s.sim.unplug(40 * MIN)],
  ])(
    '%s: the session recovers and the half hours missed meanwhile are filled',
    async (_name, seed, fault) => {
      const start = Date.UTC(2026, 4, 24, 4, 12, 0);
      const truthFile = join(rig.dir, `truth-${seed}.jsonl`);
      const sim = createSimulation({ speed: SPEED, seed, start, truthFile });
      const meter = sim.sim.radio.mac;
      try {
        // The half-hour safety net is pushed out of the way: only the reconnection may fill the gap.
        const run = await rig.start(sim.client, sim.clock, { safetyNetDelayMs: 29 * MIN });
        await run.poller.whenIdentified();
        await run.poller.backfillIdle();
        const marks = rig.logger.lines.length;
        await untilSim(sim.clock, start + 10 * MIN);
        fault(sim);
        // Back to ready → identified again → a backfill pass.
        await new Promise<void>((resolve) => {
          const check = () => {
            const after = rig.logger.lines.slice(marks);
            const back = after.findIndex((l) => l.msg === 'meter session back');
            if (back >= 0 && after.slice(back).some((l) => l.msg === 'meter identified')) resolve();
            else setTimeout(check, 20);
          };
          check();
        });
        await run.poller.backfillIdle();
        await run.stop();
        const end = sim.clock.now();
        await sim.close();

        expect(rig.logger.lines.slice(marks).some((l) => l.msg === 'meter session back')).toBe(true);
        const truth = await readTruth(truthFile);
        await expectEveryHalfHour(
          meter,
          truth.halfHours.filter((h) => h.slot <= end),
        );
        const filled = await rig.db.db
          .selectFrom('energy_interval')
          .select(['slot', 'source'])
          .where('meter', '=', meter)
          .where('slot', '>', new Date(start + 10 * MIN))
          .where('slot', '<', new Date(start + 50 * MIN))
          .execute();
        expect(filled.length).toBeGreaterThanOrEqual(2);
        expect(filled.every((r) => r.source === 'history')).toBe(true);
      } finally {
        await sim.close();
      }
    },
  );

  it('stopping while the meter is away and SKTERM never ends: the rows are flushed first, not after the session', async () => {
    const start = Date.UTC(2026, 4, 25, 1, 0, 0);
    const sim = createSimulation({ speed: SPEED, seed: 16, start });
    try {
      let closeCalled = false;
      // The session close hangs (a dongle that never confirms SKTERM): nothing else may wait for it.
      const real = sim.client;
      const client: MeterPort = {
        get state() {
          return real.state;
        },
        get pan() {
          return real.pan;
        },
        open: () => real.open(),
        close: () => {
          closeCalled = true;
          return new Promise<void>(() => {});
        },
        get: (epcs, options) => real.get(epcs, options),
        setHistoryDay1: (day, options) => real.setHistoryDay1(day, options),
        notifications: () => real.notifications(),
        on: (event: 'state' | 'scan', listener: never) => real.on(event, listener),
        off: (event: 'state' | 'scan', listener: never) => real.off(event, listener),
      };
      const run = await rig.start(client, sim.clock);
      await run.poller.whenIdentified();
      await run.poller.backfillIdle();
      const back = sim.clock.now() + 60 * MIN;
      sim.sim.meterUnreachable(60 * MIN);
      await untilSim(sim.clock, sim.clock.now() + 2 * MIN);
      const flushed = new Promise<void>((resolve) => {
        void run.poller.stop({
          afterLoops: async () => {
            await run.store.close();
            resolve();
          },
        });
      });
      await flushed;
      expect(closeCalled).toBe(true);
      // Neither a request waiting for the meter nor the notification stream held the flush up.
      expect(sim.clock.now()).toBeLessThan(back - 50 * MIN);
    } finally {
      await sim.close();
    }
  });
});
