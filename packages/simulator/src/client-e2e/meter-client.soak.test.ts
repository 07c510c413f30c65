import {
  type Clock,
  DONGLE_MODELS,
  DuplexTransport,
  ESV,
  MemoryPanCacheStore,
  MeterClient,
  type MeterNotification,
  type RecoveryInfo,
  type SessionState,
} from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { SimDriver } from './sim-driver.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
const START = Date.UTC(2026, 4, 19, 15, 0, 0); // 00:00 JST
const HOUR = 3_600_000;

/**
 * 24 simulated hours of a poller: every minute, power, currents and both cumulative energies,
 * asked together. The simulated installation misbehaves all day long: 5 % of replies lost,
 * 3 % corrupted, 2 % duplicated, 2 % of sends refused with FAIL ER10, the PANA session expiring
 * every 3 hours (one re-authentication in five failing), the dongle rebooting at 07:00 and
 * unplugged for 2 minutes at 15:00, and the meter out of reach from 21:00 to 21:20.
 */
const FAULTS =
  'drop=0.05,corrupt=0.03,duplicate=0.02,fail-er10=0.02,expire-every=3h,reauth-fail=0.2,' +
  'reset-at=07:00,unplug-at=15:00:2m,unreachable=21:00-21:20';

let drivers: SimDriver[] = [];
afterEach(async () => {
  for (const d of drivers) await d.close();
  drivers = [];
});

/** The client's timers, counted, so that a test can prove none is left behind after close(). */
function countingClock(inner: Clock): Clock & { readonly live: number } {
  const live = new Set<unknown>();
  return {
    get live() {
      return live.size;
    },
    now: () => inner.now(),
    setTimeout(fn, ms) {
      const handle = inner.setTimeout(() => {
        live.delete(handle);
        fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      inner.clearTimeout(handle);
    },
  };
}

describe.each(DONGLE_MODELS)('24 simulated hours on a %s', (model) => {
  it('delivers every requested reading through re-authentications, lost and corrupt replies, a reset and an unplug', async () => {
    const d = new SimDriver({
      model,
      rbid: RBID,
      password: PASSWORD,
      seed: 11,
      start: START,
      faults: FAULTS,
      meter: { notify: { confirmed: true }, counters: { initialNormal: 500_000 } },
    });
    drivers.push(d);
    const clock = countingClock(d.clock);
    const port = new DuplexTransport(d.device);
    const client = new MeterClient({
      rbid: RBID,
      password: PASSWORD,
      device: port,
      clock,
      panCache: new MemoryPanCacheStore(),
      backoff: { seed: 5 },
    });
    const states = new Set<SessionState>();
    const recoveries: RecoveryInfo[] = [];
    client.on('state', (s) => states.add(s));
    client.on('recovery', (r) => recoveries.push(r));
    const notifications: MeterNotification[] = [];
    const reader = (async () => {
      for await (const n of client.notifications()) notifications.push(n);
    })();

    await d.run(client.open());
    const end = d.clock.now() + 24 * HOUR;
    let polls = 0;
    let lastNormal = 0;
    let slowest = 0;
    while (d.clock.now() < end) {
      const askedAt = d.clock.now();
      const [power, currents, normal, reverse] = await d.run(
        Promise.all([
          client.getInstantaneousPower(),
          client.getInstantaneousCurrent(),
          client.getCumulativeEnergy(),
          client.getCumulativeEnergy({ reverse: true }),
        ]),
        2 * HOUR,
      );
      polls++;
      slowest = Math.max(slowest, d.clock.now() - askedAt);
      expect(typeof power).toBe('number');
      expect(typeof currents.r).toBe('number');
      expect(normal).toBeGreaterThanOrEqual(lastNormal);
      expect(reverse).toBeGreaterThanOrEqual(0);
      lastNormal = normal!;
      await d.idle(Math.max(0, askedAt + 60_000 - d.clock.now()));
    }

    expect(polls).toBeGreaterThan(1300);
    // The longest wait: the meter out of reach for 20 minutes, then at most one capped backoff.
    expect(slowest).toBeLessThan(30 * 60_000);
    // The outages happened and were survived.
    expect(states).toContain('reauthenticating');
    expect(states).toContain('recovering');
    expect(recoveries.some((r) => r.error?.code === 'transport.need-reopen')).toBe(true); // unplug
    expect(recoveries.some((r) => r.reason === 'silence')).toBe(true); // dongle reset, meter out of reach
    expect(recoveries.some((r) => r.event === 0x24)).toBe(true); // failed re-authentication
    expect(client.stats.recoveries).toBeGreaterThanOrEqual(2);
    expect(client.state).toBe('ready');
    // One frame per poll, plus resends of lost replies and refused sends (and INFC_Res).
    expect(client.stats.framesSent / polls).toBeLessThan(1.6);
    // The half-hourly EA/EB arrived as confirmable notifications and were confirmed.
    expect(notifications.filter((n) => n.esv === ESV.INFC).length).toBeGreaterThan(30);
    expect(d.sim.meter.pendingConfirmations.length).toBeLessThan(10);

    await d.run(client.close());
    await reader;
    expect(clock.live).toBe(0);
    // After every reopen: only the client's own close listener is left on its port.
    expect(port.listenerCount('data')).toBe(0);
    expect(port.listenerCount('close')).toBe(1);
    expect(notifications.some((n) => n.properties.some((p) => p.epc === 0xd5))).toBe(true);
    expect(d.attachment.current).toBeNull();
  });
});
