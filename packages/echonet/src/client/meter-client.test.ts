import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { encodeFrame } from '../frame/codec.js';
import { EOJ, ESV } from '../frame/types.js';
import type { Logger } from './logger.js';
import { runUntil, settle } from './manual-clock.js';
import { scriptedClient as setup } from './scripted-client.js';
import { TEST_PASSWORD, TEST_RBID } from './scripted-dongle.js';

describe('MeterClient requests', () => {
  it('polls E7 + E8 + E0 + E3 in one frame and converts to W, A and kWh', async () => {
    const { client, clock, peer } = setup();
    await runUntil(clock, client.open());
    const before = client.stats.framesSent;
    const [w, a, normal, reverse] = await runUntil(
      clock,
      Promise.all([
        client.getInstantaneousPower(),
        client.getInstantaneousCurrent(),
        client.getCumulativeEnergy(),
        client.getCumulativeEnergy({ reverse: true }),
      ]),
    );
    expect(client.stats.framesSent - before).toBe(1);
    expect(w).toBe(632);
    expect(a).toEqual({ r: 3, t: null });
    expect(normal).toBe(6513.9);
    expect(reverse).toBe(1.2);
    expect(
      peer()
        .names()
        .filter((n) => n === 'SKSENDTO'),
    ).toHaveLength(1);
    await runUntil(clock, client.close());
  });

  it('holds requests during re-authentication (EVENT 29 … 25) instead of losing them', async () => {
    const { client, clock, peer, states } = setup();
    await runUntil(clock, client.open());
    peer().event(0x29);
    await settle();
    expect(client.state).toBe('reauthenticating');
    const power = client.getInstantaneousPower();
    clock.advance(20_000);
    await settle();
    expect(peer().names()).not.toContain('SKSENDTO');
    peer().event(0x25);
    expect(await runUntil(clock, power)).toBe(632);
    expect(states).toContain('reauthenticating');
    await runUntil(clock, client.close());
  });

  it('holds requests while sending is restricted (EVENT 32 … 33)', async () => {
    const { client, clock, peer } = setup();
    await runUntil(clock, client.open());
    peer().event(0x32);
    await settle();
    expect(client.session).toMatchObject({ state: 'ready', restricted: true });
    const power = client.getInstantaneousPower();
    clock.advance(600_000);
    await settle();
    expect(peer().names()).not.toContain('SKSENDTO');
    peer().event(0x33);
    expect(await runUntil(clock, power)).toBe(632);
    await runUntil(clock, client.close());
  });

  it('rejects with request.timeout once requestDeadlineMs passes, and with request.aborted on a signal', async () => {
    const { client, clock, peer } = setup({ requestDeadlineMs: 30_000 });
    await runUntil(clock, client.open());
    peer().event(0x29); // re-authentication that never ends within the deadline
    await settle();
    const late = client.getInstantaneousPower().catch((e: unknown) => e);
    const ac = new AbortController();
    const aborted = client.getInstantaneousCurrent({ signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error('poll cancelled'));
    expect(isEchonetError(await aborted, 'request.aborted')).toBe(true);
    clock.advance(30_000);
    expect(isEchonetError(await late, 'request.timeout')).toBe(true);
    await runUntil(clock, client.close());
  });

  it('rejoins after the meter ends the session (EVENT 27) and delivers the waiting reading', async () => {
    const { client, clock, peer, states } = setup();
    await runUntil(clock, client.open());
    peer().meterAnswers = false;
    const power = client.getInstantaneousPower();
    await settle();
    peer().event(0x27);
    await settle();
    peer().meterAnswers = true;
    expect(await runUntil(clock, power)).toBe(632);
    expect(states.slice(-3)).toEqual(['recovering', 'joining', 'ready']);
    expect(client.stats.recoveries).toBe(1);
    await runUntil(clock, client.close());
  });

  it('recovers from silence by rejoining, then by a full re-initialisation when the rejoin fails', async () => {
    const { client, clock, peer, peers } = setup({ retries: 1 });
    await runUntil(clock, client.open());
    peer().meterAnswers = false;
    peer().overrides.set('SKJOIN', (_c, q) => q.send({ type: 'fail', code: 'ER10' }));
    const recoveries: number[] = [];
    client.on('recovery', (r) => recoveries.push(r.attempt));
    const power = client.getInstantaneousPower();
    client.on('state', (s) => {
      // The dongle was "reset" (the full re-initialisation reopens the port: a fresh peer).
      if (s === 'recovering' && peers.length === 1) peer().meterAnswers = false;
    });
    expect(await runUntil(clock, power)).toBe(632);
    expect(recoveries).toEqual([0, 1]);
    expect(peers).toHaveLength(2);
    expect(peers[1]!.names().slice(0, 2)).toEqual(['SKRESET', 'SKVER']);
    await runUntil(clock, client.close());
  });

  it('reopens the port after an unplug and keeps retrying with backoff until it is back', async () => {
    const { client, clock, unplug, replug, peers, states } = setup({
      backoff: { initialMs: 1000, jitter: 0 },
    });
    await runUntil(clock, client.open());
    const delays: number[] = [];
    client.on('recovery', (r) => {
      delays.push(r.delayMs);
      if (delays.length === 3) replug();
    });
    unplug();
    await settle();
    expect(client.state).toBe('recovering');
    const power = await runUntil(clock, client.getInstantaneousPower());
    expect(power).toBe(632);
    expect(delays).toEqual([1000, 2000, 4000]);
    expect(peers).toHaveLength(2);
    expect(states.at(-1)).toBe('ready');
    await runUntil(clock, client.close());
  });

  it('closes cleanly while recovering from an unplug, leaving no timer behind', async () => {
    const { client, clock, unplug, states } = setup();
    await runUntil(clock, client.open());
    unplug();
    await settle();
    clock.advance(60_000); // a few failed reopen attempts
    await settle();
    expect(client.state).toBe('recovering');
    await runUntil(clock, client.close());
    expect(states.at(-1)).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  it('fails open() with transport.closed when the dongle is unplugged during the scan', async () => {
    const { client, clock, configure, unplug } = setup();
    configure((p) =>
      p.overrides.set('SKSCAN', (_c, q) => {
        q.ok();
        setImmediate(unplug);
      }),
    );
    const err = await runUntil(clock, client.open()).catch((e: unknown) => e);
    expect(isEchonetError(err, 'transport.closed')).toBe(true);
    expect(client.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  it('answers an INFC with INFC_Res and streams INF/INFC notifications', async () => {
    const { client, clock, peer } = setup();
    await runUntil(clock, client.open());
    const stream = client.notifications();
    const ea = Uint8Array.of(0x07, 0xea, 0x05, 0x14, 0x0e, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x68);
    peer().erxudp({
      tid: 7,
      seoj: EOJ.smartMeter,
      deoj: EOJ.controller,
      esv: ESV.INFC,
      properties: [{ epc: 0xea, edt: ea }],
    });
    const first = await runUntil(clock, stream.next());
    expect(first.value).toMatchObject({
      esv: ESV.INFC,
      properties: [{ epc: 0xea, name: 'fixedTimeEnergyNormal' }],
    });
    await runUntil(
      clock,
      (async () => {
        while (!peer().names().includes('SKSENDTO')) await settle();
      })(),
    );
    const res = peer().received.find((r) => r.name === 'SKSENDTO')!.data!;
    expect(res).toEqual(
      encodeFrame({
        tid: 7,
        seoj: EOJ.controller,
        deoj: EOJ.smartMeter,
        esv: ESV.INFC_Res,
        properties: [{ epc: 0xea, edt: new Uint8Array(0) }],
      }),
    );
    await runUntil(clock, client.close());
    expect((await stream.next()).done).toBe(true);
  });

  it('never logs the B-route ID or password, at any level, across open, get and close', async () => {
    const lines: string[] = [];
    const write = (level: string) => (obj: object, msg?: string) =>
      lines.push(JSON.stringify({ level, ...obj, msg }));
    const logger: Logger = {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    };
    const { client, clock } = setup({ logger });
    await runUntil(clock, client.open());
    await runUntil(clock, client.getCumulativeEnergy());
    await runUntil(clock, client.close());
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(all).toContain('SKSETRBID ********');
    expect(all).not.toContain(TEST_RBID);
    expect(all).not.toContain(TEST_RBID.slice(-8));
    expect(all).not.toContain(TEST_PASSWORD);
  });

  it('closes through await using', async () => {
    const { client, clock, peer } = setup();
    {
      await using c = client;
      await runUntil(clock, c.open());
    }
    expect(client.state).toBe('closed');
    expect(peer().names()).toContain('SKTERM');
  });
});
