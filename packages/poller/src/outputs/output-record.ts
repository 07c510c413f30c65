/**
 * The one stream every output reads: a store entry (or a session change) flattened to a
 * record whose values are named and unit-suffixed as in the HEMS data collector's CSV
 * (`cumulative_power_kwh`, `instant_power_w`, `current_r_a`, `current_t_a`). `id` is the
 * idempotency key (source, kind and time), so a receiver can drop what at-least-once delivery
 * sent twice.
 */
import type { StoreEntry } from '@b-route/store';

export type OutputKind =
  | 'power'
  | 'energy'
  | 'interval'
  | 'sensor'
  | 'meter'
  | 'fault'
  | 'link'
  | 'session'
  | 'property';

export type OutputValue = number | string | null;

export interface OutputRecord {
  readonly kind: OutputKind;
  /** The meter's MAC (EPANDESC Addr), or the sensor's name for `sensor` records. */
  readonly source: string;
  /** ISO 8601, UTC. For `interval` the start of the 30-minute slot. */
  readonly time: string;
  readonly values: Readonly<Record<string, OutputValue>>;
  /** `<source>/<kind>[/<direction>]/<time>`: the same reading always has the same id. */
  readonly id: string;
}

/** A change of the meter session's state (closed, scanning, joining, ready, recovering, …). */
export interface SessionChange {
  readonly meter: string;
  readonly state: string;
  readonly time: Date;
}

const iso = (t: Date | string): string => (typeof t === 'string' ? new Date(t) : t).toISOString();
const num = (v: number | string | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

function record(
  kind: OutputKind,
  source: string,
  time: Date | string,
  values: Record<string, OutputValue>,
  key: string = kind,
): OutputRecord {
  const t = iso(time);
  return { kind, source, time: t, values, id: `${source}/${key}/${t}` };
}

/** The record of a store entry; every row kind has one. */
export function toRecord(entry: StoreEntry): OutputRecord {
  switch (entry.kind) {
    case 'power_sample': {
      const r = entry.row;
      return record('power', r.meter, r.time, {
        instant_power_w: num(r.power_w),
        current_r_a: num(r.current_r_a),
        current_t_a: num(r.current_t_a),
      });
    }
    case 'energy_reading': {
      const r = entry.row;
      return record('energy', r.meter, r.time, {
        cumulative_power_kwh: num(r.normal_kwh),
        cumulative_export_kwh: num(r.reverse_kwh),
      });
    }
    case 'energy_interval': {
      const r = entry.row;
      const name = r.direction === 'normal' ? 'interval_import_kwh' : 'interval_export_kwh';
      return record(
        'interval',
        r.meter,
        r.slot,
        { direction: r.direction, [name]: num(r.kwh), source: r.source },
        `interval/${r.direction}`,
      );
    }
    case 'cpu_temperature':
      return record('sensor', entry.row.sensor, entry.row.time, { cpu_temperature_c: entry.row.celsius });
    case 'co2_sample':
      return record('sensor', entry.row.sensor, entry.row.time, {
        co2_ppm: entry.row.ppm,
        temperature_c: entry.row.temperature_c ?? null,
      });
    case 'bme280_sample':
      return record('sensor', entry.row.sensor, entry.row.time, {
        temperature_c: entry.row.temperature_c ?? null,
        pressure_hpa: entry.row.pressure_hpa,
        humidity_pct: entry.row.humidity_pct,
      });
    case 'meter': {
      const r = entry.row;
      const values: Record<string, OutputValue> = {};
      if (r.serial !== undefined) values.serial = r.serial;
      if (r.manufacturer !== undefined) values.manufacturer = r.manufacturer;
      if (r.coefficient !== undefined) values.coefficient = r.coefficient;
      if (r.unit_kwh !== undefined) values.unit_kwh = r.unit_kwh;
      return record('meter', r.meter, r.seen, values);
    }
    case 'extra.meter_fault':
      // 1 when the meter reports a fault (EPC 88 = 0x41), 0 when it reports none (0x42).
      return record('fault', entry.row.meter, entry.row.time, { fault: entry.row.fault ? 1 : 0 });
    case 'scan_log': {
      const r = entry.row;
      return record('link', r.address, r.time, {
        lqi: r.lqi,
        // RSSI from LQI as the SK stack documents it (BP35A1 command reference, EPANDESC/ERXUDP:
        // RSSI[dBm] = 0.275 × LQI − 104.27).
        rssi_dbm: Math.round((0.275 * r.lqi - 104.27) * 10) / 10,
        channel: r.channel,
        pan_id: r.pan_id,
      });
    }
    case 'extra.meter_property': {
      const r = entry.row;
      const epc = r.epc.toString(16).toUpperCase().padStart(2, '0');
      return record('property', r.meter, r.time, { epc, edt: r.edt }, `property/${epc}`);
    }
    case 'extra.sensor_reading': {
      const r = entry.row;
      return record(
        'sensor',
        r.sensor,
        r.time,
        { [r.name]: r.value, ...(r.unit === null || r.unit === undefined ? {} : { unit: r.unit }) },
        `sensor/${r.name}`,
      );
    }
  }
}

export function sessionRecord(change: SessionChange): OutputRecord {
  return record('session', change.meter, change.time, { state: change.state });
}
