-- Readings of serial sensors (keilog-style: an Arduino, XBee or TWELite printing name=value pairs
-- or CSV lines): one row per value, under the sensor's name (its device) and the value's name
-- and unit. In schema `extra`: public holds exactly the agreed tables.
CREATE SCHEMA IF NOT EXISTS extra;

CREATE TABLE IF NOT EXISTS extra.sensor_reading (
  sensor text NOT NULL,
  name   text NOT NULL,
  time   timestamptz NOT NULL,
  value  double precision NOT NULL,
  unit   text,
  PRIMARY KEY (sensor, name, time)
);
CREATE INDEX IF NOT EXISTS sensor_reading_time_idx ON extra.sensor_reading (time);

INSERT INTO schema_migrations (version, name) VALUES (14, 'sensor_reading') ON CONFLICT (version) DO NOTHING;
