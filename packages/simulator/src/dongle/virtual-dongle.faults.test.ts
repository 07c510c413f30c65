import { decodeFrame, type SkEvent } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import { getRequest } from './testing/host.js';
import { joinedDongle, METER_LLA, START } from './testing/scenario.js';

const replies = (events: readonly SkEvent[]) =>
  events.filter((e): e is Extract<SkEvent, { type: 'erxudp' }> => e.type === 'erxudp' && e.rport === 0x0e1a);

/** A joined BP35A1 with echo off and the fault switches of `spec`. */
function faulted(spec: string, model: 'bp35a1' | 'bp35c2' = 'bp35a1') {
  const t = joinedDongle(model);
  t.host.send('SKSREG SFE 0').take();
  t.dongle.faults.set(spec);
  return t;
}

describe('fault switches on the virtual dongle', () => {
  it('drop: the request goes out, the answer never arrives', () => {
    const { host, meter } = faulted('drop=1');
    const from = host.events.length;
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }, 30_000);
    expect(host.take()).toBe(`EVENT 21 ${METER_LLA} 00\nOK\n`);
    expect(meter.received).toHaveLength(1);
    expect(replies(host.eventsSince(from))).toHaveLength(0);
  });

  it('delay: the answer comes the extra delay later', () => {
    const { host } = faulted('delay=5000');
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }).take();
    host.wait(5_499); // the radio itself takes at least 500 ms
    expect(host.take()).toBe('');
    host.wait(2_001);
    expect(host.take()).toMatch(/^ERXUDP /);
  });

  it('corrupt: a well-formed ERXUDP whose ECHONET Lite frame no decoder accepts', () => {
    const { host } = faulted('corrupt=1');
    const from = host.events.length;
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }, 5_000);
    const [udp] = replies(host.eventsSince(from));
    expect(udp).toBeDefined();
    expect(host.eventsSince(from).filter((e) => e.type === 'error')).toEqual([]);
    expect(() => decodeFrame(udp!.data)).toThrow();
  });

  it('duplicate: the same answer twice', () => {
    const { host } = faulted('duplicate=1', 'bp35c2');
    const from = host.events.length;
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }, 5_000);
    const got = replies(host.eventsSince(from));
    expect(got).toHaveLength(2);
    expect(Buffer.from(got[0]!.data).equals(Buffer.from(got[1]!.data))).toBe(true);
    expect(decodeFrame(got[0]!.data).tid).toBe(1);
  });

  it('fail-er10: SKSENDTO answers FAIL ER10 and nothing is sent', () => {
    const { host, meter } = faulted('fail-er10=1');
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }, 5_000);
    expect(host.take()).toBe('FAIL ER10\n');
    expect(meter.received).toHaveLength(0);
  });

  it('expire-every: the session lifetime is cut short, EVENT 29 then EVENT 25', () => {
    const { host, dongle } = faulted('expire-every=90s');
    // The current session keeps its lifetime; the switch applies from the next one on.
    dongle.expireSession();
    host.wait(8_000).take();
    const s = dongle.session;
    expect(s.kind).toBe('established');
    if (s.kind !== 'established') return;
    expect(s.expiresAt - host.clock.now()).toBeLessThanOrEqual(90_000);
    host.wait(s.expiresAt - host.clock.now());
    expect(host.take()).toBe(`EVENT 29 ${METER_LLA}\n`);
    host.wait(8_000);
    expect(host.take()).toMatch(new RegExp(`EVENT 25 ${METER_LLA}\\n$`));
  });

  it('reauth-fail: EVENT 29 then EVENT 24, and the session is gone', () => {
    const { host, dongle } = faulted('reauth-fail=1', 'bp35c2');
    dongle.expireSession();
    host.wait(10_000);
    const text = host.take();
    expect(text.startsWith(`EVENT 29 ${METER_LLA} 0\n`)).toBe(true);
    expect(text.endsWith(`EVENT 24 ${METER_LLA} 0\n`)).toBe(true);
    expect(text).not.toContain('EVENT 25');
    expect(dongle.session.kind).toBe('none');
  });

  it('meter out of reach: sends fail (EVENT 21 param 01) and SKTERM times out with EVENT 28', () => {
    const { host, dongle } = faulted('');
    dongle.faults.setUnreachableUntil(host.clock.now() + 60_000);
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }, 5_000);
    expect(host.take()).toBe(`EVENT 21 ${METER_LLA} 01\nOK\n`);
    host.send({ name: 'SKTERM' });
    expect(host.take()).toBe(`OK\n`);
    host.wait(4_000);
    expect(host.take()).toBe(`EVENT 21 ${METER_LLA} 01\n`);
    host.wait(1_100);
    expect(host.take()).toBe(`EVENT 28 ${METER_LLA}\n`);
    expect(dongle.session.kind).toBe('none');
  });

  it('unreachable window (Japan time): re-authentication inside it fails', () => {
    // START is 14:00 JST; the window covers it.
    expect(new Date(START).toISOString()).toBe('2026-05-20T05:00:00.000Z');
    const { host, dongle } = faulted('unreachable=13:59-14:30');
    dongle.expireSession();
    host.wait(11_000);
    expect(host.take()).toBe(`EVENT 29 ${METER_LLA}\nEVENT 21 ${METER_LLA} 01\nEVENT 24 ${METER_LLA}\n`);
  });

  it('reboot: the session, the channel and the credentials are forgotten', () => {
    const { host, dongle } = faulted('');
    dongle.reboot();
    expect(dongle.session.kind).toBe('none');
    host.send({ name: 'SKINFO' });
    expect(host.take()).toMatch(/^SKINFO\nEINFO \S+ \S+ 21 FFFF FFFE\nOK\n$/);
    host.send({ name: 'SKJOIN', ipv6: METER_LLA });
    expect(host.take()).toBe(`SKJOIN ${METER_LLA}\nFAIL ER10\n`);
  });

  it('power off: no answers at all until power comes back', () => {
    const { host, dongle } = faulted('');
    dongle.powerOff();
    host.send({ name: 'SKVER' }, 60_000);
    expect(host.take()).toBe('');
    dongle.powerOn();
    host.send({ name: 'SKVER' });
    expect(host.take()).toBe('SKVER\nEVER 1.2.10\nOK\n');
  });
});
