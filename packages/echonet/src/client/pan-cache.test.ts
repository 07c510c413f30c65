import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FilePanCacheStore,
  MemoryPanCacheStore,
  type PanCache,
  panMatchesId,
  parsePanCache,
} from './pan-cache.js';

const PAN: PanCache = {
  channel: 0x21,
  panId: 0x8888,
  mac: '001C6400601421A3',
  ipv6: 'FE80:0000:0000:0000:021C:6400:6014:21A3',
  pairId: 'AABBCCDD',
};

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pan-cache-'));
  dirs.push(dir);
  return join(dir, 'nested', 'pan.json');
}

describe('FilePanCacheStore', () => {
  it('saves, loads and clears, creating the directory', async () => {
    const path = await tempPath();
    const store = new FilePanCacheStore(path);
    expect(await store.load()).toBeUndefined();
    await store.save(PAN);
    expect(await store.load()).toEqual(PAN);
    expect(JSON.parse(await readFile(path, 'utf8')).panId).toBe(0x8888);
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });

  it('reads a damaged or incomplete file as no cache', async () => {
    const path = await tempPath();
    const store = new FilePanCacheStore(path);
    await store.save(PAN);
    await writeFile(path, '{"channel": 33, "panId":');
    expect(await store.load()).toBeUndefined();
    await writeFile(path, JSON.stringify({ ...PAN, mac: 'nothex' }));
    expect(await store.load()).toBeUndefined();
  });
});

describe('parsePanCache / panMatchesId', () => {
  it('normalises case and rejects out-of-range fields', () => {
    expect(parsePanCache({ ...PAN, mac: PAN.mac.toLowerCase() })?.mac).toBe(PAN.mac);
    expect(parsePanCache({ ...PAN, channel: 300 })).toBeUndefined();
    expect(parsePanCache({ ...PAN, panId: -1 })).toBeUndefined();
    expect(parsePanCache(null)).toBeUndefined();
  });

  it('accepts a cache only for the B-route ID whose last 8 characters it was joined with', () => {
    expect(panMatchesId(PAN, `${'0'.repeat(24)}aabbccdd`)).toBe(true);
    expect(panMatchesId(PAN, `${'0'.repeat(24)}11223344`)).toBe(false);
    const { pairId: _omit, ...noPair } = PAN;
    expect(panMatchesId(noPair, 'anything')).toBe(true);
  });

  it('MemoryPanCacheStore keeps one entry', async () => {
    const m = new MemoryPanCacheStore();
    await m.save(PAN);
    expect(await m.load()).toBe(PAN);
    await m.clear();
    expect(await m.load()).toBeUndefined();
  });
});
