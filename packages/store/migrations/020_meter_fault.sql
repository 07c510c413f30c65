-- The meter's fault status (EPC 88: 0x41 fault, 0x42 no fault) as each hourly meta poll read
-- it; a meter that does not have 88 leaves no row. In schema `extra`: public holds exactly the
-- agreed tables. Applied by the poller, or by psql -f after init.sql (it records itself).
CREATE SCHEMA IF NOT EXISTS extra;

CREATE TABLE IF NOT EXISTS extra.meter_fault (
  meter text NOT NULL,
  time  timestamptz NOT NULL,
  fault boolean NOT NULL,
  PRIMARY KEY (meter, time)
);

INSERT INTO schema_migrations (version, name) VALUES (20, 'meter_fault') ON CONFLICT (version) DO NOTHING;
