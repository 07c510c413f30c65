import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { runUntil } from './manual-clock.js';
import { MemoryPanCacheStore } from './pan-cache.js';
import { CACHED, scriptedClient as setup } from './scripted-client.js';
import { defaultHandler, METER_LLA, METER_MAC, type ScriptedDongle } from './scripted-dongle.js';

describe('MeterClient open', () => {
  it('cold start: reset, family, payload format, credentials, scan, SKLL64, registers, join; caches the PAN', async () => {
    const panCache = new MemoryPanCacheStore();
    const { client, clock, peer, states } = setup({ panCache });
    const scans: string[] = [];
    client.on('scan', (p) => scans.push(p.type));
    await runUntil(clock, client.open());
    expect(peer().names()).toEqual([
      'SKRESET',
      'SKVER',
      'SKINFO',
      'ROPT',
      'SKSETPWD',
      'SKSETRBID',
      'SKSCAN',
      'SKLL64',
      'SKSREG',
      'SKSREG',
      'SKJOIN',
    ]);
    expect(peer().received.find((r) => r.name === 'SKSCAN')!.args).toEqual(['2', 'FFFFFFFF', '6']);
    expect(states).toEqual(['opening', 'scanning', 'joining', 'ready']);
    expect(scans).toEqual(['start', 'beacon', 'done']);
    expect(client.dongle).toMatchObject({ family: 'single-hop', payload: 'hex', version: '1.2.10' });
    expect(await panCache.load()).toMatchObject({
      channel: 0x21,
      panId: 0x8888,
      mac: METER_MAC,
      ipv6: METER_LLA,
    });
    await runUntil(clock, client.close());
    expect(peer().names().at(-1)).toBe('SKTERM');
    expect(states.at(-1)).toBe('closed');
  });

  it('warm start joins the cached PAN without scanning', async () => {
    const { client, clock, peer, states } = setup({ panCache: new MemoryPanCacheStore(CACHED) });
    await runUntil(clock, client.open());
    expect(peer().names()).not.toContain('SKSCAN');
    expect(
      peer()
        .received.filter((r) => r.name === 'SKSREG')
        .map((r) => r.args),
    ).toEqual([
      ['S2', '21'],
      ['S3', '8888'],
    ]);
    expect(states).toEqual(['opening', 'joining', 'ready']);
    await runUntil(clock, client.close());
  });

  it('falls back to a scan when the cached PAN refuses the join', async () => {
    const { client, clock, peer, configure, states } = setup({ panCache: new MemoryPanCacheStore(CACHED) });
    let joins = 0;
    configure((p) =>
      p.overrides.set('SKJOIN', (cmd, q) => {
        joins++;
        if (joins > 1) return defaultHandler(cmd, q);
        q.ok();
        q.event(0x24);
      }),
    );
    await runUntil(clock, client.open());
    expect(
      peer()
        .names()
        .filter((n) => n === 'SKJOIN' || n === 'SKSCAN'),
    ).toEqual(['SKJOIN', 'SKSCAN', 'SKJOIN']);
    expect(states).toEqual(['opening', 'joining', 'scanning', 'joining', 'ready']);
    await runUntil(clock, client.close());
  });

  it('reports wrong credentials (EVENT 24 from a meter the scan found) as join.credentials and closes', async () => {
    const { client, clock, configure, states } = setup();
    configure((p) =>
      p.overrides.set('SKJOIN', (_c, q) => {
        q.ok();
        q.event(0x24);
      }),
    );
    const err = await runUntil(clock, client.open()).catch((e: unknown) => e);
    expect(isEchonetError(err, 'join.credentials')).toBe(true);
    expect(states.at(-1)).toBe('closed');
    await expect(client.getInstantaneousPower()).rejects.toMatchObject({ code: 'client.closed' });
  });

  it('reports a meter that never answers a scan as scan.failed after durations 6, 7, 8', async () => {
    const { client, clock, peer, configure } = setup();
    configure((p) =>
      p.overrides.set('SKSCAN', (_c, q) => {
        q.ok();
        q.event(0x22);
      }),
    );
    const err = await runUntil(clock, client.open()).catch((e: unknown) => e);
    expect(isEchonetError(err, 'scan.failed')).toBe(true);
    expect(
      peer()
        .received.filter((r) => r.name === 'SKSCAN')
        .map((r) => r.args[2]),
    ).toEqual(['6', '7', '8']);
  });

  it('reports a join that never completes as join.no-answer', async () => {
    const { client, clock, configure } = setup({ joinTimeoutMs: 30_000 });
    configure((p) => p.overrides.set('SKJOIN', (_c, q) => q.ok()));
    const err = await runUntil(clock, client.open()).catch((e: unknown) => e);
    expect(isEchonetError(err, 'join.no-answer')).toBe(true);
  });

  it('detects a dual-stack dongle from EINFO and sends the side argument', async () => {
    const { client, clock, peer } = setup({ family: 'dual-stack' });
    await runUntil(clock, client.open());
    expect(client.dongle?.family).toBe('dual-stack');
    expect(peer().received.find((r) => r.name === 'SKSCAN')!.args).toEqual(['2', 'FFFFFFFF', '6', '0']);
    await runUntil(clock, client.getInstantaneousPower());
    expect(peer().received.find((r) => r.name === 'SKSENDTO')!.args[4]).toBe('0');
    await runUntil(clock, client.close());
  });

  it('reads the payload format with ROPT and writes WOPT 01 only when asked', async () => {
    const binary = (p: ScriptedDongle) => p.overrides.set('ROPT', (_c, q) => q.ok('00'));
    const plain = setup();
    plain.configure(binary);
    await runUntil(plain.clock, plain.client.open());
    expect(plain.client.dongle?.payload).toBe('binary');
    expect(plain.peer().names()).not.toContain('WOPT');
    await runUntil(plain.clock, plain.client.close());

    const asked = setup({ ensureAsciiPayload: true });
    asked.configure(binary);
    await runUntil(asked.clock, asked.client.open());
    expect(asked.peer().received.find((r) => r.name === 'WOPT')?.args).toEqual(['01']);
    expect(asked.client.dongle?.payload).toBe('hex');
    await runUntil(asked.clock, asked.client.close());
  });
});
