import { isConfigError } from '@b-route/store';
import { describe, expect, it } from 'vitest';
import { configFromIni } from './load-config.js';

const ID = '0123456789ABCDEF0123456789ABCDEF';
/** A power_consumption.ini as the original power-consumption's users have it. */
const ORIGINAL = `[routeB]
device = /dev/ttyUSB0
timeout = 2.5
debug = true
id = ${ID}
password = ABCDEFGHIJKL
db_url = postgresql://pi:secret@localhost/power

[bme280]
bus = 1
address = 0x76
osrs_h = 1
osrs_t = 2
osrs_p = 5
t_sb = 5
filter = 4
`;

const load = (text: string, env: Record<string, string> = {}) =>
  configFromIni(text, { env, baseDir: '/srv/pc', source: '/srv/pc/power_consumption.ini' });

function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('did not throw');
}

describe('a power_consumption.ini of the original power-consumption', () => {
  it('works as it is, each legacy key read with its old meaning', () => {
    const { config, warnings } = load(ORIGINAL);
    expect(config.database.url).toBe('postgresql://pi:secret@localhost/power');
    expect(config.routeB.timeoutS).toBe(3);
    expect(config.log.level).toBe('debug');
    expect(config.bme280).toMatchObject({
      osrsH: 1,
      osrsT: 2,
      osrsP: 16,
      filter: 16,
      standbyMs: 1000,
    });
    expect(warnings).toEqual([
      expect.stringMatching(/:7: \[routeB\] db_url \(power-consumption\) read as \[database\] url/),
      expect.stringMatching(/:3: \[routeB\] timeout .* read as \[routeB\] timeout_s/),
      expect.stringMatching(/:4: \[routeB\] debug .* read as \[log\] level = debug/),
      expect.stringMatching(
        /:9: \[bme280\] in power-consumption's register codes: read .*osrs_p = 5 as ×16.*filter = 4 as coefficient 16, t_sb = 5 as standby_ms = 1000/,
      ),
    ]);
    expect(warnings.join('\n')).not.toContain('secret');
  });

  it('a [bme280] with a code-only value is read in codes even without t_sb', () => {
    const { config } = load('[bme280]\nosrs_p = 3\nfilter = 2\n');
    expect(config.bme280.osrsP).toBe(4);
    expect(config.bme280.filter).toBe(4);
  });

  it('a file of ours keeps its meaning (filter = 4 is coefficient 4)', () => {
    const { config, warnings } = load('[bme280]\nosrs_p = 16\nfilter = 4\nstandby_ms = 62.5\n');
    expect(config.bme280).toMatchObject({ osrsP: 16, filter: 4, standbyMs: 62.5 });
    expect(warnings).toEqual([]);
  });

  it('a multiplier in a section read as codes is refused, not reinterpreted', () => {
    const e = thrown(() => load('[bme280]\nt_sb = 0\nosrs_p = 16\n'));
    expect(isConfigError(e, 'config.invalid')).toBe(true);
    expect(e.message).toMatch(/\[bme280\] osrs_p = 16: must be a register code 0–7/);
  });

  it('without db_url it refuses to start a new empty embedded database', () => {
    const text = ORIGINAL.replace(/^db_url.*$/m, '');
    const e = thrown(() => load(text));
    expect(isConfigError(e, 'config.missing')).toBe(true);
    expect(e.message).toMatch(/without db_url: set \[database\] url/);
    expect(load(`${text}\n[database]\ndata_dir = data\n`).config.database.url).toBeUndefined();
    expect(load(text, { DATABASE_URL: 'postgres://h/db' }).config.database.url).toBe('postgres://h/db');
  });

  it('a libpq key=value db_url becomes a URL', () => {
    const { config } = load(`[routeB]\ndb_url = "host=pi port=5433 dbname=power user=pc password='a b'"\n`);
    expect(config.database.url).toBe('postgresql://pc:a%20b@pi:5433/power');
  });

  it('a legacy key and its replacement both set is an error naming both', () => {
    expect(thrown(() => load('[routeB]\ntimeout = 5\ntimeout_s = 5\n')).message).toMatch(
      /set timeout_s only/,
    );
    expect(
      thrown(() => load('[routeB]\ndb_url = postgres://a/x\n[database]\nurl = postgres://b/y\n')).message,
    ).toMatch(/db_url .* and \[database\] url name different databases/);
  });
});
