/**
 * The whole move from the original power-consumption: its database and its unchanged
 * power_consumption.ini, `import-legacy`, then the graph's queries draw the old day.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryPowerData, queryTempData } from '@b-route/graph';
import { runImportLegacy } from '@b-route/poller';
import { loadDatabaseConfig } from '@b-route/store';
import { createLegacySchema, createTestDatabase, seedLegacyData } from '@b-route/store/testing';
import { describe, expect, it } from 'vitest';

describe('moving from power-consumption', () => {
  it('its database and ini, import-legacy, then the charts of its days', async () => {
    const t = await createTestDatabase({ migrate: false });
    try {
      await createLegacySchema(t.pool);
      await seedLegacyData(t.pool, { day: '2024-03-01', minutes: 2 * 1440 });
      await t.pool.query(
        `INSERT INTO scan_log (channel, channel_page, pan_id, addr, lqi, pair_id) VALUES (59, 9, 4660, '001C640000ABCDEF', 80, '')`,
      );
      const dir = await mkdtemp(join(tmpdir(), 'pc-'));
      const ini = join(dir, 'power_consumption.ini');
      await writeFile(
        ini,
        `[routeB]\ndevice = /dev/ttyUSB0\ntimeout = 5\nid = 0123456789ABCDEF0123456789ABCDEF\npassword = ABCDEFGHIJKL\ndb_url = ${t.url}\n`,
        { mode: 0o600 },
      );
      const out: string[] = [];
      const code = await runImportLegacy(['--config', ini], {
        stdout: (l) => out.push(l),
        stderr: () => undefined,
        env: {},
        cwd: dir,
      });
      expect(code, out.join('\n')).toBe(0);
      // The graph commands find the same database through the old ini.
      expect((await loadDatabaseConfig({ path: ini, env: {} })).url).toBe(t.url);

      const day = {
        start: new Date('2024-03-01T00:00:00+09:00'),
        end: new Date('2024-03-02T00:00:00+09:00'),
      };
      const power = await queryPowerData(t.db, day, { bucketMs: null });
      expect(power.meter).toBe('001C640000ABCDEF');
      expect(power.power).toHaveLength(1440);
      expect(power.normalKwh).toHaveLength(1440);
      expect(power.bought.length).toBeGreaterThanOrEqual(47);
      expect(power.boughtKwh).toBeGreaterThan(0);
      const month = await queryPowerData(t.db, {
        start: new Date('2024-03-01T00:00:00+09:00'),
        end: new Date('2024-04-01T00:00:00+09:00'),
      });
      expect(month.power.length).toBeGreaterThan(0);
      const temp = await queryTempData(t.db, day);
      expect(temp.series.map((s) => s.kind).sort()).toEqual(
        ['co2', 'co2-temperature', 'cpu', 'humidity', 'pressure', 'temperature'].sort(),
      );
    } finally {
      await t.close();
    }
  });
});
