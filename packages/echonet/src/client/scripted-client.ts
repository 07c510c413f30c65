import { ManualClock } from './manual-clock.js';
import { MeterClient } from './meter-client.js';
import type { MeterClientOptions } from './meter-client-options.js';
import { MemoryPanCacheStore, type PanCache } from './pan-cache.js';
import { METER_LLA, METER_MAC, ScriptedDongle, TEST_PASSWORD, TEST_RBID } from './scripted-dongle.js';
import type { SessionState } from './session-machine.js';

/**
 * A MeterClient on a manual clock whose port is a fresh ScriptedDongle per open, with a meter
 * that has values for the properties a poller reads. For unit tests; not exported.
 */

const u32 = (n: number) => Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
export const CACHED: PanCache = {
  channel: 0x21,
  panId: 0x8888,
  mac: METER_MAC,
  ipv6: METER_LLA,
  pairId: TEST_RBID.slice(-8),
};

function meterValues(peer: ScriptedDongle): void {
  peer.values.set(0xd3, u32(1));
  peer.values.set(0xe1, Uint8Array.of(0x01)); // 0.1 kWh
  peer.values.set(0xe0, u32(65139));
  peer.values.set(0xe3, u32(12));
  peer.values.set(0xe7, u32(632));
  peer.values.set(0xe8, Uint8Array.of(0x00, 0x1e, 0x7f, 0xfe));
  peer.values.set(0x80, Uint8Array.of(0x30));
}

/**
 * `family` is the scripted dongle's; the client is not told it and reads it from EINFO, as it does
 * with a real dongle.
 */
export function scriptedClient(
  options: Omit<Partial<MeterClientOptions>, 'family'> & { family?: 'single-hop' | 'dual-stack' } = {},
) {
  const { family, ...clientOptions } = options;
  const clock = new ManualClock();
  const peers: ScriptedDongle[] = [];
  let plugged = true;
  const configure: ((p: ScriptedDongle) => void)[] = [];
  const device = () => {
    if (!plugged) throw new Error('ENOENT: no such device');
    const peer = new ScriptedDongle(family ?? 'single-hop');
    meterValues(peer);
    for (const c of configure) c(peer);
    peers.push(peer);
    return peer.stream;
  };
  const states: SessionState[] = [];
  const client = new MeterClient({
    rbid: TEST_RBID,
    password: TEST_PASSWORD,
    device,
    clock,
    panCache: new MemoryPanCacheStore(),
    ...clientOptions,
  });
  client.on('state', (s) => states.push(s));
  return {
    clock,
    client,
    states,
    peer: () => peers.at(-1)!,
    peers,
    configure: (c: (p: ScriptedDongle) => void) => configure.push(c),
    unplug: () => {
      plugged = false;
      peers.at(-1)!.stream.push(null);
    },
    replug: () => {
      plugged = true;
    },
  };
}
