-- Every meter property a poll answered that has no column elsewhere (keilog-style requests:
-- E1, EA/EB, D0/D1, … where a meter has them): stored, not dropped. `edt` is the property's
-- data as the meter sent it (hex), `value` its decoding by the property table (NULL for a
-- property the table does not know). In schema `extra`: public holds exactly the agreed tables.
CREATE SCHEMA IF NOT EXISTS extra;

CREATE TABLE IF NOT EXISTS extra.meter_property (
  meter text NOT NULL,
  time  timestamptz NOT NULL,
  epc   smallint NOT NULL CHECK (epc BETWEEN 128 AND 255),
  edt   text NOT NULL,
  value jsonb,
  PRIMARY KEY (meter, epc, time)
);

INSERT INTO schema_migrations (version, name) VALUES (13, 'meter_property') ON CONFLICT (version) DO NOTHING;
