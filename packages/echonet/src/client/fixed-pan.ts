/**
 * A PAN given by the operator (channel, PAN ID, the meter's link-local IPv6), as the HEMS data
 * collector's --meter-channel/--meter-panid/--meter-ipv6 do: the client joins it and never
 * scans; a join that fails is an error, retried by the usual recovery, not a scan.
 */
import { EchonetError } from '../errors.js';
import type { PanCache, PanCacheStore } from './pan-cache.js';

const IPV6_FULL = /^fe80(?::0{1,4}){3}(?::[0-9a-f]{1,4}){4}$/i;

/**
 * The meter's MAC from its link-local address (RFC 4291 §2.5.1, modified EUI-64: the U/L bit of
 * the first byte inverted), which is how SKLL64 made that address.
 * @throws EchonetError `config.invalid` unless `ipv6` is a link-local address in SK spelling
 *   (8 groups, FE80:0000:0000:0000:…) or written with `::`.
 */
export function macFromLinkLocal(ipv6: string): string {
  const groups = expand(ipv6);
  if (!groups || !IPV6_FULL.test(groups.join(':'))) {
    throw new EchonetError(
      'config.invalid',
      `"${ipv6}" is not the meter's link-local IPv6 address (FE80:…)`,
      {
        context: { ipv6 },
      },
    );
  }
  const iid = groups
    .slice(4)
    .map((g) => g.padStart(4, '0'))
    .join('');
  const first = (Number.parseInt(iid.slice(0, 2), 16) ^ 0x02).toString(16).padStart(2, '0');
  return `${first}${iid.slice(2)}`.toUpperCase();
}

function expand(ipv6: string): string[] | undefined {
  const parts = ipv6.split('::');
  if (parts.length > 2) return undefined;
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  const fill = parts.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0) return undefined;
  const groups = [...head, ...Array.from({ length: fill }, () => '0'), ...tail];
  return groups.length === 8 && groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? groups : undefined;
}

/**
 * A PanCache for a fixed PAN.
 * @throws EchonetError `config.invalid` for a channel outside 0x21–0x3C, a PAN ID outside
 *   0–0xFFFF, or an address that is not link-local.
 */
export function fixedPan(channel: number, panId: number, ipv6: string): PanCache {
  if (!Number.isInteger(channel) || channel < 0x21 || channel > 0x3c) {
    throw new EchonetError('config.invalid', `channel ${channel} is outside the B-route's 33–60 (0x21–0x3C)`);
  }
  if (!Number.isInteger(panId) || panId < 0 || panId > 0xffff) {
    throw new EchonetError('config.invalid', `PAN ID ${panId} is outside 0–0xFFFF`);
  }
  const mac = macFromLinkLocal(ipv6);
  const groups = expand(ipv6)!.map((g) => g.toUpperCase().padStart(4, '0'));
  return { channel, panId, mac, ipv6: groups.join(':') };
}

/** The store behind a fixed PAN: always that PAN, nothing saved, never a scan. */
export class FixedPanStore implements PanCacheStore {
  readonly noScan = true;
  readonly #pan: PanCache;

  constructor(pan: PanCache) {
    this.#pan = pan;
  }

  async load(): Promise<PanCache> {
    return this.#pan;
  }

  async save(): Promise<void> {}

  async clear(): Promise<void> {}
}
