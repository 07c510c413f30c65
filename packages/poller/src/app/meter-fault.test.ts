/**
 * The meter's fault status (EPC 88) rides in the hourly meta frame and is stored in
 * extra.meter_fault in real PostgreSQL: the simulated meter answers "no fault" (0x42), then, its
 * fault switch turned on, "fault occurred" (0x41) at the next hourly boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation } from './simulate.js';
import { createRig, type Rig, untilSim } from './testing/rig.js';

// 09:50 JST: the start-up poll asks everything at once, the next meta poll is at 10:00 JST. At
// 60× the ten simulated minutes before it are ten real seconds, room for a slow join on a busy
// machine; the answer to the 10:00 poll has five simulated minutes.
const START = Date.UTC(2026, 4, 20, 0, 50, 0);
const HOUR = Date.UTC(2026, 4, 20, 1, 0, 0);

let rig: Rig;
beforeAll(async () => {
  rig = await createRig();
});
afterAll(() => rig.close());

describe('fault status (EPC 88)', () => {
  it('is read with the hourly meta poll and stored, no fault and then a fault', async () => {
    const sim = createSimulation({ speed: 60, start: START });
    try {
      const run = await rig.start(sim.client, sim.clock);
      await run.poller.whenIdentified();
      await untilSim(sim.clock, HOUR - 60_000);
      sim.sim.meter.setFault(true);
      await untilSim(sim.clock, HOUR + 5 * 60_000);
      await run.stop();
      const rows = await rig.db.db
        .selectFrom('extra.meter_fault')
        .select(['meter', 'time', 'fault'])
        .orderBy('time')
        .execute();
      const meter = sim.sim.radio.mac;
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((r) => r.meter === meter)).toBe(true);
      const before = rows.filter((r) => new Date(r.time).getTime() < HOUR - 60_000);
      const after = rows.filter((r) => new Date(r.time).getTime() >= HOUR);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((r) => r.fault === false)).toBe(true);
      expect(after.map((r) => r.fault)).toEqual([true]);
    } finally {
      await sim.close();
    }
  });
});
