import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DONGLE_MODELS,
  type DongleModel,
  decodeFrame,
  EOJ,
  ESV,
  encodeFrame,
  formatCommand,
  MODEL_FAMILY,
  type SkEvent,
} from '@b-route/echonet';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../clock.js';
import { DongleFlash } from './flash.js';
import { scanChannelMs } from './scan.js';
import { FixtureMeter } from './testing/fixture-meter.js';
import { DongleTestHost, getRequest } from './testing/host.js';
import {
  createTestDongle,
  joinedDongle,
  METER_LLA,
  METER_MAC,
  START,
  TEST_PASSWORD,
  TEST_RBID,
} from './testing/scenario.js';
import { VirtualDongle } from './virtual-dongle.js';

const eventsOf = (events: readonly SkEvent[], num: number) =>
  events.filter((e) => e.type === 'event' && e.num === num);

describe('SKSCAN', () => {
  it('listens 9.6 ms × (2^n + 1) per channel on all 28 channels, in simulated time', () => {
    const { host } = createTestDongle('bp35a1');
    host.send({ name: 'SKSETRBID', id: TEST_RBID }).take();
    host.send({ name: 'SKSCAN', duration: 6 });
    expect(host.take()).toBe('SKSCAN 2 FFFFFFFF 6\nOK\n');
    const slot = scanChannelMs(6); // 624 ms
    expect(slot).toBeCloseTo(624, 6);
    // The meter is on channel 0x2B, the 11th channel: its beacon comes at the end of that slot.
    host.wait(11 * slot - 1);
    expect(host.take()).toBe('');
    host.wait(1);
    expect(host.take()).toMatch(/^EVENT 20 FE80:0000:0000:0000:021C:6400:6014:21A3\nEPANDESC\n/);
    host.wait(28 * slot - 11 * slot - 1);
    expect(host.take()).toBe('');
    host.wait(1);
    expect(host.take()).toBe('EVENT 22 FE80:0000:0000:0000:021D:1290:E623:1D93\n');
  });

  it('gets no beacon unless the pairing ID matches the last 8 characters of the B-route ID', () => {
    const { host } = createTestDongle('bp35c2');
    host.send({ name: 'SKSETRBID', id: `${TEST_RBID.slice(0, 24)}00000000` }).take();
    host.send({ name: 'SKSCAN', duration: 4 }, 30_000);
    expect(host.take()).toBe(
      'SKSCAN 2 FFFFFFFF 4 0\nOK\nEVENT 22 FE80:0000:0000:0000:021D:1292:E623:1D93 0\n',
    );
  });

  it('scans only the channels of the mask and refuses a second scan meanwhile', () => {
    const { host } = createTestDongle('bp35a1');
    host.send({ name: 'SKSETRBID', id: TEST_RBID }).take();
    host.send('SKSCAN 2 00000003 6');
    host.send('SKSCAN 2 FFFFFFFF 6');
    expect(host.take()).toBe('SKSCAN 2 00000003 6\nOK\nSKSCAN 2 FFFFFFFF 6\nFAIL ER10\n');
    host.wait(2 * scanChannelMs(6));
    expect(host.take()).toBe('EVENT 22 FE80:0000:0000:0000:021D:1290:E623:1D93\n');
  });

  it('ED scan (mode 0) ends with EVENT 1F and an EEDSCAN block', () => {
    const { host } = createTestDongle('bp35a1');
    host.send('SKSCAN 0 00000400 2', 1000);
    expect(host.take()).toBe(
      'SKSCAN 0 00000400 2\nOK\nEVENT 1F FE80:0000:0000:0000:021D:1290:E623:1D93\nEEDSCAN\n2B E1\n',
    );
  });
});

describe('SKJOIN', () => {
  it.each(['bp35a1', 'bp35c2'] as const)('%s: a wrong password ends in EVENT 24', (model) => {
    const { host, dongle } = createTestDongle(model);
    host
      .send({ name: 'SKSETPWD', password: 'WRONGPASSWRD' })
      .send({ name: 'SKSETRBID', id: TEST_RBID })
      .send('SKSREG S2 2B')
      .send('SKSREG S3 8888');
    const from = host.events.length;
    host.send({ name: 'SKJOIN', ipv6: METER_LLA }, 10_000);
    const evs = host.eventsSince(from);
    const side = model === 'bp35c2' ? ' 0' : '';
    expect(
      evs
        .filter((e) => e.type === 'event')
        .map((e) => `${e.num.toString(16)}${e.param === undefined ? '' : `/${e.param}`}`),
    ).toEqual(['21/2', '2', '21/0', '21/0', '21/0', '24']);
    expect(
      evs.filter((e) => e.type === 'erxudp').every((e) => e.type === 'erxudp' && e.rport === 0x02cc),
    ).toBe(true);
    expect(host.take()).toMatch(new RegExp(`EVENT 24 ${METER_LLA}${side}\\n$`));
    expect(dongle.session.kind).toBe('none');
  });

  it('fails the same way for a wrong B-route ID with the right pairing ID', () => {
    const { host, dongle } = createTestDongle('rl7023-ips');
    host
      .send({ name: 'SKSETPWD', password: TEST_PASSWORD })
      .send({ name: 'SKSETRBID', id: `FF${TEST_RBID.slice(2)}` })
      .send('SKSREG S2 2B')
      .send('SKSREG S3 8888')
      .send({ name: 'SKJOIN', ipv6: METER_LLA }, 10_000);
    expect(eventsOf(host.events, 0x24)).toHaveLength(1);
    expect(eventsOf(host.events, 0x25)).toHaveLength(0);
    expect(dongle.session.kind).toBe('none');
  });

  it('on the wrong channel: the neighbour solicitation stays unanswered, EVENT 24 after the PANA timeout', () => {
    const { host } = createTestDongle('bp35a1');
    host
      .send({ name: 'SKSETPWD', password: TEST_PASSWORD })
      .send({ name: 'SKSETRBID', id: TEST_RBID })
      .take();
    host.send({ name: 'SKJOIN', ipv6: METER_LLA }, 9_000);
    expect(host.take()).toBe(`SKJOIN ${METER_LLA}\nOK\nEVENT 21 ${METER_LLA} 02\n`);
    host.wait(1_100);
    expect(host.take()).toBe(`EVENT 24 ${METER_LLA}\n`);
  });

  it('needs credentials and no session (FAIL ER10)', () => {
    const { host } = createTestDongle('bp35a1');
    host.send({ name: 'SKJOIN', ipv6: METER_LLA }).send({ name: 'SKTERM' });
    expect(host.take()).toBe(`SKJOIN ${METER_LLA}\nFAIL ER10\nSKTERM\nFAIL ER10\n`);
  });
});

describe.each(DONGLE_MODELS)('%s: side-argument mistakes', (model: DongleModel) => {
  // The classic bug: formatting commands for the other family.
  const wrong = MODEL_FAMILY[model] === 'single-hop' ? 'dual-stack' : 'single-hop';

  it('SKSCAN with the other family’s arguments fails ER05 (argument count)', () => {
    const { host } = createTestDongle(model);
    host.send('SKSREG SFE 0').take();
    host.raw(formatCommand(wrong, { name: 'SKSCAN', duration: 6 }), 30_000);
    expect(host.take()).toBe('FAIL ER05\n');
  });

  it('SKSENDTO with the other family’s arguments fails ER06 and the stream stays in step', () => {
    const { host, meter } = joinedDongle(model);
    host.send('SKSREG SFE 0').take();
    host.raw(formatCommand(wrong, { name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }), 5_000);
    host.send({ name: 'SKVER' });
    expect(host.take()).toBe(`FAIL ER06\nEVER ${host.dongle.profile.version}\nOK\n`);
    expect(meter.received).toHaveLength(0);
  });
});

describe('commands and registers', () => {
  it('answers FAIL ER04 / ER05 / ER06 like the real stack', () => {
    const { host } = createTestDongle('bp35a1');
    host.send('SKSREG SFE 0').take();
    host
      .send('SKFOO')
      .send('SKSREG')
      .send('SKSREG S2 21 22')
      .send('SKSREG S99')
      .send('SKSREG S2 3D')
      .send('SKSREG SFB 1')
      .send('SKLL64 001C64006014')
      .send('SKSETPWD 5 ABCDEFGHIJKL')
      .send('SKVER 1');
    expect(host.take()).toBe(
      [
        'FAIL ER04',
        'FAIL ER05',
        'FAIL ER05',
        'FAIL ER06',
        'FAIL ER06',
        'FAIL ER06',
        'FAIL ER06',
        'FAIL ER06',
        'FAIL ER05',
        '',
      ].join('\n'),
    );
  });

  it('echoes commands while SFE=1 and stops after SKSREG SFE 0; SKRESET keeps it off', () => {
    const { host } = createTestDongle('bp35c2');
    host
      .send({ name: 'SKVER' })
      .send('SKSREG SFE 0')
      .send({ name: 'SKVER' })
      .send({ name: 'SKRESET' })
      .send('SKSREG SFE');
    expect(host.take()).toBe('SKVER\nEVER 1.5.2\nOK\nSKSREG SFE 0\nOK\nEVER 1.5.2\nOK\nOK\nESREG 0\nOK\n');
  });

  it('SKLL64 prints the address alone, without OK', () => {
    const { host } = createTestDongle('rl7023-dss');
    host.send({ name: 'SKLL64', mac: METER_MAC });
    expect(host.take()).toBe(`SKLL64 ${METER_MAC}\n${METER_LLA}\n`);
  });

  it('prints EINFO with five fields per model: FFFE on BP35A1, the side on dual-stack', () => {
    // fixtures/sk-corpus.json: `… 21 8888 FFFE` (BP35A1-shaped), `… 39 9E08 0` (EVER 1.5.2)
    expect(createTestDongle('bp35a1').host.send('SKSREG SFE 0').send({ name: 'SKINFO' }).take()).toBe(
      'SKSREG SFE 0\nOK\nEINFO FE80:0000:0000:0000:021D:1290:E623:1D93 001D1290E6231D93 21 FFFF FFFE\nOK\n',
    );
    expect(createTestDongle('rs-wsuha-p').host.send('SKSREG SFE 0').send({ name: 'SKINFO' }).take()).toBe(
      'SKSREG SFE 0\nOK\nEINFO FE80:0000:0000:0000:021D:1293:E623:1D93 001D1293E6231D93 21 FFFF 0\nOK\n',
    );
  });

  it.each(DONGLE_MODELS)('%s answers SKSREG SA2 1 with OK, as momonga expects at every open', (model) => {
    const { host } = createTestDongle(model);
    expect(host.send('SKSREG SA2 1').send('SKSREG SA2').take()).toBe(
      'SKSREG SA2 1\nOK\nSKSREG SA2\nESREG 1\nOK\n',
    );
  });

  it('accepts commands split anywhere, one byte at a time', () => {
    const whole = createTestDongle('bp35a1').host;
    const split = createTestDongle('bp35a1').host;
    const bytes = Buffer.concat([
      Buffer.from('SKVER\r\nSKSREG S2 2B\r\nSKSREG S2\r\n'),
      Buffer.from(
        formatCommand('single-hop', { name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(9, 0xe7) }),
      ),
    ]);
    whole.raw(bytes);
    for (const b of bytes) split.raw(Uint8Array.of(b));
    expect(split.take()).toBe(whole.take());
  });

  it('answers garbage with FAIL ER09 (UART input error)', () => {
    const { host } = createTestDongle('bp35a1');
    host.raw('SK\x01VER\r\n');
    expect(host.take()).toBe('FAIL ER09\n');
  });
});

describe('ROPT / WOPT', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('BP35A1 answers CR-only and keeps WOPT in flash across power cycles, counting writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wopt-'));
    dirs.push(dir);
    const file = join(dir, 'bp35a1.flash.json');
    const first = createTestDongle('bp35a1', { flash: new DongleFlash({ file }) });
    first.host.send('SKSREG SFE 0').take();
    first.host.send({ name: 'ROPT' }).send({ name: 'WOPT', mode: 1 }).send({ name: 'ROPT' });
    expect(first.host.take()).toBe('OK 00\\r\nOK\\r\nOK 01\\r\n');
    expect(Buffer.from(first.host.bytes()).toString('latin1')).toContain('OK 01\r');
    expect(first.dongle.flashWrites).toBe(1);

    // A new dongle object on the same flash file: a restart of the simulator with --state-dir.
    const second = createTestDongle('bp35a1', { flash: new DongleFlash({ file }) });
    second.host.send('SKSREG SFE 0').take();
    second.host.send({ name: 'ROPT' });
    expect(second.host.take()).toBe('OK 01\\r\n');
    expect(second.dongle.flashWrites).toBe(1);
    expect(second.dongle.encoding).toBe('hex');
  });

  it('a client that runs WOPT on every start wears the flash: one write per start', () => {
    const flash = new DongleFlash();
    for (let i = 0; i < 3; i++) createTestDongle('bp35c2', { flash }).host.send({ name: 'WOPT', mode: 1 });
    expect(flash.writes).toBe(3);
  });

  it.each(['rl7023-ips', 'rl7023-dss'] as const)('%s has no ROPT/WOPT (ER04) and prints hex', (model) => {
    const { host, dongle } = createTestDongle(model);
    host.send('SKSREG SFE 0').take();
    host.send({ name: 'ROPT' }).send({ name: 'WOPT', mode: 0 });
    expect(host.take()).toBe('FAIL ER04\nFAIL ER04\n');
    expect(dongle.flashWrites).toBe(0);
    expect(dongle.encoding).toBe('hex');
  });

  it('switches the ERXUDP payload between binary and hex immediately', () => {
    const { host } = joinedDongle('bp35a1');
    host.send('SKSREG SFE 0').take();
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(2, 0xd7) }, 5_000);
    host.send({ name: 'WOPT', mode: 1 });
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(3, 0xd7) }, 5_000);
    const udp = host.events.filter((e) => e.type === 'erxudp' && e.rport === 0x0e1a);
    expect(udp.map((e) => e.type === 'erxudp' && e.encoding)).toEqual(['binary', 'binary', 'hex']);
  });
});

describe('session', () => {
  it('SA2=1 inserts the RSSI field on dual-stack models', () => {
    const { host } = joinedDongle('bp35c2');
    host.send('SKSREG SFE 0').send('SKSREG SA2 1').take();
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(4, 0xe7) }, 5_000);
    const udp = host.events.at(-1)!;
    expect(udp).toMatchObject({ type: 'erxudp', layout: 'dual-stack-rssi', side: 0, secured: 1 });
    expect(udp.type === 'erxudp' && /^[0-9A-F]{2}$/.test(udp.rssi ?? '')).toBe(true);
  });

  it('re-authenticates when the lifetime (S16) ends; a request sent meanwhile is lost', () => {
    const { host, dongle, meter } = joinedDongle('bp35a1');
    host.send('SKSREG SFE 0').send('SKSREG S16 3C').take(); // 60 s, from the next session on
    dongle.expireSession();
    expect(host.take()).toBe(`EVENT 29 ${METER_LLA}\n`);
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(5, 0xe7) }, 8_000);
    expect(meter.received).toHaveLength(1); // it went out …
    const lines = host.take().split('\n');
    expect(lines.filter((l) => l.startsWith('ERXUDP') && l.includes(' 0E1A '))).toEqual([]); // … no answer
    expect(lines).toContain(`EVENT 25 ${METER_LLA}`);
    const session = dongle.session;
    if (session.kind !== 'established') throw new Error('not re-authenticated');
    // The new session lives S16 = 60 s from its EVENT 25.
    host.wait(session.expiresAt - host.clock.now() - 1);
    expect(host.take()).toBe('');
    host.wait(1);
    expect(host.take()).toBe(`EVENT 29 ${METER_LLA}\n`);
    host.wait(8_000);
    expect(eventsOf(host.events, 0x25)).toHaveLength(3);
  });

  it('with S17=0 the session just ends at EVENT 29; sends then fail (EVENT 21 param 01)', () => {
    const { host, dongle } = joinedDongle('rl7023-ips');
    host.send('SKSREG SFE 0').send('SKSREG S17 0').take();
    dongle.expireSession();
    host.wait(20_000);
    expect(host.take()).toBe(`EVENT 29 ${METER_LLA}\n`);
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(6, 0xe7) }, 5_000);
    expect(host.take()).toBe(`EVENT 21 ${METER_LLA} 01\nOK\n`);
  });

  it('SKREJOIN re-authenticates on request', () => {
    const { host } = joinedDongle('bp35c2');
    host.send('SKSREG SFE 0').take();
    host.send('SKREJOIN', 8_000);
    const text = host.take();
    expect(text.startsWith(`OK\nEVENT 21 ${METER_LLA} 0 00\n`)).toBe(true);
    expect(text.endsWith(`EVENT 25 ${METER_LLA} 0\n`)).toBe(true);
  });

  it('SKRESET drops the session silently; SKSENDTO then has no keys', () => {
    const { host, dongle } = joinedDongle('bp35a1');
    host.send('SKSREG SFE 0').send({ name: 'SKRESET' }).take();
    expect(dongle.session.kind).toBe('none');
    host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(7, 0xe7) }, 5_000);
    expect(host.take()).toBe(`EVENT 21 ${METER_LLA} 01\nOK\n`);
  });

  it('sends to an unknown address: neighbour solicitation, then failure', () => {
    const { host } = joinedDongle('bp35c0');
    host.send('SKSREG SFE 0').take();
    const other = 'FE80:0000:0000:0000:0000:0000:0000:0001';
    host.send({ name: 'SKSENDTO', ipv6: other, data: getRequest(8, 0xe7) }, 5_000);
    expect(host.take()).toBe(`EVENT 21 ${other} 0 02\nEVENT 21 ${other} 0 01\nOK\n`);
  });

  it('forwards the meter’s own notifications only while a session is up', () => {
    const { host, meter } = joinedDongle('bp35a1');
    const inf = encodeFrame({
      tid: 0x77,
      seoj: EOJ.smartMeter,
      deoj: EOJ.controller,
      esv: ESV.INF,
      properties: [{ epc: 0xea, edt: Uint8Array.from(Buffer.from('07EA05140E00000000FE68', 'hex')) }],
    });
    const before = host.events.length;
    meter.notify(inf);
    host.send({ name: 'SKTERM' }, 10_000);
    meter.notify(inf);
    const udp = host.eventsSince(before).filter((e) => e.type === 'erxudp' && e.rport === 0x0e1a);
    expect(udp).toHaveLength(1);
    expect(udp[0]!.type === 'erxudp' && decodeFrame(udp[0]!.data).tid).toBe(0x77);
  });

  it('SKTERM ends the session with EVENT 27', () => {
    const { host, dongle } = joinedDongle('rl7023-dss');
    host.send('SKSREG SFE 0').take();
    host.send({ name: 'SKTERM' }, 5_000);
    const text = host.take();
    expect(text.startsWith(`OK\nEVENT 21 ${METER_LLA} 0 00\nERXUDP ${METER_LLA} `)).toBe(true);
    expect(text.endsWith(`EVENT 27 ${METER_LLA} 0\n`)).toBe(true);
    expect(dongle.session.kind).toBe('none');
  });
});

describe('ARIB STD-T108 send-time restriction', () => {
  function restricted(model: DongleModel) {
    const clock = new SimClock({ start: START, speed: 0 });
    const meter = new FixtureMeter({
      rbid: TEST_RBID,
      password: TEST_PASSWORD,
      mac: METER_MAC,
      channel: 0x2b,
    });
    // A budget of 60 ms per minute: the join (≈ 45 ms on air) and three Gets (≈ 6 ms each) use it up.
    const dongle = new VirtualDongle({
      model,
      clock,
      meter,
      seed: 7,
      sendBudget: { budgetMs: 60, windowMs: 60_000 },
    });
    const host = new DongleTestHost(dongle, clock);
    host
      .send({ name: 'SKSETPWD', password: TEST_PASSWORD })
      .send({ name: 'SKSETRBID', id: TEST_RBID })
      .send('SKSREG S2 2B')
      .send('SKSREG S3 8888')
      .send({ name: 'SKJOIN', ipv6: METER_LLA }, 10_000)
      .send('SKSREG SFE 0');
    return { host, dongle };
  }

  it('announces EVENT 32 after the send that uses the budget up, refuses sends, then EVENT 33', () => {
    const { host, dongle } = restricted('bp35a1');
    expect(dongle.session.kind).toBe('established');
    expect(dongle.sendRestricted).toBe(false);
    host.take();
    let sends = 0;
    while (!dongle.sendRestricted && sends < 10) {
      host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(20 + sends, 0xe7) });
      sends++;
    }
    const text = host.take();
    expect(
      text.endsWith(`EVENT 21 ${METER_LLA} 00\nOK\nEVENT 32 FE80:0000:0000:0000:021D:1290:E623:1D93\n`),
    ).toBe(true);
    host.send('SKSREG SFB').send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(40, 0xe7) });
    expect(host.take()).toMatch(
      new RegExp(`^(ERXUDP [^\\n]*\\n)*ESREG 1\\nOK\\n(ERXUDP [^\\n]*\\n)*EVENT 21 ${METER_LLA} 01\\nOK\\n$`),
    );
    host.wait(60_000);
    expect(host.take()).toMatch(/EVENT 33 FE80:0000:0000:0000:021D:1290:E623:1D93\n$/);
    expect(dongle.sendRestricted).toBe(false);
    host.send('SKSREG SFB');
    expect(host.take()).toBe('ESREG 0\nOK\n');
  });

  it('dual-stack: EVENT 32/33 carry the side', () => {
    const { host, dongle } = restricted('bp35c2');
    for (let i = 0; i < 10 && !dongle.sendRestricted; i++) {
      host.send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(60 + i, 0xe7) });
    }
    expect(host.take()).toContain('EVENT 32 FE80:0000:0000:0000:021D:1292:E623:1D93 0\n');
  });
});

describe('flash registers', () => {
  it('SKSAVE with SFF=1 brings the registers back after a reboot; SKERASE forgets them', () => {
    const { host, dongle } = createTestDongle('bp35a1');
    host.send('SKSREG SFE 0').send('SKSREG S2 2B').send('SKSREG SFF 1').send('SKSAVE');
    dongle.reboot();
    host.send('SKSREG S2').send('SKERASE');
    dongle.reboot();
    host.send('SKSREG S2');
    expect(dongle.flashWrites).toBe(2);
    // After the first reboot SFE=0 came back from flash (no echo); after SKERASE echo is on again.
    expect(host.take()).toBe('SKSREG SFE 0\nOK\nOK\nOK\nOK\nESREG 2B\nOK\nOK\nSKSREG S2\nESREG 21\nOK\n');
  });
});
