import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { FixedPanStore, fixedPan, macFromLinkLocal } from './fixed-pan.js';
import { runUntil } from './manual-clock.js';
import { scriptedClient as setup } from './scripted-client.js';
import { METER_LLA, METER_MAC } from './scripted-dongle.js';

describe('a fixed PAN (--meter-channel, --meter-panid, --meter-ipv6)', () => {
  it('derives the MAC from the link-local address (U/L bit inverted)', () => {
    expect(macFromLinkLocal(METER_LLA)).toBe(METER_MAC);
    expect(macFromLinkLocal('fe80::21c:6400:6014:21a3')).toBe(METER_MAC);
    expect(fixedPan(0x21, 0x8888, 'fe80::21c:6400:6014:21a3')).toEqual({
      channel: 0x21,
      panId: 0x8888,
      mac: METER_MAC,
      ipv6: METER_LLA,
    });
    for (const bad of [() => fixedPan(0x20, 1, METER_LLA), () => macFromLinkLocal('2001:db8::1')]) {
      expect(() => bad()).toThrow(expect.objectContaining({ code: 'config.invalid' }));
    }
  });

  it('joins without a scan', async () => {
    const { client, clock, peer, states } = setup({
      panCache: new FixedPanStore(fixedPan(0x21, 0x8888, METER_LLA)),
    });
    await runUntil(clock, client.open());
    expect(peer().names()).not.toContain('SKSCAN');
    expect(states).toEqual(['opening', 'joining', 'ready']);
    await runUntil(clock, client.close());
  });

  it('a refused join is an error, never a scan', async () => {
    const { client, clock, peer, configure } = setup({
      panCache: new FixedPanStore(fixedPan(0x21, 0x8888, METER_LLA)),
    });
    configure((p) =>
      p.overrides.set('SKJOIN', (_c, q) => {
        q.ok();
        q.event(0x24);
      }),
    );
    const err = await runUntil(clock, client.open()).catch((e: unknown) => e);
    expect(isEchonetError(err, 'join.credentials')).toBe(true);
    expect(peer().names()).not.toContain('SKSCAN');
  });
});
