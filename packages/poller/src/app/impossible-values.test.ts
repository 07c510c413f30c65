/**
 * A meter that serves impossible values (issue 14, item 5), through a virtual dongle on a real
 * PTY (socat) read by the real MeterClient and serialport: overflow and underflow codes (E7, E8),
 * counts beyond the meter's effective digits (E0 with D7 = 6, E3 = 0xFFFFFFFF), EA/EB slots in
 * 2099 and in 2000, and a notification from a sender that is not the joined meter. None may
 * become a stored value; each reason is counted and logged once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeterClient, METER_PROPERTIES as P } from '@b-route/echonet';
import { attachPty, SimClock, Simulator } from '@b-route/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterSchedule } from './meter-poller.js';
import { createRig, type Rig } from './testing/rig.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
const SPEED = 30;
const STRANGER = 'FE80:0000:0000:0000:021C:6400:DEAD:BEEF';

let rig: Rig;
let dir: string;
beforeAll(async () => {
  rig = await createRig();
  dir = mkdtempSync(join(tmpdir(), 'impossible-'));
});
afterAll(async () => {
  await rig.close();
  rmSync(dir, { recursive: true, force: true });
});

const u32 = (v: number) => Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);

describe('a meter serving impossible values over a PTY', () => {
  it('stores none of them, counts and logs each reason once, and drops frames from another sender', async () => {
    const start = Date.UTC(2026, 6, 1, 2, 58, 0);
    const clock = new SimClock({ speed: SPEED, start });
    const sim = new Simulator({ model: 'bp35a1', rbid: RBID, password: PASSWORD, seed: 14, clock });
    const meter = sim.meter;
    meter.serveRaw(0xd7, Uint8Array.of(6));
    meter.serveRaw(0xe0, u32(99_999_999)); // 8 digits on a 6-digit meter
    meter.serveRaw(0xe3, u32(0xffffffff)); // beyond the Appendix range
    meter.serveRaw(0xe7, u32(0x7fffffff)); // overflow
    meter.serveRaw(0xe8, Uint8Array.of(0x7f, 0xff, 0x80, 0x00)); // overflow R, underflow T
    const pty = await attachPty(sim, { path: join(dir, 'ttyWISUN') });
    const slack = (ms: number) => Math.max(ms, SPEED * 200);
    const client = new MeterClient({
      rbid: RBID,
      password: PASSWORD,
      device: pty.path,
      clock,
      commandTimeoutMs: slack(5_000),
      requestTimeoutMs: slack(10_000),
      joinTimeoutMs: slack(60_000),
      reauthTimeoutMs: slack(60_000),
    });
    const id = sim.radio.mac;
    try {
      const run = await rig.start(client, clock, {
        schedule: meterSchedule({ instantaneous: 30, cumulative: 60, meta: 3600 }),
        historyBackfill: false,
      });
      await run.poller.whenIdentified();
      const fixed = (epc: 0xea | 0xeb, year: number, count: number) => ({
        epc,
        edt: (epc === 0xea ? P.fixedTimeEnergyNormal : P.fixedTimeEnergyReverse).encode({
          time: { year, month: 1, day: 1, hour: 0, minute: 0, second: 0 },
          count: 0,
        }),
        count,
      });
      const withCount = (p: { epc: number; edt: Uint8Array; count: number }) => {
        const edt = p.edt.slice();
        edt.set(u32(p.count), 7);
        return { epc: p.epc, edt };
      };
      meter.notifyNow([withCount(fixed(0xea, 2099, 0xfffffffd)), withCount(fixed(0xeb, 2000, 5))]);
      // A valid-looking value for the current slot, from someone else on the PAN.
      const slot = new Date(Math.floor(clock.now() / 1_800_000) * 1_800_000 + 9 * 3_600_000);
      meter.notifyNow(
        [
          {
            epc: 0xea,
            edt: P.fixedTimeEnergyNormal.encode({
              time: {
                year: slot.getUTCFullYear(),
                month: slot.getUTCMonth() + 1,
                day: slot.getUTCDate(),
                hour: slot.getUTCHours(),
                minute: slot.getUTCMinutes(),
                second: 0,
              },
              count: 4242,
            }),
          },
        ],
        STRANGER,
      );
      // Polls of every kind, and the notifications, have gone through.
      while ((run.poller.meterPoller?.stats.polls ?? 0) < 6 || client.stats.foreignFrames < 1) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await run.stop();
    } finally {
      await pty.close();
      sim.close();
      clock.dispose();
    }

    const db = rig.db.db;
    const power = await db.selectFrom('power_sample').selectAll().where('meter', '=', id).execute();
    expect(power.length).toBeGreaterThan(0);
    for (const r of power) expect([r.power_w, r.current_r_a, r.current_t_a]).toEqual([null, null, null]);
    const readings = await db.selectFrom('energy_reading').selectAll().where('meter', '=', id).execute();
    for (const r of readings) {
      expect(r.normal_count).toBeNull();
      expect(r.reverse_count).toBeNull();
    }
    const intervals = await db.selectFrom('energy_interval').selectAll().where('meter', '=', id).execute();
    for (const r of intervals) {
      expect(r.slot.getUTCFullYear()).toBe(2026);
      expect(r.count).toBeLessThan(1_000_000);
      expect(r.count).not.toBe(4242);
    }
    const once = (reason: string) =>
      rig.logger.lines.filter((l) => l.msg.startsWith('impossible meter value') && l.obj.reason === reason);
    for (const reason of [
      'power overflow',
      'current overflow',
      'current underflow',
      'count beyond effective digits',
      'slot in the future',
      'slot before the meter history',
    ]) {
      expect(once(reason), reason).toHaveLength(1);
    }
    expect(client.stats.foreignFrames).toBeGreaterThanOrEqual(1);
  });
});
