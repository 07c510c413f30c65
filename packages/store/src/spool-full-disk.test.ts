/**
 * A spool on a disk that fills (issue 14, item 2). Two disks: a stub whose writes behave as
 * Linux's do on a full file system (a short write without an error, then ENOSPC), which runs
 * everywhere; and a real 256 KiB tmpfs, where this machine lets us mount one.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import type { StoreLogger } from './logger.js';
import type { StoreEntry } from './rows.js';
import { Spool } from './spool.js';
import { fillingDisk } from './testing/filling-disk.js';
import { powerRow } from './testing/power-row.js';
import { createTestDatabase, type TestDatabase } from './testing/test-db.js';
import { startTcpProxy } from './testing/test-proxy.js';
import { StoreWriter } from './writer.js';

const METER = '001C6400601421A3';
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const power = (s: number, w: number) => powerRow(METER, T0, s, w);
const entries = (from: number, n: number): StoreEntry[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'power_sample', row: power((from + i) * 30, from + i) }));

function capture(): { logger: StoreLogger; msgs: string[] } {
  const msgs: string[] = [];
  const log = (_obj: unknown, msg?: string) => void msgs.push(msg ?? '');
  return { msgs, logger: { debug: log, info: log, warn: log, error: log } as unknown as StoreLogger };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spool-full-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('Spool on a disk that fills', () => {
  it('a short write is undone, not glued to the next batch; what was refused is reported', async () => {
    const disk = fillingDisk(0);
    const first = entries(1, 10);
    const spool = await Spool.open({ dir, open: disk.open });
    disk.room = 1_000_000;
    await spool.append(first);
    disk.room = 500; // a few lines of the next batch fit, the rest does not
    await expect(spool.append(entries(11, 30))).rejects.toMatchObject({ code: 'store.spool' });
    await expect(spool.append(entries(41, 5))).rejects.toMatchObject({ code: 'store.spool' });
    disk.room = 1_000_000; // space freed
    await spool.append(entries(50, 3));
    await spool.close();

    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl'))) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    }
    const again = await Spool.open({ dir });
    const replayed: number[] = [];
    await again.replay(async (batch) => {
      for (const e of batch) replayed.push((e.row as { power_w: number }).power_w);
    });
    expect(replayed).toEqual([...first.map((_, i) => i + 1), 50, 51, 52]);
    expect(again.skippedLines).toBe(0);
  });
});

describe('StoreWriter with a full spool disk when the database returns', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  it('replays the spool and writes the rows held in memory, in order, with the disk still full', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const h = await openDatabase({ url: proxy.via(t.url), connectTimeoutMs: 1000 });
    const disk = fillingDisk(1_000_000);
    const spool = await Spool.open({ dir, open: disk.open });
    const { logger, msgs } = capture();
    const writer = new StoreWriter({ db: h.db, spool, logger, timer: () => () => undefined });
    try {
      writer.add('power_sample', power(0, 1));
      expect(await writer.flush()).toMatchObject({ written: 1 });
      await proxy.down();
      writer.add('power_sample', power(30, 2));
      writer.add('power_sample', power(60, 3));
      expect(await writer.flush()).toMatchObject({ pending: 2 });
      disk.room = 0; // the disk fills
      for (let i = 4; i <= 8; i++) {
        writer.add('power_sample', power(i * 30, i));
        expect(await writer.flush()).toMatchObject({ pending: 2, buffered: i - 3 });
      }
      expect(msgs.filter((m) => m.startsWith('cannot spool rows')).length).toBe(1);
      await proxy.up(); // the database is back, the disk still full
      expect(await writer.flush()).toMatchObject({ pending: 0, buffered: 0 });
      expect(writer.stats.droppedFromMemory).toBe(0);
      await writer.close();
    } finally {
      await proxy.close();
      await h.close();
    }
    const rows = await t.db.selectFrom('power_sample').select('power_w').orderBy('time').execute();
    expect(rows.map((r) => r.power_w)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

/** Mounts a 256 KiB tmpfs at `at`; false (with the reason) where the machine does not allow it. */
function mountTmpfs(at: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', at], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim();
  }
}

describe('Spool on a real 256 KiB tmpfs', () => {
  it('fills, refuses without tearing a line, and takes rows again once space is freed', async (ctx) => {
    const mnt = join(dir, 'mnt');
    await mkdir(mnt);
    const refused = mountTmpfs(mnt);
    if (refused !== undefined) {
      ctx.skip(`cannot mount a tmpfs here (${refused}); the stub above covers the same path`);
      return;
    }
    try {
      const spoolDir = join(mnt, 'spool');
      // Bound above the disk, so the disk fills before the spool's own limit drops anything.
      const spool = await Spool.open({ dir: spoolDir, maxBytes: 4 * 1024 * 1024, segmentBytes: 64 * 1024 });
      const ballast = join(mnt, 'ballast');
      let stored = 0;
      let refusals = 0;
      for (let i = 0; refusals < 3 && i < 10_000; i++) {
        try {
          await spool.append(entries(i * 50, 50));
          stored += 50;
        } catch (e) {
          expect(e).toMatchObject({ code: 'store.spool' });
          refusals++;
        }
      }
      expect(refusals).toBe(3);
      expect(stored).toBeGreaterThan(0);
      // Free space: delete the oldest segment's rows by replaying them.
      let replayed = 0;
      const outcome = await spool.replay(async (batch) => {
        replayed += batch.length;
      });
      expect(outcome.error).toBeUndefined();
      expect(replayed).toBe(stored);
      expect(spool.skippedLines).toBe(0);
      await spool.append(entries(900_000, 10));
      await spool.close();
      const again = await Spool.open({ dir: spoolDir });
      expect(again.pendingRows).toBe(10);
      await rm(ballast, { force: true });
    } finally {
      execFileSync('umount', ['-l', mnt]);
    }
  });
});
