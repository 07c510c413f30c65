import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, watchStalledConnections } from './db.js';
import type { StoreLogger } from './logger.js';
import { encodeEntry, type StoreEntry } from './rows.js';
import { Spool } from './spool.js';
import { createTestDatabase, type TestDatabase } from './testing/test-db.js';
import { startTcpProxy } from './testing/test-proxy.js';
import { type SetTimer, StoreWriter } from './writer.js';

const METER = '001C6400601421A3';
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0);
const at = (s: number): Date => new Date(T0 + s * 1000);

/** Timers that fire only when the test says so. */
function manualTimer(): { set: SetTimer; delays: () => number[]; fire: () => void } {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  return {
    set: (fn, ms) => {
      const id = ++next;
      pending.set(id, { fn, ms });
      return () => pending.delete(id);
    },
    delays: () => [...pending.values()].map((p) => p.ms),
    fire: () => {
      const due = [...pending.values()];
      pending.clear();
      for (const p of due) p.fn();
    },
  };
}

function capture(): { logger: StoreLogger; records: { level: string; obj: unknown; msg: string }[] } {
  const records: { level: string; obj: unknown; msg: string }[] = [];
  const log =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      records.push({ level, obj, msg: msg ?? '' });
    };
  return {
    records,
    logger: {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
    } as unknown as StoreLogger,
  };
}

let t: TestDatabase;
let spoolDir: string;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());
beforeEach(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), 'writer-spool-'));
  await t.pool.query(
    'TRUNCATE meter, power_sample, energy_reading, energy_interval, cpu_temperature, co2_sample, bme280_sample, scan_log RESTART IDENTITY',
  );
});
afterEach(() => rm(spoolDir, { recursive: true, force: true }));

const power = (s: number, w: number) =>
  ({ meter: METER, time: at(s), power_w: w, current_r_a: w / 100, current_t_a: null }) as const;

describe('StoreWriter', () => {
  it('writes a batch once; writing the same rows again changes nothing and the first value stays', async () => {
    const timer = manualTimer();
    const writer = new StoreWriter({ db: t.db, timer: timer.set });
    for (let s = 0; s < 3; s++) writer.add('power_sample', power(s * 30, 100 + s));
    writer.add('power_sample', power(0, 999)); // same key, other value, same batch
    expect(await writer.flush()).toMatchObject({ written: 4, spooled: 0, pending: 0, buffered: 0 });
    for (let s = 0; s < 3; s++) writer.add('power_sample', power(s * 30, 555));
    await writer.flush();
    const rows = await t.db.selectFrom('power_sample').select(['time', 'power_w']).orderBy('time').execute();
    expect(rows).toEqual([
      { time: at(0), power_w: 100 },
      { time: at(30), power_w: 101 },
      { time: at(60), power_w: 102 },
    ]);
    await writer.close();
  });

  it('flushes flushIntervalMs after the first row, or at once when maxBatch rows wait', async () => {
    const timer = manualTimer();
    const writer = new StoreWriter({ db: t.db, timer: timer.set, flushIntervalMs: 1000, maxBatch: 3 });
    writer.add('cpu_temperature', { sensor: 'pi', time: at(0), celsius: 50 });
    writer.add('cpu_temperature', { sensor: 'pi', time: at(60), celsius: 51 });
    expect(timer.delays()).toEqual([1000]);
    expect(writer.buffered).toBe(2);
    const count = async () =>
      Number((await t.pool.query('SELECT count(*) AS n FROM cpu_temperature')).rows[0].n);
    expect(await count()).toBe(0);
    writer.add('cpu_temperature', { sensor: 'pi', time: at(120), celsius: 52 });
    expect(timer.delays()).toEqual([0]);
    timer.fire();
    await writer.flush(); // queued behind the timer's flush
    expect(await count()).toBe(3);
    expect(timer.delays()).toEqual([]);
    await writer.close();
    expect(() => writer.add('cpu_temperature', { sensor: 'pi', time: at(180), celsius: 53 })).toThrow(
      /close/,
    );
  });

  it('writes every table kind', async () => {
    const writer = new StoreWriter({ db: t.db, timer: manualTimer().set });
    writer.add('energy_reading', {
      meter: METER,
      time: at(0),
      normal_kwh: 1234.5,
      reverse_kwh: 0,
      normal_count: 12345,
      reverse_count: 0,
      coefficient: 1,
      unit_kwh: 0.1,
    });
    writer.add('co2_sample', { sensor: '/dev/serial0', time: at(0), ppm: 612, temperature_c: 24 });
    writer.add('bme280_sample', {
      sensor: 'i2c-1/0x76',
      time: at(0),
      temperature_c: 21.53,
      pressure_hpa: 1008.2,
      humidity_pct: 48.1,
    });
    writer.add('scan_log', {
      time: at(0),
      channel: 33,
      channel_page: 9,
      pan_id: 0x8888,
      address: METER,
      lqi: 0xe1,
      pair_id: 'AABBCCDD',
      side: null,
    });
    await writer.close();
    expect((await t.db.selectFrom('energy_reading').selectAll().executeTakeFirstOrThrow()).normal_kwh).toBe(
      1234.5,
    );
    expect((await t.db.selectFrom('co2_sample').selectAll().executeTakeFirstOrThrow()).ppm).toBe(612);
    expect((await t.db.selectFrom('bme280_sample').selectAll().executeTakeFirstOrThrow()).pressure_hpa).toBe(
      1008.2,
    );
    expect(await t.db.selectFrom('scan_log').selectAll().executeTakeFirstOrThrow()).toMatchObject({
      id: 1,
      lqi: 225,
    });
  });

  it("lets the meter's own record replace a polled interval value, and otherwise keeps the first", async () => {
    const writer = new StoreWriter({ db: t.db, timer: manualTimer().set });
    const iv = (slot: number, kwh: number, source: 'history' | 'fixed-time' | 'poll') =>
      ({ meter: METER, direction: 'normal', slot: at(slot * 1800), kwh, count: kwh * 10, source }) as const;
    writer.add('energy_interval', iv(0, 100, 'poll'));
    writer.add('energy_interval', iv(1, 101, 'history'));
    writer.add('energy_interval', iv(2, 102, 'fixed-time'));
    await writer.flush();
    writer.add('energy_interval', iv(0, 100.1, 'history')); // replaces the poll
    writer.add('energy_interval', iv(1, 999, 'poll')); // ignored
    writer.add('energy_interval', iv(2, 998, 'history')); // equal rank: first stays
    writer.add('energy_interval', iv(3, 103, 'poll'));
    writer.add('energy_interval', iv(3, 103.1, 'fixed-time')); // same batch: the meter's record wins
    writer.add('energy_interval', iv(3, 997, 'poll'));
    await writer.close();
    const rows = await t.db
      .selectFrom('energy_interval')
      .select(['kwh', 'count', 'source'])
      .orderBy('slot')
      .execute();
    expect(rows).toEqual([
      { kwh: 100.1, count: 1001, source: 'history' },
      { kwh: 101, count: 1010, source: 'history' },
      { kwh: 102, count: 1020, source: 'fixed-time' },
      { kwh: 103.1, count: 1031, source: 'fixed-time' },
    ]);
  });

  it('upserts meters: absent fields keep their value, last_seen only moves forward', async () => {
    const writer = new StoreWriter({ db: t.db, timer: manualTimer().set });
    writer.add('meter', {
      meter: METER,
      serial: 'SN0001',
      manufacturer: '000016',
      coefficient: 1,
      unit_kwh: 0.1,
      digits: 6,
      seen: at(100),
    });
    await writer.flush();
    writer.add('meter', { meter: METER, seen: at(200) });
    writer.add('meter', { meter: METER, coefficient: 10, seen: at(150) });
    await writer.flush();
    writer.add('meter', { meter: METER, seen: at(50) }); // a late spooled sighting
    await writer.close();
    const row = await t.db.selectFrom('meter').selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual({
      meter: METER,
      serial: 'SN0001',
      manufacturer: '000016',
      coefficient: 10,
      unit_kwh: 0.1,
      digits: 6,
      first_seen: at(50),
      last_seen: at(200),
    });
  });

  it('drops a row the database rejects, logs it, and stores the rest of its batch', async () => {
    const { logger, records } = capture();
    const writer = new StoreWriter({ db: t.db, timer: manualTimer().set, logger });
    writer.add('power_sample', power(0, 1));
    writer.add('energy_interval', {
      meter: METER,
      direction: 'sideways' as 'normal',
      slot: at(0),
      kwh: 1,
      count: 1,
      source: 'poll',
    });
    writer.add('power_sample', power(30, 2));
    expect(await writer.close()).toMatchObject({ written: 3, buffered: 0 });
    expect(writer.stats).toMatchObject({ written: 2, rejected: 1 });
    expect(await t.db.selectFrom('power_sample').select('power_w').orderBy('time').execute()).toEqual([
      { power_w: 1 },
      { power_w: 2 },
    ]);
    const rejected = records.find((r) => r.level === 'error');
    expect(rejected?.obj).toMatchObject({ table: 'energy_interval', sqlstate: '23514' });
  });
});

describe('StoreWriter while PostgreSQL is away', () => {
  it('spools rows to disk and writes them back in order when the server returns', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const { logger, records } = capture();
    const h = await openDatabase({ url: proxy.via(t.url), logger, connectTimeoutMs: 2000 });
    const spool = await Spool.open({ dir: spoolDir, logger });
    const timer = manualTimer();
    const writer = new StoreWriter({
      db: h.db,
      spool,
      timer: timer.set,
      logger,
      maxBatch: 4,
      retryIntervalMs: 5000,
    });
    const scan = (n: number) =>
      ({
        time: at(n),
        channel: n,
        channel_page: 9,
        pan_id: 1,
        address: METER,
        lqi: 100,
        pair_id: null,
        side: null,
      }) as const;
    try {
      let n = 0;
      writer.add('scan_log', scan(n++));
      expect(await writer.flush()).toMatchObject({ written: 1, spooled: 0 });

      await proxy.down();
      for (let round = 0; round < 3; round++) {
        for (let k = 0; k < 5; k++) writer.add('scan_log', scan(n++));
        writer.add('power_sample', power(n, n));
        const r = await writer.flush();
        expect(r).toMatchObject({ written: 0, spooled: 6, buffered: 0 });
      }
      expect(writer.online).toBe(false);
      expect(spool.pendingRows).toBe(18);
      expect(timer.delays()).toEqual([5000]);
      expect((await readdir(spoolDir)).some((f) => f.endsWith('.jsonl'))).toBe(true);
      expect(records.filter((r) => r.msg.includes('spooling')).length).toBe(1);

      // A retry while still down keeps everything where it is.
      timer.fire();
      expect(await writer.flush()).toMatchObject({ written: 0, pending: 18 });

      await proxy.up();
      for (let k = 0; k < 3; k++) writer.add('scan_log', scan(n++));
      expect(await writer.flush()).toMatchObject({ written: 21, spooled: 3, pending: 0, buffered: 0 });
      expect(writer.online).toBe(true);
      expect(await readdir(spoolDir)).toEqual([]);

      const channels = (await t.db.selectFrom('scan_log').select('channel').orderBy('id').execute()).map(
        (r) => r.channel,
      );
      expect(channels).toEqual(Array.from({ length: 19 }, (_, i) => i));
      expect(Number((await t.pool.query('SELECT count(*) AS n FROM power_sample')).rows[0].n)).toBe(3);
    } finally {
      await writer.close();
      await h.close();
      await proxy.close();
    }
  });

  it('turns to the spool when the path goes silent without a reset, once the stalled connection is cut', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const { logger, records } = capture();
    const h = await openDatabase({ url: proxy.via(t.url), logger, connectTimeoutMs: 1000 });
    const watch = watchStalledConnections(h.pool, { afterMs: 400, logger, target: h.target });
    const spool = await Spool.open({ dir: spoolDir, logger });
    const writer = new StoreWriter({ db: h.db, spool, timer: manualTimer().set, logger });
    try {
      writer.add('power_sample', power(0, 1));
      expect(await writer.flush()).toMatchObject({ written: 1, spooled: 0 });
      proxy.stall();
      writer.add('power_sample', power(30, 2));
      writer.add('power_sample', power(60, 3));
      // Without the watchdog this flush waits for the kernel's TCP timeout (minutes).
      expect(await writer.flush()).toMatchObject({ written: 0, spooled: 2, buffered: 0 });
      expect(spool.pendingRows).toBe(2);
      expect(records.some((r) => r.level === 'warn' && r.msg.includes('connection silent'))).toBe(true);
      expect(watch.cut).toBe(1);
    } finally {
      watch.stop();
      await writer.close();
      await h.close();
      await proxy.close();
    }
  });

  it('on close, gives up on a silent database after the deadline and keeps every row in the spool', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const { logger, records } = capture();
    const h = await openDatabase({ url: proxy.via(t.url), logger, connectTimeoutMs: 1000 });
    const spool = await Spool.open({ dir: spoolDir, logger });
    const writer = new StoreWriter({
      db: h.db,
      spool,
      timer: manualTimer().set,
      logger,
      closeDeadlineMs: 300,
    });
    try {
      writer.add('power_sample', power(0, 1));
      expect(await writer.flush()).toMatchObject({ written: 1 });
      proxy.stall();
      writer.add('power_sample', power(30, 2));
      writer.add('power_sample', power(60, 3));
      void writer.flush(); // this batch goes in flight and never ends
      writer.add('power_sample', power(90, 4));
      expect(await writer.close()).toMatchObject({ written: 0, spooled: 3, pending: 3, buffered: 0 });
      expect(records.some((r) => r.msg.includes('did not finish the last write in time'))).toBe(true);
    } finally {
      await proxy.close(); // the stalled connection is reset, so the pool can end
      await h.close();
    }
    // The next start finds the three rows and writes them.
    const again = await Spool.open({ dir: spoolDir });
    expect(again.pendingRows).toBe(3);
    const next = new StoreWriter({ db: t.db, spool: again, timer: manualTimer().set });
    expect(await next.close()).toMatchObject({ written: 3, pending: 0 });
    expect(
      (await t.db.selectFrom('power_sample').select('power_w').orderBy('time').execute()).map(
        (r) => r.power_w,
      ),
    ).toEqual([1, 2, 3, 4]);
  });

  it('without a spool, holds rows in memory and writes them when the server returns', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const h = await openDatabase({ url: proxy.via(t.url), connectTimeoutMs: 2000 });
    const writer = new StoreWriter({ db: h.db, timer: manualTimer().set });
    try {
      await proxy.down();
      writer.add('power_sample', power(0, 1));
      writer.add('power_sample', power(30, 2));
      expect(await writer.flush()).toMatchObject({ written: 0, buffered: 2 });
      writer.add('power_sample', power(60, 3));
      await proxy.up();
      expect(await writer.flush()).toMatchObject({ written: 3, buffered: 0 });
      expect((await t.db.selectFrom('power_sample').select('power_w').orderBy('time').execute()).length).toBe(
        3,
      );
    } finally {
      await writer.close();
      await h.close();
      await proxy.close();
    }
  });

  it('keeps rows in memory, once each, when the spool itself cannot be written', async () => {
    const proxy = await startTcpProxy(Number(new URL(t.url).port));
    const h = await openDatabase({ url: proxy.via(t.url), connectTimeoutMs: 2000 });
    const spool = await Spool.open({ dir: join(spoolDir, 'gone') });
    await rm(join(spoolDir, 'gone'), { recursive: true });
    const { logger, records } = capture();
    const writer = new StoreWriter({ db: h.db, spool, timer: manualTimer().set, logger });
    try {
      await proxy.down();
      writer.add('power_sample', power(0, 1));
      writer.add('power_sample', power(30, 2));
      expect(await writer.flush()).toMatchObject({ written: 0, spooled: 0, buffered: 2 });
      expect(records.some((r) => r.level === 'error' && r.msg.includes('cannot spool'))).toBe(true);
      await proxy.up();
      expect(await writer.flush()).toMatchObject({ written: 2, buffered: 0 });
      expect((await t.db.selectFrom('power_sample').select('power_w').orderBy('time').execute()).length).toBe(
        2,
      );
    } finally {
      await writer.close();
      await h.close();
      await proxy.close();
    }
  });

  it('replays a spool left by a crashed run, torn last line and all, as soon as it starts', async () => {
    const entries: StoreEntry[] = [
      { kind: 'power_sample', row: power(0, 10) },
      { kind: 'meter', row: { meter: METER, serial: 'SN9', seen: at(0) } },
      { kind: 'power_sample', row: power(30, 11) },
    ];
    await writeFile(
      join(spoolDir, 'spool-000000000003.jsonl'),
      `${entries.map(encodeEntry).join('\n')}\n${encodeEntry({ kind: 'power_sample', row: power(60, 12) }).slice(0, 30)}`,
    );
    const spool = await Spool.open({ dir: spoolDir });
    expect(spool.pendingRows).toBe(3);
    const timer = manualTimer();
    const writer = new StoreWriter({ db: t.db, spool, timer: timer.set });
    expect(timer.delays()).toEqual([0]);
    timer.fire();
    expect(await writer.flush()).toMatchObject({ pending: 0 });
    expect(await t.db.selectFrom('power_sample').select('power_w').orderBy('time').execute()).toEqual([
      { power_w: 10 },
      { power_w: 11 },
    ]);
    expect((await t.db.selectFrom('meter').select('serial').executeTakeFirstOrThrow()).serial).toBe('SN9');
    expect(await readdir(spoolDir)).toEqual([]);
    await writer.close();
  });
});
