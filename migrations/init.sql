-- Schema version 1 of the B-route store. Idempotent: every statement is IF NOT EXISTS or
-- ON CONFLICT, so running it again on a database that has it changes nothing.
--
--   psql -v ON_ERROR_STOP=1 -1 -f migrations/init.sql "postgres://user@host/dbname"
--
-- The poller applies the same file (then migrations/NNN_*.sql) by itself on start; `-1` makes
-- psql run it in one transaction, as the poller does.
--
-- Conventions: every time is timestamptz. `meter` is the meter's 64-bit MAC address (EPANDESC
-- Addr) as 16 upper-case hex digits. Sensor tables carry a `sensor` name (host name for the
-- CPU, device path or bus address for the others).

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

INSERT INTO schema_migrations (version, name) VALUES (1, 'init') ON CONFLICT (version) DO NOTHING;
