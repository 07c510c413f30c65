/**
 * The tables the charts read, as the store defines them (migrations/init.sql). Selects see
 * `Date` for timestamptz; every numeric value the graph queries read is cast to float8 in SQL,
 * so results do not depend on the pool's type parsers.
 */
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Numeric = ColumnType<number, number | string, number | string>;
type NullableNumeric = ColumnType<number | null, number | string | null, number | string | null>;

export interface Database {
  meter: {
    meter: string;
    serial: string | null;
    manufacturer: string | null;
    coefficient: ColumnType<number, number | undefined, number>;
    unit_kwh: ColumnType<number, number | string | undefined, number | string>;
    digits: number | null;
    first_seen: ColumnType<Date, Date | string | undefined, Date | string>;
    last_seen: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  power_sample: {
    meter: string;
    time: Timestamp;
    power_w: number | null;
    current_r_a: number | null;
    current_t_a: number | null;
  };
  energy_reading: {
    meter: string;
    time: Timestamp;
    normal_kwh: NullableNumeric;
    reverse_kwh: NullableNumeric;
    normal_count: NullableNumeric;
    reverse_count: NullableNumeric;
    coefficient: number;
    unit_kwh: Numeric;
  };
  energy_interval: {
    meter: string;
    direction: 'normal' | 'reverse';
    slot: Timestamp;
    kwh: Numeric;
    count: Numeric;
    source: 'history' | 'fixed-time' | 'poll';
  };
  cpu_temperature: { sensor: string; time: Timestamp; celsius: number };
  co2_sample: { sensor: string; time: Timestamp; ppm: number; temperature_c: number | null };
  bme280_sample: {
    sensor: string;
    time: Timestamp;
    temperature_c: number;
    pressure_hpa: number;
    humidity_pct: number;
  };
}
