/**
 * The poller end to end on real components: the simulator's dongle on a pseudo-terminal (socat,
 * opened with the real serialport package) → MeterClient → poller → real PostgreSQL; what was
 * stored is compared with the simulated meter's ground truth (`--truth`).
 */
import { join } from 'node:path';
import { HALF_HOUR_MS } from '@b-route/core';
import { MeterClient } from '@b-route/echonet';
import { attachPty, SimClock, Simulator } from '@b-route/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_PASSWORD, SIMULATED_RBID } from './simulate.js';
import { expectEveryAnswerStored } from './testing/expect-stored.js';
import { createRig, type Rig, readTruth, untilSim } from './testing/rig.js';

const SPEED = 300;
// A little after 01:00 JST, so the run crosses three half hours and a meta poll.
const START = Date.UTC(2026, 4, 19, 16, 4, 10);

let rig: Rig;
beforeAll(async () => {
  rig = await createRig();
});
afterAll(() => rig.close());

describe('poller over a PTY against the simulated meter', () => {
  it('stores every power sample the meter served and every half-hour cumulative it kept, equal to the truth', async () => {
    const clock = new SimClock({ speed: SPEED, start: START });
    const truthFile = join(rig.dir, 'truth.jsonl');
    const sim = new Simulator({
      model: 'bp35c2',
      rbid: SIMULATED_RBID,
      password: SIMULATED_PASSWORD,
      seed: 3,
      clock,
      truthFile,
    });
    const ptyPath = join(rig.dir, 'ttyWISUN');
    const pty = await attachPty(sim, { path: ptyPath });
    // Simulated timeouts are widened so that real scheduling delays at 300× are not taken for silence.
    const client = new MeterClient({
      rbid: SIMULATED_RBID,
      password: SIMULATED_PASSWORD,
      device: ptyPath,
      clock,
      commandTimeoutMs: 60_000,
      requestTimeoutMs: 120_000,
    });
    const run = await rig.start(client, clock);
    await run.poller.whenIdentified();
    const end = START + 100 * 60_000;
    await untilSim(clock, end);
    await run.poller.backfillIdle();
    await run.stop();
    await pty.close();
    await sim.close();
    clock.dispose();

    const truth = await readTruth(truthFile);
    const meter = sim.radio.mac;
    const db = rig.db.db;

    // Power: every answer the meter served is stored, at the time it arrived, with its values.
    const power = await db
      .selectFrom('power_sample')
      .selectAll()
      .where('meter', '=', meter)
      .orderBy('time')
      .execute();
    expect(power.at(-1)!.time.getTime() - power[0]!.time.getTime()).toBeGreaterThan(90 * 60_000);
    expect(power.length).toBeGreaterThan(150);
    expectEveryAnswerStored(power, truth.power);

    // Half hours: every slot the meter kept (45 days) and every boundary of the run, both directions.
    const intervals = await db.selectFrom('energy_interval').selectAll().where('meter', '=', meter).execute();
    const stored = new Map(intervals.map((r) => [`${r.direction}:${r.slot.getTime()}`, r]));
    const slots = truth.halfHours.filter((h) => h.slot <= end);
    expect(slots.length).toBeGreaterThan(45 * 48 - 48);
    for (const h of slots) {
      expect(stored.get(`normal:${h.slot}`), `normal ${new Date(h.slot).toISOString()}`).toMatchObject({
        count: h.normal,
        kwh: h.normalKwh,
      });
      expect(stored.get(`reverse:${h.slot}`), `reverse ${new Date(h.slot).toISOString()}`).toMatchObject({
        count: h.reverse,
        kwh: h.reverseKwh,
      });
    }
    expect(intervals.length).toBe(2 * slots.length);
    // The boundaries crossed while polling came from the meter's own EA/EB notification.
    const live = intervals.filter((r) => r.slot.getTime() > START && r.direction === 'normal');
    expect(live.map((r) => r.slot.getTime() % HALF_HOUR_MS)).toEqual([0, 0, 0]);
    expect(live.every((r) => r.source === 'fixed-time')).toBe(true);

    // Cumulative readings every 5 minutes, and the meter's identity.
    const readings = await db.selectFrom('energy_reading').selectAll().where('meter', '=', meter).execute();
    expect(readings.length).toBeGreaterThanOrEqual(19);
    expect(
      readings.every(
        (r) => r.coefficient === 1 && r.unit_kwh === 0.1 && r.normal_kwh === r.normal_count! / 10,
      ),
    ).toBe(true);
    const meterRow = await db
      .selectFrom('meter')
      .selectAll()
      .where('meter', '=', meter)
      .executeTakeFirstOrThrow();
    expect(meterRow).toMatchObject({ manufacturer: '000016', coefficient: 1, unit_kwh: 0.1, digits: 6 });
    expect(meterRow.serial).toMatch(/^SM\d{10}$/);

    // The cold start scanned: the beacon that found the meter is in scan_log.
    const scans = await db.selectFrom('scan_log').selectAll().execute();
    expect(scans.length).toBeGreaterThanOrEqual(1);
    expect(scans[0]).toMatchObject({ address: meter, channel_page: 9 });
    expect(scans[0]!.channel).toBeGreaterThanOrEqual(33);
    expect(scans[0]!.lqi).toBeGreaterThan(0);
  });
});
