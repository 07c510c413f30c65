import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame, ESV, METER_PROPERTY_LIST, type SkEvent } from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { macToLinkLocal } from './dongle/addresses.js';
import { DongleTestHost, getRequest } from './dongle/testing/host.js';
import { Simulator, type SimulatorOptions } from './simulator.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
const START = Date.UTC(2026, 4, 20, 0, 0, 0); // 09:00 JST

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sim-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sim(options: Partial<SimulatorOptions> = {}) {
  const s = new Simulator({
    model: 'bp35c2',
    rbid: RBID,
    password: PASSWORD,
    speed: 0,
    start: START,
    ...options,
  });
  cleanup.push(() => s.close());
  return s;
}

/** Joins `s` synchronously on its manual clock; returns the host and the meter's address. */
function joined(s: Simulator) {
  const host = new DongleTestHost(s.dongle, s.clock);
  const ch = s.radio.channel.toString(16).toUpperCase();
  const pan = s.radio.panId.toString(16).toUpperCase().padStart(4, '0');
  const meter = macToLinkLocal(s.radio.mac);
  host
    .send('SKSREG SFE 0')
    .send({ name: 'SKSETPWD', password: PASSWORD })
    .send({ name: 'SKSETRBID', id: RBID })
    .send(`SKSREG S2 ${ch}`)
    .send(`SKSREG S3 ${pan}`)
    .send({ name: 'SKJOIN', ipv6: meter }, 10_000);
  expect(s.dongle.session.kind).toBe('established');
  host.take();
  return { host, meter };
}

describe('Simulator', () => {
  it('validates its options', () => {
    expect(() => sim({ model: 'bp99' as never })).toThrow(/unknown dongle model/);
    expect(() => sim({ rbid: 'short' })).toThrow(/32 printable/);
    expect(() => sim({ password: '' })).toThrow(/password/);
    expect(() => sim({ faults: 'drop=7' })).toThrow(/probability/);
  });

  it('answers a Get of every meter property with the real SmartMeter behind the dongle', () => {
    const s = sim();
    const { host, meter } = joined(s);
    const from = host.events.length;
    const epcs = METER_PROPERTY_LIST.map((p) => p.epc);
    epcs.forEach((epc, i) => {
      host.send({ name: 'SKSENDTO', ipv6: meter, data: getRequest(i + 1, epc) }, 4_000);
    });
    const frames = host
      .eventsSince(from)
      .filter((e): e is Extract<SkEvent, { type: 'erxudp' }> => e.type === 'erxudp' && e.rport === 0x0e1a)
      .map((e) => decodeFrame(e.data))
      .filter((f) => f.tid !== 0 && f.seoj === 0x028801 && (f.esv === ESV.Get_Res || f.esv === ESV.Get_SNA));
    expect(frames.map((f) => f.tid)).toEqual(epcs.map((_, i) => i + 1));
    expect(frames.map((f) => f.properties[0]?.epc)).toEqual(epcs);
    expect(host.events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('forwards the meter’s half-hourly EA/EB notification while joined', () => {
    const s = sim();
    const { host } = joined(s);
    const from = host.events.length;
    host.wait(30 * 60_000);
    const infs = host
      .eventsSince(from)
      .filter((e): e is Extract<SkEvent, { type: 'erxudp' }> => e.type === 'erxudp' && e.rport === 0x0e1a)
      .map((e) => decodeFrame(e.data))
      .filter((f) => f.esv === ESV.INF && f.seoj === 0x028801);
    expect(infs.length).toBeGreaterThanOrEqual(1);
    expect(infs[0]!.properties.map((p) => p.epc)).toEqual([0xea, 0xeb]);
  });

  it('runs the scheduled faults of the spec on the simulated clock', () => {
    const s = sim({ faults: 'reset-at=10m,unplug-at=09:30:45s' });
    const seen: string[] = [];
    s.on('reset', () => seen.push(`reset ${(s.clock.now() - START) / 60_000}`));
    s.on('unplug', (ms) => seen.push(`unplug ${(s.clock.now() - START) / 60_000} for ${ms}`));
    s.on('replug', () => seen.push(`replug ${(s.clock.now() - START) / 1000}`));
    s.clock.advance(60 * 60_000);
    expect(seen).toEqual(['reset 10', 'unplug 30 for 45000', 'replug 1845']);
  });

  it('reschedules timed faults changed at run time', () => {
    const s = sim({ faults: 'reset-at=1h' });
    let resets = 0;
    s.on('reset', () => resets++);
    s.faults.set({ resetAt: [{ kind: 'offset', ms: 5 * 60_000 }] });
    s.clock.advance(2 * 3600_000);
    expect(resets).toBe(1);
  });

  it('injectReset forgets the session: the client must reset, set credentials and join again', () => {
    const s = sim();
    const { host, meter } = joined(s);
    s.injectReset();
    expect(s.dongle.session.kind).toBe('none');
    host.send({ name: 'SKSENDTO', ipv6: meter, data: getRequest(1, 0xe7) }, 5_000);
    expect(host.take()).toMatch(/^SKSENDTO .*EVENT 21 \S+ 0 01\nOK\n$/s); // echo is back on after the reboot
    host.send({ name: 'SKJOIN', ipv6: meter });
    expect(host.take()).toMatch(/FAIL ER10\n$/);
  });

  it('meterUnreachable makes sends fail for that long', () => {
    const s = sim({ model: 'bp35a1' });
    const { host, meter } = joined(s);
    s.meterUnreachable(60_000);
    host.send({ name: 'SKSENDTO', ipv6: meter, data: getRequest(1, 0xe7) }, 5_000);
    expect(host.take()).toBe(`EVENT 21 ${meter} 01\nOK\n`);
    host.wait(60_000).take();
    host.send({ name: 'SKSENDTO', ipv6: meter, data: getRequest(2, 0xe7) }, 5_000);
    expect(host.take()).toMatch(new RegExp(`^EVENT 21 ${meter} 00\\nOK\\nERXUDP `));
  });

  it('expireSession triggers EVENT 29 and re-authentication', () => {
    const s = sim();
    const { host, meter } = joined(s);
    s.expireSession();
    host.wait(10_000);
    const text = host.take();
    expect(text.startsWith(`EVENT 29 ${meter} 0\n`)).toBe(true);
    expect(text.endsWith(`EVENT 25 ${meter} 0\n`)).toBe(true);
  });

  it('keeps WOPT in --state-dir across restarts and counts flash writes', async () => {
    const dir = tempDir();
    const a = sim({ model: 'bp35a1', stateDir: dir });
    new DongleTestHost(a.dongle, a.clock).send({ name: 'WOPT', mode: 1 });
    expect(a.flash.writes).toBe(1);
    await a.close();
    const b = sim({ model: 'bp35a1', stateDir: dir });
    expect(new DongleTestHost(b.dongle, b.clock).send({ name: 'ROPT' }).take()).toBe('ROPT\nOK 01\\r\n');
    expect(b.flash.writes).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'bp35a1.flash.json'), 'utf8'))).toMatchObject({
      opt: 1,
      writes: 1,
    });
  });

  it('writes the ground truth file', async () => {
    const dir = tempDir();
    const s = sim({ truthFile: join(dir, 'truth.jsonl') });
    const { host, meter } = joined(s);
    host.send({ name: 'SKSENDTO', ipv6: meter, data: getRequest(1, 0xe7) }, 5_000);
    await s.close();
    const lines = readFileSync(join(dir, 'truth.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === 'power')).toBe(true);
    expect(lines.some((l) => l.type === 'half-hour')).toBe(true);
  });

  it('derives a stable radio identity from the seed, and the sensors share its clock', () => {
    const a = sim({ seed: 11 });
    const b = sim({ seed: 11 });
    expect(a.radio.mac).toBe(b.radio.mac);
    expect(a.radio.channel).toBeGreaterThanOrEqual(0x21);
    expect(a.radio.channel).toBeLessThanOrEqual(0x3c);
    expect(a.radio.pairingId).toBe(RBID.slice(-8));
    expect(a.sensors.climate(a.clock.now())).toEqual(b.sensors.climate(b.clock.now()));
  });
});
