/**
 * The tables of the original power-consumption (Python), rebuilt from the column list of its
 * init.sql (power_log, temp_log, co2_log, scan_log) and of the rows its code writes
 * (bme280_log: temp °C, pressure hPa, humidity %), and data shaped like its dummy-data generator:
 * one power_log row a minute, a count rising by 0–9, coefficient 1, unit code 0, power and
 * currents 0–99. Times are `timestamp` without zone, in the Pi's local time.
 */
import type pg from 'pg';

export const LEGACY_SCHEMA_SQL = `
CREATE TABLE scan_log (
  id serial PRIMARY KEY, channel int, channel_page int, pan_id int, addr text, lqi int,
  pair_id text, created_at timestamp NOT NULL DEFAULT current_timestamp);
CREATE TABLE power_log (
  id serial PRIMARY KEY, 係数 int, 積算電力量 int, 電力量単位 int, 瞬時電力 int, 瞬時電流_R int,
  瞬時電流_T int, created_at timestamp NOT NULL DEFAULT current_timestamp);
CREATE TABLE temp_log (
  id serial PRIMARY KEY, temp int, created_at timestamp NOT NULL DEFAULT current_timestamp);
CREATE TABLE co2_log (
  id serial PRIMARY KEY, co2 int, temp int, pressure int, ss int,
  created_at timestamp NOT NULL DEFAULT current_timestamp);
CREATE TABLE bme280_log (
  id serial PRIMARY KEY, temp real, pressure real, humidity real,
  created_at timestamp NOT NULL DEFAULT current_timestamp);
`;

export interface LegacySeedOptions {
  /** Local midnight the data starts at, 'YYYY-MM-DD'. */
  readonly day: string;
  /** power_log rows, one a minute. Default 1440 (a day). */
  readonly minutes?: number;
  /** Seed of the deterministic generator. Default 1. */
  readonly seed?: number;
}

/** Creates the original's tables in the current schema of `pool`'s database. */
export async function createLegacySchema(pool: pg.Pool): Promise<void> {
  await pool.query(LEGACY_SCHEMA_SQL);
}

/**
 * Fills power_log (one row a minute) and temp_log, co2_log, bme280_log (one row every 5 minutes),
 * server-side so that a year of rows takes seconds.
 */
export async function seedLegacyData(pool: pg.Pool, options: LegacySeedOptions): Promise<void> {
  const minutes = options.minutes ?? 1440;
  const seed = options.seed ?? 1;
  await pool.query('SELECT setseed($1)', [((seed % 1000) / 1000) * 2 - 1]);
  await pool.query(
    `INSERT INTO power_log (係数, 積算電力量, 電力量単位, 瞬時電力, 瞬時電流_R, 瞬時電流_T, created_at)
     SELECT 1, sum(step) OVER (ORDER BY i), 0, (random() * 100)::int, (random() * 100)::int,
            (random() * 100)::int, $1::timestamp + make_interval(mins => i)
     FROM (SELECT i, (random() * 10)::int AS step FROM generate_series(0, $2 - 1) AS i) s`,
    [options.day, minutes],
  );
  await pool.query(
    `INSERT INTO temp_log (temp, created_at)
     SELECT 40000 + (random() * 10000)::int, $1::timestamp + make_interval(mins => i)
     FROM generate_series(0, $2 - 1, 5) AS i`,
    [options.day, minutes],
  );
  await pool.query(
    `INSERT INTO co2_log (co2, temp, pressure, ss, created_at)
     SELECT 400 + (random() * 800)::int, 20 + (random() * 5)::int, 0, 0, $1::timestamp + make_interval(mins => i)
     FROM generate_series(0, $2 - 1, 5) AS i`,
    [options.day, minutes],
  );
  await pool.query(
    `INSERT INTO bme280_log (temp, pressure, humidity, created_at)
     SELECT 20 + random() * 5, 1000 + random() * 20, 40 + random() * 20, $1::timestamp + make_interval(mins => i)
     FROM generate_series(0, $2 - 1, 5) AS i`,
    [options.day, minutes],
  );
}
