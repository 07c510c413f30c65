import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * What it takes to join the meter again without a scan (tens of seconds to two minutes saved):
 * the EPANDESC of the last successful join and the link-local address SKLL64 made from it.
 */
export interface PanCache {
  /** Channel (register S2), 0x21–0x3C on the B-route. */
  readonly channel: number;
  /** PAN ID (register S3). */
  readonly panId: number;
  /** The meter's MAC, 16 hex digits. */
  readonly mac: string;
  /** The meter's link-local IPv6 (SKLL64 of `mac`), SK spelling. */
  readonly ipv6: string;
  /**
   * PairID from EPANDESC: the last 8 characters of the B-route ID the meter was joined with.
   * A cache whose pairing ID differs from the configured ID belongs to another contract and
   * is not used.
   */
  readonly pairId?: string;
  /** ISO time of the join that wrote the entry. */
  readonly savedAt?: string;
}

/** Where the cache lives. */
export interface PanCacheStore {
  /** The cached PAN, or undefined when there is none or it is unreadable. Never throws. */
  load(): Promise<PanCache | undefined>;
  save(pan: PanCache): Promise<void>;
  clear(): Promise<void>;
  /** The PAN is fixed by the operator: join it or fail, never scan (FixedPanStore). */
  readonly noScan?: boolean;
}

const HEX16 = /^[0-9A-Fa-f]{16}$/;
const IPV6 = /^[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}$/;

/** A PanCache from parsed JSON, or undefined when anything is missing or out of range. */
export function parsePanCache(value: unknown): PanCache | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { channel, panId, mac, ipv6, pairId, savedAt } = v;
  if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 0 || channel > 0xff)
    return undefined;
  if (typeof panId !== 'number' || !Number.isInteger(panId) || panId < 0 || panId > 0xffff) return undefined;
  if (typeof mac !== 'string' || !HEX16.test(mac)) return undefined;
  if (typeof ipv6 !== 'string' || !IPV6.test(ipv6)) return undefined;
  if (pairId !== undefined && typeof pairId !== 'string') return undefined;
  return {
    channel,
    panId,
    mac: mac.toUpperCase(),
    ipv6: ipv6.toUpperCase(),
    ...(pairId === undefined ? {} : { pairId: pairId.toUpperCase() }),
    ...(typeof savedAt === 'string' ? { savedAt } : {}),
  };
}

/** True when `pan` may be used with the B-route ID `rbid` (same pairing ID, or none recorded). */
export function panMatchesId(pan: PanCache, rbid: string): boolean {
  return pan.pairId === undefined || pan.pairId.toUpperCase() === rbid.slice(-8).toUpperCase();
}

/**
 * The cache as a small JSON file. Writes go to a temporary file renamed over the old one, so a
 * power cut leaves either the old or the new entry; a damaged file reads as "no cache".
 */
export class FilePanCacheStore implements PanCacheStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<PanCache | undefined> {
    try {
      return parsePanCache(JSON.parse(await readFile(this.path, 'utf8')));
    } catch {
      return undefined;
    }
  }

  async save(pan: PanCache): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(pan, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.path);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/** The cache in memory only (tests, or when no path is configured: lost at exit). */
export class MemoryPanCacheStore implements PanCacheStore {
  #pan: PanCache | undefined;

  constructor(initial?: PanCache) {
    this.#pan = initial;
  }

  async load(): Promise<PanCache | undefined> {
    return this.#pan;
  }

  async save(pan: PanCache): Promise<void> {
    this.#pan = pan;
  }

  async clear(): Promise<void> {
    this.#pan = undefined;
  }
}
