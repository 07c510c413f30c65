import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLegacySchema,
  createTestDatabase,
  seedLegacyData,
  type TestDatabase,
} from '@b-route/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportLegacy } from './import-legacy-cli.js';
import { importLegacy } from './legacy-import.js';

const METER = '001C640000ABCDEF';
const DAY = '2024-01-15';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function run(argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportLegacy(argv, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    env: {},
    cwd: tmpdir(),
  });
  return { code, out, err };
}

/** The original's power_consumption.ini, unchanged, pointing at `url`. */
async function originalIni(url: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'legacy-ini-'));
  const path = join(dir, 'power_consumption.ini');
  await writeFile(
    path,
    `[routeB]\ndevice = /dev/ttyUSB0\ntimeout = 5\ndebug = false\nid = 0123456789ABCDEF0123456789ABCDEF\npassword = ABCDEFGHIJKL\ndb_url = ${url}\n\n[bme280]\nbus = 1\naddress = 0x76\nosrs_p = 5\nt_sb = 5\nfilter = 4\n`,
    { mode: 0o600 },
  );
  return path;
}

const count = async (t: TestDatabase, table: string): Promise<number> =>
  (await t.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('import-legacy into the database of the original power-consumption', () => {
  let t: TestDatabase;
  let ini: string;
  let first: Run;

  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    await createLegacySchema(t.pool);
    await seedLegacyData(t.pool, { day: DAY });
    await t.pool.query(
      `INSERT INTO scan_log (channel, channel_page, pan_id, addr, lqi, pair_id, created_at)
       VALUES (59, 9, 4660, '${METER.toLowerCase()}', 80, 'ABCDEF01', '${DAY} 00:00:05')`,
    );
    // Markers, an unknown unit code, and a row with nothing in it.
    await t.pool.query(
      `INSERT INTO power_log (係数, 積算電力量, 電力量単位, 瞬時電力, 瞬時電流_R, 瞬時電流_T, created_at) VALUES
         (1, 500, 1, 2147483646, 32766, 32766, '${DAY} 23:59:30'),
         (1, 600, 5, 300, 12, 32766, '${DAY} 23:59:40'),
         (NULL, NULL, NULL, NULL, NULL, NULL, '${DAY} 23:59:50')`,
    );
    ini = await originalIni(t.url);
    first = await run(['--config', ini]);
  });
  afterAll(() => t?.close());

  it('imports every table and reports a summary per table', () => {
    expect(first.err.filter((l) => !/rows \(\d+%\)$/.test(l))).toEqual([
      expect.stringMatching(/db_url .* read as \[database\] url/),
      expect.stringMatching(/timeout .* read as \[routeB\] timeout_s/),
      expect.stringMatching(/debug .* read as \[log\] level = info/),
      expect.stringMatching(/register codes/),
    ]);
    expect(first.err).toContainEqual('import-legacy: power_log 1443/1443 rows (100%)');
    expect(first.code).toBe(0);
    expect(first.out[0]).toMatch(new RegExp(`meter ${METER}, created_at in Asia/Tokyo`));
    expect(first.out).toContainEqual(
      expect.stringMatching(
        /power_log \(public\.power_log\): 1443 read: \+1441 power_sample, \+1441 energy_reading, \+48 energy_interval; 1 bad rows skipped, 1 rows without some value \(id 1443: no value in the row; id 1442: 電力量単位 5 is not an E1 unit code\)/,
      ),
    );
    expect(first.out).toContainEqual('  temp_log (public.temp_log): 288 read: +288 cpu_temperature');
    expect(first.out).toContainEqual('  co2_log (public.co2_log): 288 read: +288 co2_sample');
    expect(first.out).toContainEqual('  bme280_log (public.bme280_log): 288 read: +288 bme280_sample');
    // init.sql (applied by the importer) moved the original's scan_log out of our way.
    expect(first.out).toContainEqual('  scan_log (legacy.scan_log): 1 read: +1 scan_log');
  });

  it('converts count × coefficient × unit to kWh, created_at from JST, currents from 0.1 A', async () => {
    const legacy = await t.pool.query(
      `SELECT 積算電力量 AS count, 瞬時電力 AS power, 瞬時電流_r AS r, 瞬時電流_t AS t FROM power_log WHERE id = 31`,
    );
    const { rows } = await t.pool.query(
      `SELECT e.normal_kwh::float8 AS kwh, e.normal_count::int AS count, p.power_w, p.current_r_a, p.current_t_a
       FROM energy_reading e JOIN power_sample p USING (meter, time)
       WHERE meter = $1 AND time = '${DAY}T00:30:00+09:00'`,
      [METER],
    );
    const l = legacy.rows[0];
    expect(rows).toEqual([
      {
        kwh: l.count,
        count: l.count,
        power_w: l.power,
        current_r_a: expect.closeTo(l.r / 10, 5),
        current_t_a: expect.closeTo(l.t / 10, 5),
      },
    ]);
    const slots = await t.pool.query(
      `SELECT count(*)::int AS n, min(slot) AS first FROM energy_interval WHERE meter = $1 AND source = 'poll'`,
      [METER],
    );
    expect(slots.rows[0]).toEqual({ n: 48, first: new Date(`${DAY}T00:00:00+09:00`) });
  });

  it('turns the no-value markers into NULL and keeps power of a row with an unknown unit', async () => {
    const { rows } = await t.pool.query(
      `SELECT power_w, current_r_a, current_t_a FROM power_sample WHERE time >= '${DAY}T23:59:30+09:00' ORDER BY time`,
    );
    // 23:59:30 has markers only: no instantaneous row, but its cumulative reading.
    expect(rows).toEqual([{ power_w: 300, current_r_a: expect.closeTo(1.2, 5), current_t_a: null }]);
    expect(await count(t, `energy_reading WHERE time = '${DAY}T23:59:40+09:00'`)).toBe(0);
    const kwh = await t.pool.query(
      `SELECT normal_kwh::float8 AS kwh FROM energy_reading WHERE time = '${DAY}T23:59:30+09:00'`,
    );
    expect(kwh.rows).toEqual([{ kwh: 50 }]);
  });

  it('stores the sensors under the names the poller gives them, and their rollups', async () => {
    const cpu = await t.pool.query(`SELECT DISTINCT sensor FROM cpu_temperature`);
    expect(cpu.rows).toEqual([{ sensor: hostname() }]);
    const bme = await t.pool.query(`SELECT DISTINCT sensor FROM bme280_sample`);
    expect(bme.rows).toEqual([{ sensor: 'i2c-1:0x76' }]);
    const co2 = await t.pool.query(`SELECT DISTINCT sensor FROM co2_sample`);
    expect(co2.rows).toEqual([{ sensor: '/dev/serial0' }]);
    const celsius = await t.pool.query(`SELECT max(celsius) AS c FROM cpu_temperature`);
    expect(celsius.rows[0].c).toBeLessThan(51);
    expect(await count(t, `rollup.power_sample WHERE width_s = 3600`)).toBe(24);
  });

  it('a second run adds nothing, and nothing even when the progress is lost', async () => {
    const before = await count(t, 'power_sample');
    const again = await run(['--config', ini]);
    expect(again.code).toBe(0);
    expect(again.out).toContainEqual('  power_log (public.power_log): 0 read');
    await t.pool.query('TRUNCATE legacy.import_progress');
    const third = await run(['--config', ini]);
    expect(third.out).toContainEqual(
      expect.stringMatching(
        /power_log \(public\.power_log\): 1443 read: \+0 power_sample, \+0 energy_reading, \+0 energy_interval;/,
      ),
    );
    expect(third.out).toContainEqual('  scan_log (legacy.scan_log): 1 read: +0 scan_log');
    expect(await count(t, 'power_sample')).toBe(before);
    expect(await count(t, 'scan_log')).toBe(1);
  });
});

describe('import-legacy from another database', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createTestDatabase({ migrate: false });
    target = await createTestDatabase();
    await createLegacySchema(source.pool);
    await seedLegacyData(source.pool, { day: DAY, minutes: 600 });
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('needs a meter when neither database knows one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'legacy-ini-'));
    const ini = join(dir, 'power_consumption.ini');
    await writeFile(ini, `[database]\nurl = ${target.url}\n`);
    const r = await run(['--config', ini, '--from', source.url]);
    expect(r.code).toBe(2);
    expect(r.err.at(-1)).toMatch(/no meter known .* pass --meter/);
  });

  it('resumes after an interruption without adding a row twice', async () => {
    const base = {
      target: target.pool,
      source: source.pool,
      sourceKey: 'other',
      timezone: 'Asia/Tokyo',
      meter: METER,
      sensors: { cpu: 'pi', co2: '/dev/serial0', bme280: 'i2c-1:0x76' },
      batchRows: 100,
    };
    let batches = 0;
    await expect(
      importLegacy({
        ...base,
        onProgress: (table) => {
          if (table === 'power_log') batches += 1;
          if (batches === 3) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(await count(target, 'power_sample')).toBe(300);
    const summaries = await importLegacy(base);
    expect(summaries[0]).toMatchObject({
      table: 'power_log',
      read: 300,
      added: { power_sample: 300 },
      bad: 0,
    });
    expect(await count(target, 'power_sample')).toBe(600);
    expect(await count(target, 'energy_interval')).toBe(20);
  });

  it('reads created_at in the zone given by --timezone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'legacy-ini-'));
    const ini = join(dir, 'power_consumption.ini');
    await writeFile(ini, `[database]\nurl = ${target.url}\n`);
    await target.pool.query('TRUNCATE power_sample, energy_reading, energy_interval, legacy.import_progress');
    const r = await run(['--config', ini, '--from', source.url, '--meter', METER, '--timezone', 'UTC']);
    expect(r.code).toBe(0);
    const { rows } = await target.pool.query('SELECT min(time) AS t FROM power_sample');
    expect(rows[0].t).toEqual(new Date(`${DAY}T00:00:00Z`));
    expect((await run(['--timezone', 'Mars/Olympus'])).code).toBe(2);
    const none = await run(['--config', join(dir, 'missing.ini')]);
    expect(none.code).toBe(2);
  });
});
