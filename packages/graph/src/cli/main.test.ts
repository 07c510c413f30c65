/**
 * The commands as a user runs them: `tsx src/cli/main.ts power|temp …` in a child process against
 * a seeded PostgreSQL named by DATABASE_URL.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../render/canvas-module.js';
import { SERIAL_COLORS } from '../render/palette.js';
import { countColor } from '../test-support/png-inspect.js';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, 'main.ts');
const TSX = resolve(here, '../../../../node_modules/.bin/tsx');

let pg: TestDatabase;
let work: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      TSX,
      [MAIN, ...args],
      { cwd: work, env: { ...process.env, INIT_CWD: work, DATABASE_URL: pg.url, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  pg = await createTestDatabase();
  work = mkdtempSync(join(tmpdir(), 'graph-cli-'));
  await sql`
    INSERT INTO power_sample (meter, time, power_w, current_r_a, current_t_a)
    SELECT '001C6400601421A3', t, 500, 5, 3
    FROM generate_series('2024-06-01T00:00+09'::timestamptz, '2024-06-01T23:59:50+09'::timestamptz, interval '10 seconds') AS t`.execute(
    pg.db,
  );
  await sql`
    INSERT INTO cpu_temperature (sensor, time, celsius)
    SELECT 'pi', t, 48 FROM generate_series('2024-06-01T00:00+09'::timestamptz, '2024-06-01T23:59+09'::timestamptz, interval '1 minute') AS t`.execute(
    pg.db,
  );
});

afterAll(async () => {
  await pg?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const leftovers = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.png'));

describe('power and temp commands', () => {
  it('writes power_YYYY-MM-DD.png in the current directory and prints its path', async () => {
    const r = await run(['power', '-d', '2024-06-01', '--width', '900', '--height', '500']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const path = join(work, 'power_2024-06-01.png');
    expect(r.stdout.trim()).toBe(path);
    const img = await decodePng(readFileSync(path));
    expect([img.width, img.height]).toEqual([900, 500]);
    rmSync(path);
  });

  it('writes the temperature chart into a directory given with -o', async () => {
    const out = mkdtempSync(join(work, 'out-'));
    const r = await run(['temp', '--date', '2024-06-01', '-o', out, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, 'temp_2024-06-01.png'));
    expect(readdirSync(out)).toEqual(['temp_2024-06-01.png']);
  });

  it('draws several days (bucketed) and an ISO range under their own names', async () => {
    const out = mkdtempSync(join(work, 'range-'));
    const days = await run(['power', '-d', '2024-06-01', '--days', '3', '-o', `${out}/`, '-w', '1h']);
    expect(days.code).toBe(0);
    expect(days.stdout.trim()).toBe(join(out, 'power_2024-05-30_2024-06-01.png'));
    const span = await run(['power', '-s', '2024-06-01T09:00', '-e', '2024-06-01T18:00', '-o', out]);
    expect(span.code).toBe(0);
    expect(span.stdout.trim()).toBe(join(out, 'power_20240601T0900_20240601T1800.png'));
    expect(readdirSync(out).sort()).toEqual([
      'power_2024-05-30_2024-06-01.png',
      'power_20240601T0900_20240601T1800.png',
    ]);
  });

  it('temp --serial adds the named serial values; an unknown name alone is no data', async () => {
    await sql`
      INSERT INTO extra.sensor_reading (sensor, name, time, value, unit)
      SELECT 'xbee', 'lux', t, 300, 'lx'
      FROM generate_series('2024-06-02T00:00+09'::timestamptz, '2024-06-02T23:50+09'::timestamptz, interval '10 minutes') AS t`.execute(
      pg.db,
    );
    const out = mkdtempSync(join(work, 'serial-'));
    const r = await run(['temp', '-d', '2024-06-02', '-o', out, '--serial', 'out,lux']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const img = await decodePng(readFileSync(join(out, 'temp_2024-06-02.png')));
    expect(countColor(img, SERIAL_COLORS[0]!)).toBeGreaterThan(100);
    // Without --serial the day has nothing to draw.
    const none = await run(['temp', '-d', '2024-06-02', '-o', `${out}/plain.png`]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^temp: no data between/);
    const unknown = await run(['temp', '-d', '2024-06-02', '-o', `${out}/plain.png`, '--serial', 'nosuch']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^temp: no data between/);
    expect(readdirSync(out)).toEqual(['temp_2024-06-02.png']);
  });

  it('prints help with -h and exits 0', async () => {
    const r = await run(['power', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: power/);
    expect(r.stdout).toContain('--window');
  });

  it('an empty range: one line on stderr, exit 1, no file', async () => {
    const out = mkdtempSync(join(work, 'empty-'));
    const r = await run(['power', '-d', '2020-01-01', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('power: no data between 2020-01-01 00:00 and 2020-01-02 00:00 (JST)\n');
    expect(leftovers(out)).toEqual([]);
  });

  it('before anything was stored (no embedded cluster yet): one line saying there is no data, exit 1, nothing created', async () => {
    const fresh = mkdtempSync(join(work, 'fresh-'));
    writeFileSync(join(fresh, 'power_consumption.ini'), `[database]\ndata_dir = ${join(fresh, 'data')}\n`);
    const r = await run(['power', '-o', fresh], { DATABASE_URL: '', INIT_CWD: fresh });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^power: no data yet: nothing has been stored \(the embedded PostgreSQL in \S+ does not exist yet; start the poller first/,
    );
    expect(r.stderr.split('\n').filter((l) => l)).toHaveLength(1);
    expect(readdirSync(fresh)).toEqual(['power_consumption.ini']);
  });

  it('a database that cannot be reached: one line naming it without the password, exit 1, no file', async () => {
    const out = mkdtempSync(join(work, 'nodb-'));
    const r = await run(['temp', '-d', '2024-06-01', '-o', out], {
      DATABASE_URL: 'postgres://graph:s3cret-pw@127.0.0.1:1/power',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l)).toHaveLength(1);
    expect(r.stderr).toMatch(/^temp: cannot reach PostgreSQL at 127\.0\.0\.1:1\/power: connect ECONNREFUSED/);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(leftovers(out)).toEqual([]);
  });

  it('an unwritable output path: one line, exit 1, checked before the database is touched', async () => {
    const r = await run(['power', '-d', '2024-06-01', '-o', join(work, 'no', 'such', 'dir', 'x.png')], {
      DATABASE_URL: 'postgres://graph:pw@127.0.0.1:1/power',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `power: cannot write ${join(work, 'no', 'such', 'dir', 'x.png')}: directory ${join(work, 'no', 'such', 'dir')} does not exist\n`,
    );
    expect(existsSync(join(work, 'no'))).toBe(false);
  });

  it('a font file that does not exist: one line, exit 1, no file', async () => {
    const out = mkdtempSync(join(work, 'font-'));
    const r = await run(['power', '-d', '2024-06-01', '-o', out, '--font', '/no/such/font.ttf']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('power: font file not found: /no/such/font.ttf\n');
    expect(leftovers(out)).toEqual([]);
  });

  it('bad options: one line pointing at --help, exit 1', async () => {
    const r = await run(['power', '--lang', 'fr']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('power: --lang must be ja or en, got "fr" (see --help)\n');
  });
});
