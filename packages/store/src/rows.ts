/**
 * What the poller hands the store: one row of one table (`StoreEntry`). The writer batches
 * entries into inserts; the spool keeps them as JSON lines while the database is away.
 */
import type {
  NewBme280Sample,
  NewCo2Sample,
  NewCpuTemperature,
  NewEnergyInterval,
  NewEnergyReading,
  NewMeterFault,
  NewMeterProperty,
  NewPowerSample,
  NewScanLog,
  NewSensorReading,
} from './schema.js';

/**
 * A sighting of a meter: creates its row or updates it. Fields left out keep their stored
 * value (a `last_seen`-only upsert does not erase the serial number).
 */
export interface MeterUpsert {
  readonly meter: string;
  readonly serial?: string | null;
  readonly manufacturer?: string | null;
  /** EPC D3. */
  readonly coefficient?: number;
  /** EPC E1 as kWh per count step (0.1, 0.01, …). */
  readonly unit_kwh?: number;
  /** EPC D7. */
  readonly digits?: number | null;
  /** When the meter answered; becomes last_seen (and first_seen of a new meter). */
  readonly seen: Date | string;
}

export interface StoreRows {
  meter: MeterUpsert;
  power_sample: NewPowerSample;
  energy_reading: NewEnergyReading;
  energy_interval: NewEnergyInterval;
  cpu_temperature: NewCpuTemperature;
  co2_sample: NewCo2Sample;
  bme280_sample: NewBme280Sample;
  scan_log: NewScanLog;
  'extra.meter_property': NewMeterProperty;
  'extra.sensor_reading': NewSensorReading;
  'extra.meter_fault': NewMeterFault;
}

export type RowKind = keyof StoreRows;

export type StoreEntry = { [K in RowKind]: { readonly kind: K; readonly row: StoreRows[K] } }[RowKind];

export const ROW_KINDS: readonly RowKind[] = [
  'meter',
  'power_sample',
  'energy_reading',
  'energy_interval',
  'cpu_temperature',
  'co2_sample',
  'bme280_sample',
  'scan_log',
  'extra.meter_property',
  'extra.sensor_reading',
  'extra.meter_fault',
];

const TIME_FIELDS = new Set(['time', 'slot', 'seen', 'first_seen', 'last_seen']);

/** One spool line (no newline). Dates become ISO 8601 strings. */
export function encodeEntry(entry: StoreEntry): string {
  return JSON.stringify({ k: entry.kind, r: entry.row });
}

/** The entry of one spool line, or undefined when the line is not one we wrote. */
export function decodeEntry(line: string): StoreEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { k, r } = value as { k?: unknown; r?: unknown };
  if (typeof k !== 'string' || !ROW_KINDS.includes(k as RowKind) || typeof r !== 'object' || r === null) {
    return undefined;
  }
  const row: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(r))
    row[key] = TIME_FIELDS.has(key) && typeof v === 'string' ? new Date(v) : v;
  return { kind: k, row } as StoreEntry;
}
