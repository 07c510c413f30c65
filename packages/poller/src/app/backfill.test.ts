/**
 * The history backfill against meters that keep less than the usual: no reverse-direction
 * history (E4), or fewer than 45 days. Real components: in-process simulation, real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation } from './simulate.js';
import { createRig, type Rig, untilSim } from './testing/rig.js';

const MIN = 60_000;

let rig: Rig;
beforeAll(async () => {
  rig = await createRig();
});
afterAll(() => rig.close());

async function intervalCounts(meter: string) {
  const rows = await rig.db.db
    .selectFrom('energy_interval')
    .select(['direction', (eb) => eb.fn.countAll<number>().as('n')])
    .where('meter', '=', meter)
    .where('source', '=', 'history')
    .groupBy('direction')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.direction, r.n]));
}

describe('history backfill', () => {
  it('a meter without E4: the normal direction is filled, the reverse is not asked again', async () => {
    const start = Date.UTC(2026, 5, 1, 3, 5, 0);
    const sim = createSimulation({ speed: 600, seed: 31, start, simulator: { meter: { omit: [0xe4] } } });
    const meter = sim.sim.radio.mac;
    try {
      const run = await rig.start(sim.client, sim.clock);
      await run.poller.whenIdentified();
      await run.poller.backfillIdle();
      await run.store.sink.flush();
      const counts = await intervalCounts(meter);
      expect(counts.normal).toBeGreaterThan(44 * 48);
      expect(counts.reverse).toBeUndefined();
      expect(
        rig.logger.lines.filter((l) => l.msg.startsWith('the meter has no reverse-direction history')).length,
      ).toBe(1);
      // A later pass finds nothing to ask: reverse slots are no longer looked for.
      const marks = rig.logger.lines.length;
      run.poller.requestBackfill('test');
      await run.poller.backfillIdle();
      expect(
        rig.logger.lines
          .slice(marks)
          .some((l) => l.msg === 'filling 30-minute values from the meter history'),
      ).toBe(false);
      await run.stop();
    } finally {
      await sim.close();
    }
  });

  it('a meter that keeps 10 days: the days it lacks are asked once, not at every pass', async () => {
    const start = Date.UTC(2026, 5, 2, 3, 5, 0);
    const sim = createSimulation({ speed: 600, seed: 32, start, simulator: { meter: { historyDays: 10 } } });
    const meter = sim.sim.radio.mac;
    try {
      const run = await rig.start(sim.client, sim.clock);
      await run.poller.whenIdentified();
      await run.poller.backfillIdle();
      await run.store.sink.flush();
      const counts = await intervalCounts(meter);
      // Ten days of 48 slots each, up to 12:00 JST of the last one.
      expect(counts.normal).toBeGreaterThanOrEqual(9 * 48);
      expect(counts.normal).toBeLessThanOrEqual(10 * 48);
      const frames = sim.client.stats.framesSent;
      const marks = rig.logger.lines.length;
      run.poller.requestBackfill('test');
      await run.poller.backfillIdle();
      expect(
        rig.logger.lines
          .slice(marks)
          .some((l) => l.msg === 'filling 30-minute values from the meter history'),
      ).toBe(false);
      expect(sim.client.stats.framesSent - frames).toBeLessThanOrEqual(1);
      await untilSim(sim.clock, start + 5 * MIN);
      await run.stop();
    } finally {
      await sim.close();
    }
  });

  it('history_backfill = off: no history is asked, live slots still come from the EA/EB notifications', async () => {
    const start = Date.UTC(2026, 5, 3, 3, 25, 0);
    const sim = createSimulation({ speed: 600, seed: 33, start });
    const meter = sim.sim.radio.mac;
    try {
      const run = await rig.start(sim.client, sim.clock, { historyBackfill: false });
      await run.poller.whenIdentified();
      await untilSim(sim.clock, start + 40 * MIN);
      await run.stop();
      const rows = await rig.db.db
        .selectFrom('energy_interval')
        .selectAll()
        .where('meter', '=', meter)
        .execute();
      expect(rows.map((r) => r.source).sort()).toEqual([
        'fixed-time',
        'fixed-time',
        'fixed-time',
        'fixed-time',
      ]);
      expect(
        rows
          .map((r) => r.slot.getTime())
          .every((t) => t === Date.UTC(2026, 5, 3, 3, 30) || t === Date.UTC(2026, 5, 3, 4, 0)),
      ).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
