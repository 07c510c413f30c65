/**
 * The demo end to end on a fresh test database: simulation → poller → PostgreSQL → charts, run
 * twice on the same database (rows accumulate, nothing is refused), and stopped early.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProgress, runDemo } from './run-demo.js';

const PNG_SIGNATURE = '89504e470d0a1a0a';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'demo-test-'));
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const options = () => ({
  dataDir: join(dir, 'data'),
  chartsDir: join(dir, 'charts'),
  target: { url: db.url },
  day: '2026-05-20',
  hours: 3,
  speed: 1800,
});

describe('runDemo', () => {
  it('polls the simulated hours into the database, backfills the history and draws both charts; a second run replaces them', async () => {
    const progress: DemoProgress[] = [];
    const first = await runDemo({ ...options(), onProgress: (p) => progress.push(p), progressEveryMs: 50 });
    expect(first.interrupted).toBe(false);
    expect(first.simulatedHours).toBe(3);
    expect(first.chartErrors).toEqual([]);
    // 30-second polls for three hours (360), less the scan and join, and boundaries a busy
    // machine lets slip at this speed (the poller skips a missed boundary, it does not catch up).
    expect(first.tables.power_sample).toBeGreaterThan(250);
    expect(first.tables.energy_reading).toBeGreaterThan(25);
    // Slots 00:00 … 03:00 of the day, both directions.
    expect(first.tables.energy_interval).toBe(2 * 7);
    for (const table of ['cpu_temperature', 'co2_sample', 'bme280_sample'] as const) {
      expect(first.tables[table], table).toBeGreaterThan(100);
    }
    expect(first.historySlots).toBeGreaterThanOrEqual(2 * 44 * 48);
    expect(first.backfilledSlots).toBeGreaterThanOrEqual(first.historySlots);
    expect(first.boughtKwh).toBeGreaterThan(0);
    for (const [kind, path] of Object.entries(first.charts)) {
      expect(path).toBe(join(dir, 'charts', `${kind}_2026-05-20.png`));
      expect((await readFile(path)).subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    }
    expect(Object.keys(first.charts).sort()).toEqual(['power', 'temp']);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)!.simNow).toBe(progress.at(-1)!.to);

    // A second run replaces the first run's rows of that day: one run's worth, not two.
    const second = await runDemo(options());
    expect(second.chartErrors).toEqual([]);
    // Only the day's first slot (both directions) comes from the history again; earlier days stay.
    expect(second.backfilledSlots).toBe(2);
    expect(second.tables.power_sample).toBeGreaterThan(250);
    expect(second.tables.power_sample).toBeLessThan(first.tables.power_sample * 1.2);
    expect(second.tables.energy_interval).toBe(first.tables.energy_interval);
    expect(second.historySlots).toBe(first.historySlots);
  }, 60_000);

  it('stops early when aborted: rows are kept, no chart is drawn', async () => {
    const abort = new AbortController();
    const report = await runDemo({
      ...options(),
      day: '2026-05-21',
      hours: 24,
      signal: abort.signal,
      progressEveryMs: 20,
      onProgress: (p) => {
        if (p.polls >= 20) abort.abort();
      },
    });
    expect(report.interrupted).toBe(true);
    expect(report.simulatedHours).toBeLessThan(24);
    expect(report.charts).toEqual({});
    expect(report.tables.power_sample).toBeGreaterThanOrEqual(20);
  }, 60_000);
});
