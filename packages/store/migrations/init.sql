-- Schema version 1 of the B-route store. Idempotent: every statement is IF NOT EXISTS,
-- CREATE OR REPLACE or ON CONFLICT, so running it again on a database that has it changes
-- nothing. Needs PostgreSQL 14 or later (date_bin, CREATE OR REPLACE TRIGGER).
--
--   psql -1 -f migrations/init.sql "postgres://user@host/dbname"
--
-- The poller applies the same file (then migrations/NNN_*.sql) by itself on start; `-1` makes
-- psql run it in one transaction, as the poller does.
--
-- Conventions: every time is timestamptz. `meter` is the meter's 64-bit MAC address (EPANDESC
-- Addr) as 16 upper-case hex digits. Sensor tables carry a `sensor` name (host name for the
-- CPU, device path or bus address for the others).

-- A plain `psql -f` otherwise carries on past an error and the INSERT at the end would record
-- version 1 over a half-built schema. The poller skips psql meta-commands (lines starting \).
\set ON_ERROR_STOP on

-- The original power-consumption (Python) keeps its own `scan_log` (channel, channel_page,
-- pan_id, addr, lqi, pair_id, created_at) in schema public. Ours has other columns, so that
-- table is moved to schema `legacy` (rows, sequence and all) before ours is created;
-- `pnpm --filter poller import-legacy` copies its rows into ours. Its other tables (power_log,
-- temp_log, co2_log, bme280_log) do not collide and stay where they are.
DO $$
BEGIN
  IF EXISTS (SELECT FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = 'scan_log' AND column_name = 'addr')
     AND NOT EXISTS (SELECT FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = 'scan_log' AND column_name = 'address') THEN
    IF to_regclass('legacy.scan_log') IS NOT NULL THEN
      RAISE EXCEPTION 'public.scan_log is the original power-consumption''s table and legacy.scan_log exists already: rename one of them, then run init.sql again';
    END IF;
    CREATE SCHEMA IF NOT EXISTS legacy;
    ALTER TABLE public.scan_log SET SCHEMA legacy;
    RAISE NOTICE 'moved the original power-consumption''s scan_log to legacy.scan_log (import it with pnpm --filter poller import-legacy)';
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per meter ever joined. kWh = count × coefficient (EPC D3, absent → 1) × unit_kwh
-- (EPC E1); digits is EPC D7, the number of effective digits after which a count wraps.
CREATE TABLE IF NOT EXISTS meter (
  meter        text PRIMARY KEY,
  serial       text,
  manufacturer text,
  coefficient  integer NOT NULL DEFAULT 1,
  unit_kwh     numeric NOT NULL DEFAULT 1,
  digits       smallint,
  first_seen   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now()
);

-- Instantaneous power (EPC E7, W, negative while selling) and currents (EPC E8, A; T phase is
-- NULL on single-phase two-wire installations).
CREATE TABLE IF NOT EXISTS power_sample (
  meter       text NOT NULL,
  time        timestamptz NOT NULL,
  power_w     integer,
  current_r_a real,
  current_t_a real,
  PRIMARY KEY (meter, time)
);

-- Cumulative energy read on demand (EPC E0 normal, E3 reverse) with the coefficient and unit in
-- force when it was read, so a later change of D3/E1 does not rewrite history.
CREATE TABLE IF NOT EXISTS energy_reading (
  meter         text NOT NULL,
  time          timestamptz NOT NULL,
  normal_kwh    numeric,
  reverse_kwh   numeric,
  normal_count  bigint,
  reverse_count bigint,
  coefficient   integer NOT NULL,
  unit_kwh      numeric NOT NULL,
  PRIMARY KEY (meter, time)
);

-- Cumulative energy at each 30-minute boundary (00:00, 00:30, … meter local time = UTC+9):
-- `slot` is the boundary instant, `kwh` the cumulative value there (count × coefficient × unit).
-- Consumption of a half hour is the difference between consecutive slots of one direction.
-- source: 'history' (EPC E2/E4/EC), 'fixed-time' (EA/EB), 'poll' (E0/E3 read near the boundary).
CREATE TABLE IF NOT EXISTS energy_interval (
  meter     text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('normal', 'reverse')),
  slot      timestamptz NOT NULL,
  kwh       numeric NOT NULL,
  count     bigint NOT NULL,
  source    text NOT NULL CHECK (source IN ('history', 'fixed-time', 'poll')),
  PRIMARY KEY (meter, direction, slot)
);

CREATE TABLE IF NOT EXISTS cpu_temperature (
  sensor  text NOT NULL,
  time    timestamptz NOT NULL,
  celsius real NOT NULL,
  PRIMARY KEY (sensor, time)
);

CREATE TABLE IF NOT EXISTS co2_sample (
  sensor        text NOT NULL,
  time          timestamptz NOT NULL,
  ppm           integer NOT NULL,
  temperature_c real,
  PRIMARY KEY (sensor, time)
);

CREATE TABLE IF NOT EXISTS bme280_sample (
  sensor        text NOT NULL,
  time          timestamptz NOT NULL,
  temperature_c double precision NOT NULL,
  pressure_hpa  double precision NOT NULL,
  humidity_pct  double precision NOT NULL,
  PRIMARY KEY (sensor, time)
);

-- Every meter that answered an active scan (EPANDESC block), for diagnosing radio trouble.
CREATE TABLE IF NOT EXISTS scan_log (
  id           bigserial PRIMARY KEY,
  time         timestamptz NOT NULL,
  channel      smallint NOT NULL,
  channel_page smallint NOT NULL,
  pan_id       integer NOT NULL,
  address      text NOT NULL,
  lqi          smallint NOT NULL,
  pair_id      text,
  side         smallint
);

-- The primary keys serve range queries for one meter or sensor (a day, a month). These serve
-- the same ranges without that filter (all sensors of a kind on one chart).
CREATE INDEX IF NOT EXISTS power_sample_time_idx ON power_sample (time);
CREATE INDEX IF NOT EXISTS energy_reading_time_idx ON energy_reading (time);
CREATE INDEX IF NOT EXISTS energy_interval_slot_idx ON energy_interval (slot);
CREATE INDEX IF NOT EXISTS cpu_temperature_time_idx ON cpu_temperature (time);
CREATE INDEX IF NOT EXISTS co2_sample_time_idx ON co2_sample (time);
CREATE INDEX IF NOT EXISTS bme280_sample_time_idx ON bme280_sample (time);
CREATE INDEX IF NOT EXISTS scan_log_time_idx ON scan_log (time);

-- Rollups: per 5 minutes and per hour, the count and sum of every sample column and the
-- minimum and maximum of each but the currents, so that a month or a year is charted from
-- thousands of rows instead of millions.
-- They live in schema `rollup`, one table per sample table and of the same name, and the
-- database keeps them right for every writer (poller, psql, COPY, backfill):
--   INSERT    a statement-level trigger aggregates the rows the statement actually inserted
--             (its transition table, which leaves out rows skipped by ON CONFLICT DO NOTHING)
--             and merges them with one INSERT … ON CONFLICT DO UPDATE;
--   UPDATE, DELETE   recount from the sample table every hour from the first changed row's
--             to the last one's (rows far apart in one statement recount all between);
--   TRUNCATE  empties the rollup.
-- Buckets start at 2000-01-01 00:00 JST plus a multiple of their width (`width_s`: 300 or
-- 3600 seconds), as the graph's buckets do; `bucket` is the start. A column's average over any
-- run of buckets is sum(<col>_sum) / sum(<col>_n) (`n` for NOT NULL columns). The tables in
-- schema public are exactly the agreed ones; `rollup` holds only what can be rebuilt from them
-- (`SELECT rollup.recount_power_sample(min(time), max(time)) FROM power_sample`).

CREATE SCHEMA IF NOT EXISTS rollup;

CREATE TABLE IF NOT EXISTS rollup.power_sample (
  meter           text NOT NULL,
  width_s         integer NOT NULL CHECK (width_s IN (300, 3600)),
  bucket          timestamptz NOT NULL,
  n               integer NOT NULL,
  power_w_n       integer NOT NULL,
  power_w_sum     bigint NOT NULL,
  power_w_min     integer,
  power_w_max     integer,
  current_r_a_n   integer NOT NULL,
  current_r_a_sum double precision NOT NULL,
  current_t_a_n   integer NOT NULL,
  current_t_a_sum double precision NOT NULL,
  CONSTRAINT power_sample_rollup_pkey PRIMARY KEY (meter, width_s, bucket)
);

CREATE TABLE IF NOT EXISTS rollup.cpu_temperature (
  sensor      text NOT NULL,
  width_s     integer NOT NULL CHECK (width_s IN (300, 3600)),
  bucket      timestamptz NOT NULL,
  n           integer NOT NULL,
  celsius_sum double precision NOT NULL,
  celsius_min real NOT NULL,
  celsius_max real NOT NULL,
  CONSTRAINT cpu_temperature_rollup_pkey PRIMARY KEY (sensor, width_s, bucket)
);

CREATE TABLE IF NOT EXISTS rollup.co2_sample (
  sensor            text NOT NULL,
  width_s           integer NOT NULL CHECK (width_s IN (300, 3600)),
  bucket            timestamptz NOT NULL,
  n                 integer NOT NULL,
  ppm_sum           bigint NOT NULL,
  ppm_min           integer NOT NULL,
  ppm_max           integer NOT NULL,
  temperature_c_n   integer NOT NULL,
  temperature_c_sum double precision NOT NULL,
  temperature_c_min real,
  temperature_c_max real,
  CONSTRAINT co2_sample_rollup_pkey PRIMARY KEY (sensor, width_s, bucket)
);

CREATE TABLE IF NOT EXISTS rollup.bme280_sample (
  sensor            text NOT NULL,
  width_s           integer NOT NULL CHECK (width_s IN (300, 3600)),
  bucket            timestamptz NOT NULL,
  n                 integer NOT NULL,
  temperature_c_sum double precision NOT NULL,
  temperature_c_min double precision NOT NULL,
  temperature_c_max double precision NOT NULL,
  pressure_hpa_sum  double precision NOT NULL,
  pressure_hpa_min  double precision NOT NULL,
  pressure_hpa_max  double precision NOT NULL,
  humidity_pct_sum  double precision NOT NULL,
  humidity_pct_min  double precision NOT NULL,
  humidity_pct_max  double precision NOT NULL,
  CONSTRAINT bme280_sample_rollup_pkey PRIMARY KEY (sensor, width_s, bucket)
);

-- Ranges over every meter or sensor (the temperature chart draws all sensors of a kind).
CREATE INDEX IF NOT EXISTS power_sample_rollup_bucket_idx ON rollup.power_sample (width_s, bucket);
CREATE INDEX IF NOT EXISTS cpu_temperature_rollup_bucket_idx ON rollup.cpu_temperature (width_s, bucket);
CREATE INDEX IF NOT EXISTS co2_sample_rollup_bucket_idx ON rollup.co2_sample (width_s, bucket);
CREATE INDEX IF NOT EXISTS bme280_sample_rollup_bucket_idx ON rollup.bme280_sample (width_s, bucket);

-- Each table has two functions: add_<table>() merges a statement's inserted rows (trigger), and
-- recount_<table>(lo, hi) rebuilds every bucket from the hour holding `lo` to the hour holding
-- `hi` from the sample table. Both aggregate per 5 minutes first and build the hours from those.
-- recount locks the rollup against concurrent writers first, so that its read of the samples,
-- in a snapshot taken after the lock, sees every committed insert and no insert adds to the
-- buckets while they are rebuilt. `SET work_mem` keeps a bulk load's aggregation in memory.

CREATE OR REPLACE FUNCTION rollup.add_power_sample() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  WITH five AS (
    SELECT meter, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           count(power_w) AS power_w_n, coalesce(sum(power_w), 0) AS power_w_sum,
           min(power_w) AS power_w_min, max(power_w) AS power_w_max,
           count(current_r_a) AS current_r_a_n, coalesce(sum(current_r_a::float8), 0) AS current_r_a_sum,
           count(current_t_a) AS current_t_a_n, coalesce(sum(current_t_a::float8), 0) AS current_t_a_sum
    FROM new_rows GROUP BY 1, 2)
  INSERT INTO rollup.power_sample AS r
  SELECT meter, 300, bucket, n, power_w_n, power_w_sum, power_w_min, power_w_max,
         current_r_a_n, current_r_a_sum, current_t_a_n, current_t_a_sum
  FROM five
  UNION ALL
  SELECT meter, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n), sum(power_w_n),
         sum(power_w_sum), min(power_w_min), max(power_w_max),
         sum(current_r_a_n), sum(current_r_a_sum), sum(current_t_a_n), sum(current_t_a_sum)
  FROM five GROUP BY 1, 3
  ON CONFLICT (meter, width_s, bucket) DO UPDATE SET
    n = r.n + excluded.n,
    power_w_n = r.power_w_n + excluded.power_w_n,
    power_w_sum = r.power_w_sum + excluded.power_w_sum,
    power_w_min = least(r.power_w_min, excluded.power_w_min),
    power_w_max = greatest(r.power_w_max, excluded.power_w_max),
    current_r_a_n = r.current_r_a_n + excluded.current_r_a_n,
    current_r_a_sum = r.current_r_a_sum + excluded.current_r_a_sum,
    current_t_a_n = r.current_t_a_n + excluded.current_t_a_n,
    current_t_a_sum = r.current_t_a_sum + excluded.current_t_a_sum;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup.recount_power_sample(lo timestamptz, hi timestamptz) RETURNS void
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  IF lo IS NULL OR hi IS NULL THEN RETURN; END IF;
  lo := date_bin('1 hour', lo, '2000-01-01 00:00+09');
  hi := date_bin('1 hour', hi, '2000-01-01 00:00+09') + interval '1 hour';
  LOCK TABLE rollup.power_sample IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM rollup.power_sample WHERE width_s IN (300, 3600) AND bucket >= lo AND bucket < hi;
  WITH five AS (
    SELECT meter, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           count(power_w) AS power_w_n, coalesce(sum(power_w), 0) AS power_w_sum,
           min(power_w) AS power_w_min, max(power_w) AS power_w_max,
           count(current_r_a) AS current_r_a_n, coalesce(sum(current_r_a::float8), 0) AS current_r_a_sum,
           count(current_t_a) AS current_t_a_n, coalesce(sum(current_t_a::float8), 0) AS current_t_a_sum
    FROM power_sample WHERE time >= lo AND time < hi GROUP BY 1, 2)
  INSERT INTO rollup.power_sample
  SELECT meter, 300, bucket, n, power_w_n, power_w_sum, power_w_min, power_w_max,
         current_r_a_n, current_r_a_sum, current_t_a_n, current_t_a_sum
  FROM five
  UNION ALL
  SELECT meter, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n), sum(power_w_n),
         sum(power_w_sum), min(power_w_min), max(power_w_max),
         sum(current_r_a_n), sum(current_r_a_sum), sum(current_t_a_n), sum(current_t_a_sum)
  FROM five GROUP BY 1, 3;
END $$;

CREATE OR REPLACE FUNCTION rollup.add_cpu_temperature() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  WITH five AS (
    SELECT sensor, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           sum(celsius::float8) AS celsius_sum, min(celsius) AS celsius_min, max(celsius) AS celsius_max
    FROM new_rows GROUP BY 1, 2)
  INSERT INTO rollup.cpu_temperature AS r
  SELECT sensor, 300, bucket, n, celsius_sum, celsius_min, celsius_max FROM five
  UNION ALL
  SELECT sensor, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n),
         sum(celsius_sum), min(celsius_min), max(celsius_max)
  FROM five GROUP BY 1, 3
  ON CONFLICT (sensor, width_s, bucket) DO UPDATE SET
    n = r.n + excluded.n,
    celsius_sum = r.celsius_sum + excluded.celsius_sum,
    celsius_min = least(r.celsius_min, excluded.celsius_min),
    celsius_max = greatest(r.celsius_max, excluded.celsius_max);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup.recount_cpu_temperature(lo timestamptz, hi timestamptz) RETURNS void
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  IF lo IS NULL OR hi IS NULL THEN RETURN; END IF;
  lo := date_bin('1 hour', lo, '2000-01-01 00:00+09');
  hi := date_bin('1 hour', hi, '2000-01-01 00:00+09') + interval '1 hour';
  LOCK TABLE rollup.cpu_temperature IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM rollup.cpu_temperature WHERE width_s IN (300, 3600) AND bucket >= lo AND bucket < hi;
  WITH five AS (
    SELECT sensor, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           sum(celsius::float8) AS celsius_sum, min(celsius) AS celsius_min, max(celsius) AS celsius_max
    FROM cpu_temperature WHERE time >= lo AND time < hi GROUP BY 1, 2)
  INSERT INTO rollup.cpu_temperature
  SELECT sensor, 300, bucket, n, celsius_sum, celsius_min, celsius_max FROM five
  UNION ALL
  SELECT sensor, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n),
         sum(celsius_sum), min(celsius_min), max(celsius_max)
  FROM five GROUP BY 1, 3;
END $$;

CREATE OR REPLACE FUNCTION rollup.add_co2_sample() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  WITH five AS (
    SELECT sensor, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           sum(ppm) AS ppm_sum, min(ppm) AS ppm_min, max(ppm) AS ppm_max,
           count(temperature_c) AS temperature_c_n, coalesce(sum(temperature_c::float8), 0) AS temperature_c_sum,
           min(temperature_c) AS temperature_c_min, max(temperature_c) AS temperature_c_max
    FROM new_rows GROUP BY 1, 2)
  INSERT INTO rollup.co2_sample AS r
  SELECT sensor, 300, bucket, n, ppm_sum, ppm_min, ppm_max,
         temperature_c_n, temperature_c_sum, temperature_c_min, temperature_c_max
  FROM five
  UNION ALL
  SELECT sensor, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n),
         sum(ppm_sum), min(ppm_min), max(ppm_max),
         sum(temperature_c_n), sum(temperature_c_sum), min(temperature_c_min), max(temperature_c_max)
  FROM five GROUP BY 1, 3
  ON CONFLICT (sensor, width_s, bucket) DO UPDATE SET
    n = r.n + excluded.n,
    ppm_sum = r.ppm_sum + excluded.ppm_sum,
    ppm_min = least(r.ppm_min, excluded.ppm_min),
    ppm_max = greatest(r.ppm_max, excluded.ppm_max),
    temperature_c_n = r.temperature_c_n + excluded.temperature_c_n,
    temperature_c_sum = r.temperature_c_sum + excluded.temperature_c_sum,
    temperature_c_min = least(r.temperature_c_min, excluded.temperature_c_min),
    temperature_c_max = greatest(r.temperature_c_max, excluded.temperature_c_max);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup.recount_co2_sample(lo timestamptz, hi timestamptz) RETURNS void
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  IF lo IS NULL OR hi IS NULL THEN RETURN; END IF;
  lo := date_bin('1 hour', lo, '2000-01-01 00:00+09');
  hi := date_bin('1 hour', hi, '2000-01-01 00:00+09') + interval '1 hour';
  LOCK TABLE rollup.co2_sample IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM rollup.co2_sample WHERE width_s IN (300, 3600) AND bucket >= lo AND bucket < hi;
  WITH five AS (
    SELECT sensor, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           sum(ppm) AS ppm_sum, min(ppm) AS ppm_min, max(ppm) AS ppm_max,
           count(temperature_c) AS temperature_c_n, coalesce(sum(temperature_c::float8), 0) AS temperature_c_sum,
           min(temperature_c) AS temperature_c_min, max(temperature_c) AS temperature_c_max
    FROM co2_sample WHERE time >= lo AND time < hi GROUP BY 1, 2)
  INSERT INTO rollup.co2_sample
  SELECT sensor, 300, bucket, n, ppm_sum, ppm_min, ppm_max,
         temperature_c_n, temperature_c_sum, temperature_c_min, temperature_c_max
  FROM five
  UNION ALL
  SELECT sensor, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n),
         sum(ppm_sum), min(ppm_min), max(ppm_max),
         sum(temperature_c_n), sum(temperature_c_sum), min(temperature_c_min), max(temperature_c_max)
  FROM five GROUP BY 1, 3;
END $$;

CREATE OR REPLACE FUNCTION rollup.add_bme280_sample() RETURNS trigger
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  WITH five AS (
    SELECT sensor, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           sum(temperature_c) AS temperature_c_sum, min(temperature_c) AS temperature_c_min, max(temperature_c) AS temperature_c_max,
           sum(pressure_hpa) AS pressure_hpa_sum, min(pressure_hpa) AS pressure_hpa_min, max(pressure_hpa) AS pressure_hpa_max,
           sum(humidity_pct) AS humidity_pct_sum, min(humidity_pct) AS humidity_pct_min, max(humidity_pct) AS humidity_pct_max
    FROM new_rows GROUP BY 1, 2)
  INSERT INTO rollup.bme280_sample AS r
  SELECT sensor, 300, bucket, n, temperature_c_sum, temperature_c_min, temperature_c_max,
         pressure_hpa_sum, pressure_hpa_min, pressure_hpa_max, humidity_pct_sum, humidity_pct_min, humidity_pct_max
  FROM five
  UNION ALL
  SELECT sensor, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n),
         sum(temperature_c_sum), min(temperature_c_min), max(temperature_c_max),
         sum(pressure_hpa_sum), min(pressure_hpa_min), max(pressure_hpa_max),
         sum(humidity_pct_sum), min(humidity_pct_min), max(humidity_pct_max)
  FROM five GROUP BY 1, 3
  ON CONFLICT (sensor, width_s, bucket) DO UPDATE SET
    n = r.n + excluded.n,
    temperature_c_sum = r.temperature_c_sum + excluded.temperature_c_sum,
    temperature_c_min = least(r.temperature_c_min, excluded.temperature_c_min),
    temperature_c_max = greatest(r.temperature_c_max, excluded.temperature_c_max),
    pressure_hpa_sum = r.pressure_hpa_sum + excluded.pressure_hpa_sum,
    pressure_hpa_min = least(r.pressure_hpa_min, excluded.pressure_hpa_min),
    pressure_hpa_max = greatest(r.pressure_hpa_max, excluded.pressure_hpa_max),
    humidity_pct_sum = r.humidity_pct_sum + excluded.humidity_pct_sum,
    humidity_pct_min = least(r.humidity_pct_min, excluded.humidity_pct_min),
    humidity_pct_max = greatest(r.humidity_pct_max, excluded.humidity_pct_max);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup.recount_bme280_sample(lo timestamptz, hi timestamptz) RETURNS void
LANGUAGE plpgsql SET work_mem = '64MB' AS $$
BEGIN
  IF lo IS NULL OR hi IS NULL THEN RETURN; END IF;
  lo := date_bin('1 hour', lo, '2000-01-01 00:00+09');
  hi := date_bin('1 hour', hi, '2000-01-01 00:00+09') + interval '1 hour';
  LOCK TABLE rollup.bme280_sample IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM rollup.bme280_sample WHERE width_s IN (300, 3600) AND bucket >= lo AND bucket < hi;
  WITH five AS (
    SELECT sensor, date_bin('5 minutes', time, '2000-01-01 00:00+09') AS bucket, count(*) AS n,
           sum(temperature_c) AS temperature_c_sum, min(temperature_c) AS temperature_c_min, max(temperature_c) AS temperature_c_max,
           sum(pressure_hpa) AS pressure_hpa_sum, min(pressure_hpa) AS pressure_hpa_min, max(pressure_hpa) AS pressure_hpa_max,
           sum(humidity_pct) AS humidity_pct_sum, min(humidity_pct) AS humidity_pct_min, max(humidity_pct) AS humidity_pct_max
    FROM bme280_sample WHERE time >= lo AND time < hi GROUP BY 1, 2)
  INSERT INTO rollup.bme280_sample
  SELECT sensor, 300, bucket, n, temperature_c_sum, temperature_c_min, temperature_c_max,
         pressure_hpa_sum, pressure_hpa_min, pressure_hpa_max, humidity_pct_sum, humidity_pct_min, humidity_pct_max
  FROM five
  UNION ALL
  SELECT sensor, 3600, date_bin('1 hour', bucket, '2000-01-01 00:00+09'), sum(n),
         sum(temperature_c_sum), min(temperature_c_min), max(temperature_c_max),
         sum(pressure_hpa_sum), min(pressure_hpa_min), max(pressure_hpa_max),
         sum(humidity_pct_sum), min(humidity_pct_min), max(humidity_pct_max)
  FROM five GROUP BY 1, 3;
END $$;

-- UPDATE and DELETE on any sample table: recount the hours the old (and new) rows fall in.
CREATE OR REPLACE FUNCTION rollup.recount_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz;
  hi timestamptz;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT min(t), max(t) INTO lo, hi FROM (SELECT time FROM old_rows UNION ALL SELECT time FROM new_rows) AS c(t);
  ELSE
    SELECT min(time), max(time) INTO lo, hi FROM old_rows;
  END IF;
  EXECUTE format('SELECT rollup.%I($1, $2)', 'recount_' || TG_TABLE_NAME) USING lo, hi;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION rollup.truncate_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('TRUNCATE rollup.%I', TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER rollup_insert AFTER INSERT ON power_sample
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.add_power_sample();
CREATE OR REPLACE TRIGGER rollup_insert AFTER INSERT ON cpu_temperature
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.add_cpu_temperature();
CREATE OR REPLACE TRIGGER rollup_insert AFTER INSERT ON co2_sample
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.add_co2_sample();
CREATE OR REPLACE TRIGGER rollup_insert AFTER INSERT ON bme280_sample
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.add_bme280_sample();

CREATE OR REPLACE TRIGGER rollup_update AFTER UPDATE ON power_sample
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();
CREATE OR REPLACE TRIGGER rollup_update AFTER UPDATE ON cpu_temperature
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();
CREATE OR REPLACE TRIGGER rollup_update AFTER UPDATE ON co2_sample
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();
CREATE OR REPLACE TRIGGER rollup_update AFTER UPDATE ON bme280_sample
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();

CREATE OR REPLACE TRIGGER rollup_delete AFTER DELETE ON power_sample
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();
CREATE OR REPLACE TRIGGER rollup_delete AFTER DELETE ON cpu_temperature
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();
CREATE OR REPLACE TRIGGER rollup_delete AFTER DELETE ON co2_sample
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();
CREATE OR REPLACE TRIGGER rollup_delete AFTER DELETE ON bme280_sample
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup.recount_changed();

CREATE OR REPLACE TRIGGER rollup_truncate AFTER TRUNCATE ON power_sample
  FOR EACH STATEMENT EXECUTE FUNCTION rollup.truncate_rollup();
CREATE OR REPLACE TRIGGER rollup_truncate AFTER TRUNCATE ON cpu_temperature
  FOR EACH STATEMENT EXECUTE FUNCTION rollup.truncate_rollup();
CREATE OR REPLACE TRIGGER rollup_truncate AFTER TRUNCATE ON co2_sample
  FOR EACH STATEMENT EXECUTE FUNCTION rollup.truncate_rollup();
CREATE OR REPLACE TRIGGER rollup_truncate AFTER TRUNCATE ON bme280_sample
  FOR EACH STATEMENT EXECUTE FUNCTION rollup.truncate_rollup();

-- A database whose samples predate the rollups gets them counted once, here; afterwards the
-- triggers keep them, and this finds the rollups non-empty and does nothing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM rollup.power_sample) THEN
    PERFORM rollup.recount_power_sample(min(time), max(time)) FROM power_sample;
  END IF;
  IF NOT EXISTS (SELECT FROM rollup.cpu_temperature) THEN
    PERFORM rollup.recount_cpu_temperature(min(time), max(time)) FROM cpu_temperature;
  END IF;
  IF NOT EXISTS (SELECT FROM rollup.co2_sample) THEN
    PERFORM rollup.recount_co2_sample(min(time), max(time)) FROM co2_sample;
  END IF;
  IF NOT EXISTS (SELECT FROM rollup.bme280_sample) THEN
    PERFORM rollup.recount_bme280_sample(min(time), max(time)) FROM bme280_sample;
  END IF;
END $$;

INSERT INTO schema_migrations (version, name) VALUES (1, 'init') ON CONFLICT (version) DO NOTHING;
