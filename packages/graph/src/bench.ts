/**
 * Chart timings on a realistic amount of data: a year of 10-second power samples (3.15 million
 * rows) with 5-minute cumulative readings and 30-minute slots, plus a year of one-minute BME280
 * samples, seeded with generate_series into a scratch database. Each chart (power, temperature)
 * is drawn for the last day, month and year of it; query and render are timed apart, each the
 * median of three runs after one warm-up.
 */
import { performance } from 'node:perf_hooks';
import { DAY_MS } from '@b-route/core';
import { createTestDatabase } from '@b-route/store/testing';
import { type Kysely, sql } from 'kysely';
import type { Database } from './db-types.js';
import { queryPowerData } from './query/power.js';
import { queryTempData } from './query/temp.js';
import { renderPowerChart } from './render/power-chart.js';
import { renderTempChart } from './render/temp-chart.js';
import { jstMidnight, type TimeRange } from './time.js';

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface ScratchDatabase {
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

export interface BenchOptions {
  /** A fresh, migrated database to fill; default a new database on the shared test server. */
  readonly database?: () => Promise<ScratchDatabase>;
  /** Runs timed per measurement (median taken); default 3. */
  readonly runs?: number;
  /** Days of data; default 365. */
  readonly days?: number;
}

const METER = '001C6400601421A3';

export async function benchGraph(options: BenchOptions = {}): Promise<BenchResult[]> {
  const scratch = await (options.database ?? defaultScratchDatabase)();
  const days = options.days ?? 365;
  const runs = options.runs ?? 3;
  const results: BenchResult[] = [];
  try {
    const end = jstMidnight('2025-01-01').getTime();
    const first = new Date(end - days * DAY_MS);
    const seedStart = performance.now();
    const rows = await seed(scratch.db, first, days);
    results.push({ name: 'graph.seed.rows', value: rows, unit: 'rows' });
    results.push({
      name: 'graph.seed.time',
      value: round((performance.now() - seedStart) / 1000),
      unit: 's',
    });

    const ranges: Array<[string, number]> = [
      ['day', 1],
      ['month', Math.min(30, days)],
      ['year', days],
    ];
    for (const [label, n] of ranges) {
      const range: TimeRange = { start: new Date(end - n * DAY_MS), end: new Date(end) };
      const power = await timed(runs, () => queryPowerData(scratch.db, range));
      const powerRender = await timed(runs, () => renderPowerChart(power.value));
      results.push({ name: `graph.power.${label}.query`, value: power.ms, unit: 'ms' });
      results.push({ name: `graph.power.${label}.render`, value: powerRender.ms, unit: 'ms' });
      results.push({
        name: `graph.power.${label}.total`,
        value: round(power.ms + powerRender.ms),
        unit: 'ms',
      });
      results.push({ name: `graph.power.${label}.points`, value: power.value.power.length, unit: 'points' });
      const temp = await timed(runs, () => queryTempData(scratch.db, range));
      const tempRender = await timed(runs, () => renderTempChart(temp.value));
      results.push({ name: `graph.temp.${label}.query`, value: temp.ms, unit: 'ms' });
      results.push({ name: `graph.temp.${label}.render`, value: tempRender.ms, unit: 'ms' });
      results.push({ name: `graph.temp.${label}.total`, value: round(temp.ms + tempRender.ms), unit: 'ms' });
    }
    return results;
  } finally {
    await scratch.close();
  }
}

async function seed(db: Kysely<Database>, first: Date, days: number): Promise<number> {
  const f = first.toISOString();
  const span = `${days} days`;
  // A household-like day: base load, a morning and an evening peak, selling around noon.
  const power = await sql`
    INSERT INTO power_sample (meter, time, power_w, current_r_a, current_t_a)
    SELECT ${METER}, t,
           (400 + 900 * exp(-((h - 7.5) ^ 2)) + 1500 * exp(-((h - 19) ^ 2) / 2) - 1200 * exp(-((h - 12.5) ^ 2) / 3)
             + 150 * sin(extract(epoch FROM t)::float8 / 97))::int,
           (300 + 1000 * exp(-((h - 19) ^ 2) / 2)) / 200.0,
           (200 + 700 * exp(-((h - 7.5) ^ 2))) / 200.0
    FROM generate_series(${f}::timestamptz, ${f}::timestamptz + ${span}::interval - interval '10 seconds', interval '10 seconds') AS t,
         LATERAL (SELECT (extract(epoch FROM t)::bigint + 32400) % 86400 / 3600.0::float8 AS h) AS x`.execute(
    db,
  );
  const readings = await sql`
    INSERT INTO energy_reading (meter, time, normal_kwh, reverse_kwh, coefficient, unit_kwh)
    SELECT ${METER}, ${f}::timestamptz + n * interval '5 minutes', 10000 + n * 0.05, 500 + n * 0.004, 1, 0.1
    FROM generate_series(0, ${days * 288 - 1}) AS n`.execute(db);
  const slots = await sql`
    INSERT INTO energy_interval (meter, direction, slot, kwh, count, source)
    SELECT ${METER}, dir, ${f}::timestamptz + n * interval '30 minutes',
           CASE dir WHEN 'normal' THEN 10000 + n * 0.3 ELSE 500 + n * 0.024 END, n, 'history'
    FROM generate_series(0, ${days * 48}) AS n, unnest(ARRAY['normal', 'reverse']) AS dir`.execute(db);
  const bme = await sql`
    INSERT INTO bme280_sample (sensor, time, temperature_c, pressure_hpa, humidity_pct)
    SELECT 'i2c-1:0x76', t, 20 + 5 * sin(e / 13751), 1013 + 8 * sin(e / 400000), 50 + 15 * cos(e / 13751)
    FROM generate_series(${f}::timestamptz, ${f}::timestamptz + ${span}::interval - interval '1 minute', interval '1 minute') AS t,
         LATERAL (SELECT extract(epoch FROM t)::float8 AS e) AS x`.execute(db);
  await sql`ANALYZE`.execute(db);
  return [power, readings, slots, bme].reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  let value = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { value, ms: round(times[Math.floor(times.length / 2)]!) };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A fresh migrated database on the shared test server, dropped again by `close()`. */
async function defaultScratchDatabase(): Promise<ScratchDatabase> {
  const t = await createTestDatabase();
  return { db: t.db, close: () => t.close() };
}
