/**
 * The `legacy` benchmark section: a year of the original power-consumption's power_log (525,600
 * rows, one a minute, shaped like its dummy-data generator) plus a year of temp/co2/bme280 rows
 * every 5 minutes, imported into our tables in the same scratch database, then a second run that
 * must find nothing to add.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { importLegacy } from '@b-route/poller';
import { migrate } from '@b-route/store';
import { createLegacySchema, createTestDatabase, seedLegacyData } from '@b-route/store/testing';

const MINUTES_A_YEAR = 525_600;

export async function benchLegacyImport(): Promise<{ name: string; value: number; unit: string }[]> {
  // The original's database, then our schema installed into it (init.sql moves its scan_log).
  const t = await createTestDatabase({ migrate: false });
  try {
    await createLegacySchema(t.pool);
    await seedLegacyData(t.pool, { day: '2023-01-01', minutes: MINUTES_A_YEAR });
    await migrate(t.db);
    const options = {
      target: t.pool,
      source: t.pool,
      sourceKey: 'same',
      timezone: 'Asia/Tokyo',
      meter: '001C640000ABCDEF',
      sensors: { cpu: hostname(), co2: '/dev/serial0', bme280: 'i2c-1:0x76' },
    };
    const start = performance.now();
    const first = await importLegacy(options);
    const seconds = (performance.now() - start) / 1000;
    await t.pool.query('TRUNCATE legacy.import_progress');
    const start2 = performance.now();
    const second = await importLegacy(options);
    const seconds2 = (performance.now() - start2) / 1000;
    const power = first.find((s) => s.table === 'power_log')!;
    const again = second.find((s) => s.table === 'power_log')!;
    if (power.read !== MINUTES_A_YEAR || (power.added.power_sample ?? 0) !== MINUTES_A_YEAR) {
      throw new Error(`imported ${JSON.stringify(power)}`);
    }
    if ((again.added.power_sample ?? 0) !== 0)
      throw new Error(`second run added ${JSON.stringify(again.added)}`);
    const rows = first.reduce((n, s) => n + s.read, 0);
    return [
      { name: 'legacy.year.power_log_rows', value: power.read, unit: 'rows' },
      { name: 'legacy.year.all_rows', value: rows, unit: 'rows' },
      { name: 'legacy.year.import', value: Math.round(seconds * 10) / 10, unit: 's' },
      { name: 'legacy.year.power_log_import', value: Math.round(power.seconds * 10) / 10, unit: 's' },
      { name: 'legacy.year.rows_per_second', value: Math.round(rows / seconds), unit: 'rows/s' },
      { name: 'legacy.year.reimport_without_progress', value: Math.round(seconds2 * 10) / 10, unit: 's' },
    ];
  } finally {
    await t.close();
  }
}
