/**
 * Home Assistant MQTT discovery, device-based (one retained config per device on
 * `<prefix>/device/<object_id>/config` with the entities under `cmps`, HA 2024.11+). Entities
 * follow HA's sensor rules: `power` in W with `state_class: measurement`; `energy` in kWh with
 * `state_class: total_increasing` (what the Energy dashboard takes as grid consumption and
 * return to grid); the last 30-minute values are `energy` without a state class (HA rejects
 * `measurement` on energy); link quality, session state and the meter's fault status (EPC 88, a
 * `problem` binary sensor, on when the meter reports a fault) are diagnostics.
 * Pure: builds topics and payloads, publishes nothing.
 */
import type { OutputRecord } from './output-record.js';

export interface DiscoveryOptions {
  /** Default 'homeassistant'. */
  readonly prefix?: string;
  /** Where state goes: `<base>/<meter>/power` … Default 'b-route'. */
  readonly baseTopic?: string;
  readonly swVersion?: string;
}

export const SESSION_STATES = [
  'closed',
  'opening',
  'scanning',
  'joining',
  'ready',
  'reauthenticating',
  'recovering',
] as const;

/** A topic-safe id from a MAC or sensor name. */
export const objectId = (source: string): string =>
  `b_route_${source.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;

export function availabilityTopic(base = 'b-route'): string {
  return `${base}/status`;
}

/** The state topic of a record: `<base>/<source>/<kind>[/<direction>]`. */
export function stateTopic(r: OutputRecord, base = 'b-route'): string {
  const src = r.kind === 'sensor' ? `sensor/${r.source}` : r.source;
  const sub =
    r.kind === 'interval' ? `interval/${r.values.direction === 'reverse' ? 'export' : 'import'}` : r.kind;
  return `${base}/${src}/${sub}`;
}

type Component = Record<string, unknown>;

function sensorComponents(r: OutputRecord, topic: string, id: string): Record<string, Component> {
  const unitOf: Record<string, [string | undefined, string | undefined, string]> = {
    temperature_c: ['temperature', '°C', 'Temperature'],
    humidity_pct: ['humidity', '%', 'Humidity'],
    pressure_hpa: ['atmospheric_pressure', 'hPa', 'Pressure'],
    co2_ppm: ['carbon_dioxide', 'ppm', 'CO2'],
    cpu_temperature_c: ['temperature', '°C', 'CPU temperature'],
  };
  const out: Record<string, Component> = {};
  for (const key of Object.keys(r.values)) {
    const spec = unitOf[key];
    if (!spec) continue;
    const [deviceClass, unit, name] = spec;
    out[key] = {
      p: 'sensor',
      name,
      unique_id: `${id}_${key}`,
      device_class: deviceClass,
      unit_of_measurement: unit,
      state_class: 'measurement',
      state_topic: topic,
      value_template: `{{ value_json.${key} }}`,
    };
  }
  return out;
}

/** Discovery topic and payload for the device a record belongs to. */
export function discoveryFor(
  r: OutputRecord,
  options: DiscoveryOptions = {},
): { topic: string; payload: Record<string, unknown> } {
  const prefix = options.prefix ?? 'homeassistant';
  const base = options.baseTopic ?? 'b-route';
  const id = objectId(r.kind === 'sensor' ? `sensor_${r.source}` : r.source);
  const origin = { name: 'b-route', sw: options.swVersion ?? '0.1.0' };
  const availability = {
    availability_topic: availabilityTopic(base),
    payload_available: 'online',
    payload_not_available: 'offline',
  };
  if (r.kind === 'sensor') {
    return {
      topic: `${prefix}/device/${id}/config`,
      payload: {
        dev: { ids: [id], name: `Sensor ${r.source}`, mdl: r.source, mf: 'b-route' },
        o: origin,
        cmps: sensorComponents(r, stateTopic(r, base), id),
        ...availability,
        qos: 1,
      },
    };
  }
  const meter = r.source;
  const t = (kind: string): string => `${base}/${meter}/${kind}`;
  const cmps: Record<string, Component> = {
    power: {
      p: 'sensor',
      name: 'Power',
      unique_id: `${id}_power`,
      device_class: 'power',
      unit_of_measurement: 'W',
      state_class: 'measurement',
      state_topic: t('power'),
      value_template: '{{ value_json.instant_power_w }}',
    },
    current_r: {
      p: 'sensor',
      name: 'Current R',
      unique_id: `${id}_current_r`,
      device_class: 'current',
      unit_of_measurement: 'A',
      state_class: 'measurement',
      state_topic: t('power'),
      value_template: '{{ value_json.current_r_a }}',
    },
    current_t: {
      p: 'sensor',
      name: 'Current T',
      unique_id: `${id}_current_t`,
      device_class: 'current',
      unit_of_measurement: 'A',
      state_class: 'measurement',
      state_topic: t('power'),
      value_template: '{{ value_json.current_t_a }}',
    },
    energy_import: {
      p: 'sensor',
      name: 'Energy import',
      unique_id: `${id}_energy_import`,
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_class: 'total_increasing',
      state_topic: t('energy'),
      value_template: '{{ value_json.cumulative_power_kwh }}',
    },
    energy_export: {
      p: 'sensor',
      name: 'Energy export',
      unique_id: `${id}_energy_export`,
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_class: 'total_increasing',
      state_topic: t('energy'),
      value_template: '{{ value_json.cumulative_export_kwh }}',
    },
    interval_import: {
      p: 'sensor',
      name: 'Last 30 min import',
      unique_id: `${id}_interval_import`,
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_topic: t('interval/import'),
      value_template: '{{ value_json.interval_import_kwh }}',
    },
    interval_export: {
      p: 'sensor',
      name: 'Last 30 min export',
      unique_id: `${id}_interval_export`,
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_topic: t('interval/export'),
      value_template: '{{ value_json.interval_export_kwh }}',
    },
    lqi: {
      p: 'sensor',
      name: 'Link quality (LQI)',
      unique_id: `${id}_lqi`,
      entity_category: 'diagnostic',
      state_class: 'measurement',
      state_topic: t('link'),
      value_template: '{{ value_json.lqi }}',
    },
    rssi: {
      p: 'sensor',
      name: 'RSSI',
      unique_id: `${id}_rssi`,
      device_class: 'signal_strength',
      unit_of_measurement: 'dBm',
      state_class: 'measurement',
      entity_category: 'diagnostic',
      state_topic: t('link'),
      value_template: '{{ value_json.rssi_dbm }}',
    },
    fault: {
      p: 'binary_sensor',
      name: 'Fault',
      unique_id: `${id}_fault`,
      device_class: 'problem',
      entity_category: 'diagnostic',
      state_topic: t('fault'),
      value_template: '{{ value_json.fault }}',
      payload_on: '1',
      payload_off: '0',
    },
    session: {
      p: 'sensor',
      name: 'Session state',
      unique_id: `${id}_session`,
      device_class: 'enum',
      options: [...SESSION_STATES],
      entity_category: 'diagnostic',
      state_topic: t('session'),
      value_template: '{{ value_json.state }}',
    },
  };
  return {
    topic: `${prefix}/device/${id}/config`,
    payload: {
      dev: {
        ids: [id],
        name: `Smart meter ${meter}`,
        mdl: 'Low-voltage smart electric energy meter (B-route)',
        mf: 'b-route',
      },
      o: origin,
      cmps,
      ...availability,
      qos: 1,
    },
  };
}

/** The state payload of a record (its values and timestamp). */
export function statePayload(r: OutputRecord): string {
  return JSON.stringify({ ...r.values, timestamp: r.time });
}
