/**
 * The kysely view of `migrations/init.sql` (schema version 1). The pool built by `openDatabase`
 * parses `numeric` and `bigint` into JS numbers and `timestamptz` into `Date`, so selects see
 * `number` and `Date`; inserts also accept strings (ISO times, decimal text), which is what rows
 * read back from the on-disk spool carry.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** timestamptz: a Date out, a Date or an ISO 8601 string in. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz with a server default (now()). */
export type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric / bigint: a number out (type parser), a number or decimal text in. */
export type Numeric = ColumnType<number, number | string, number | string>;

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: DefaultTimestamp;
}

export interface MeterTable {
  /** 64-bit MAC address, 16 upper-case hex digits. */
  meter: string;
  serial: string | null;
  manufacturer: string | null;
  coefficient: Generated<number>;
  unit_kwh: ColumnType<number, number | string | undefined, number | string>;
  digits: number | null;
  first_seen: DefaultTimestamp;
  last_seen: DefaultTimestamp;
}

export interface PowerSampleTable {
  meter: string;
  time: Timestamp;
  power_w: number | null;
  current_r_a: number | null;
  current_t_a: number | null;
}

export interface EnergyReadingTable {
  meter: string;
  time: Timestamp;
  normal_kwh: ColumnType<number | null, number | string | null, number | string | null>;
  reverse_kwh: ColumnType<number | null, number | string | null, number | string | null>;
  normal_count: ColumnType<number | null, number | string | null, number | string | null>;
  reverse_count: ColumnType<number | null, number | string | null, number | string | null>;
  coefficient: number;
  unit_kwh: Numeric;
}

export type EnergyDirection = 'normal' | 'reverse';
/** Where a 30-minute value came from; also its rank, strongest first: see `store/writer.ts`. */
export type EnergyIntervalSource = 'history' | 'fixed-time' | 'poll';

export interface EnergyIntervalTable {
  meter: string;
  direction: EnergyDirection;
  /** The 30-minute boundary at which the cumulative value was read. */
  slot: Timestamp;
  /** Cumulative kWh at `slot` (count × coefficient × unit). */
  kwh: Numeric;
  count: Numeric;
  source: EnergyIntervalSource;
}

export interface CpuTemperatureTable {
  sensor: string;
  time: Timestamp;
  celsius: number;
}

export interface Co2SampleTable {
  sensor: string;
  time: Timestamp;
  ppm: number;
  temperature_c: number | null;
}

export interface Bme280SampleTable {
  sensor: string;
  time: Timestamp;
  temperature_c: number;
  pressure_hpa: number;
  humidity_pct: number;
}

export interface ScanLogTable {
  id: Generated<number>;
  time: Timestamp;
  channel: number;
  channel_page: number;
  pan_id: number;
  /** The meter's 64-bit MAC address as the scan reported it. */
  address: string;
  lqi: number;
  pair_id: string | null;
  side: number | null;
}

/** extra.meter_property (migration 013): a property with no column of its own. */
export interface MeterPropertyTable {
  meter: string;
  time: Timestamp;
  /** ECHONET Lite property code, 0x80–0xFF. */
  epc: number;
  /** The EDT as upper-case hex. */
  edt: string;
  /** The decoded value (JSON), or null for a property the table does not know. */
  value: ColumnType<unknown, string | null, string | null>;
}

/** extra.sensor_reading (migration 014): one value of a serial sensor's line. */
export interface SensorReadingTable {
  /** The sensor: its device (or configured name). */
  sensor: string;
  /** The value's name in the line (`temp`, or the CSV column). */
  name: string;
  time: Timestamp;
  value: number;
  unit: string | null;
}

/** extra.meter_fault (migration 020): the meter's fault status (EPC 88) at each reading. */
export interface MeterFaultTable {
  meter: string;
  time: Timestamp;
  /** True when the meter reports a fault (88 = 0x41). */
  fault: boolean;
}

export interface Database {
  schema_migrations: SchemaMigrationsTable;
  meter: MeterTable;
  power_sample: PowerSampleTable;
  energy_reading: EnergyReadingTable;
  energy_interval: EnergyIntervalTable;
  cpu_temperature: CpuTemperatureTable;
  co2_sample: Co2SampleTable;
  bme280_sample: Bme280SampleTable;
  scan_log: ScanLogTable;
  'extra.meter_property': MeterPropertyTable;
  'extra.sensor_reading': SensorReadingTable;
  'extra.meter_fault': MeterFaultTable;
}

export type MeterRow = Selectable<MeterTable>;
export type PowerSampleRow = Selectable<PowerSampleTable>;
export type EnergyReadingRow = Selectable<EnergyReadingTable>;
export type EnergyIntervalRow = Selectable<EnergyIntervalTable>;
export type CpuTemperatureRow = Selectable<CpuTemperatureTable>;
export type Co2SampleRow = Selectable<Co2SampleTable>;
export type Bme280SampleRow = Selectable<Bme280SampleTable>;
export type ScanLogRow = Selectable<ScanLogTable>;

export type NewMeter = Insertable<MeterTable>;
export type NewPowerSample = Insertable<PowerSampleTable>;
export type NewEnergyReading = Insertable<EnergyReadingTable>;
export type NewEnergyInterval = Insertable<EnergyIntervalTable>;
export type NewCpuTemperature = Insertable<CpuTemperatureTable>;
export type NewCo2Sample = Insertable<Co2SampleTable>;
export type NewBme280Sample = Insertable<Bme280SampleTable>;
export type NewScanLog = Insertable<ScanLogTable>;
export type NewMeterProperty = Insertable<MeterPropertyTable>;
export type NewSensorReading = Insertable<SensorReadingTable>;
export type NewMeterFault = Insertable<MeterFaultTable>;
