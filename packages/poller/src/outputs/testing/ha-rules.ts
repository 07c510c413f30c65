/**
 * Home Assistant's documented rules for an MQTT device discovery payload and its sensor and
 * binary sensor entities (MQTT integration: "Device discovery payload"; Sensor entity: device
 * classes, their units and allowed state classes; Binary sensor: device classes, payload_on/off). The test's independent check of `ha-discovery.ts`.
 * Returns the problems found; empty is valid.
 */
const UNITS: Record<string, readonly (string | undefined)[]> = {
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h'],
  energy: ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal'],
  current: ['A', 'mA'],
  signal_strength: ['dB', 'dBm'],
  temperature: ['°C', '°F', 'K'],
  humidity: ['%'],
  atmospheric_pressure: ['cbar', 'bar', 'hPa', 'mmHg', 'inHg', 'kPa', 'mbar', 'Pa', 'psi'],
  carbon_dioxide: ['ppm'],
  enum: [undefined],
};
/** Energy is a total: `measurement` is refused (HA 2024.x sensor docs). */
const STATE_CLASSES: Record<string, readonly (string | undefined)[]> = {
  energy: ['total', 'total_increasing', undefined],
  enum: [undefined],
};

/** Binary sensor device classes (HA binary_sensor docs). */
const BINARY_CLASSES = new Set([
  'battery',
  'battery_charging',
  'carbon_monoxide',
  'cold',
  'connectivity',
  'door',
  'garage_door',
  'gas',
  'heat',
  'light',
  'lock',
  'moisture',
  'motion',
  'moving',
  'occupancy',
  'opening',
  'plug',
  'power',
  'presence',
  'problem',
  'running',
  'safety',
  'smoke',
  'sound',
  'tamper',
  'update',
  'vibration',
  'window',
]);

/** Binary sensors have no unit or state class; their device class is from their own list. */
function binarySensorProblems(at: string, c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const dc = (c.device_class ?? c.dev_cla) as string | undefined;
  if (dc !== undefined && !BINARY_CLASSES.has(dc))
    problems.push(`${at}: binary_sensor device_class ${dc} unknown`);
  if ((c.unit_of_measurement ?? c.unit_of_meas) !== undefined)
    problems.push(`${at}: a binary_sensor has no unit`);
  if ((c.state_class ?? c.stat_cla) !== undefined) problems.push(`${at}: a binary_sensor has no state_class`);
  const ec = c.entity_category ?? c.ent_cat;
  if (ec !== undefined && ec !== 'diagnostic')
    problems.push(`${at}: a binary_sensor's entity_category can only be diagnostic`);
  return problems;
}

/**
 * What HA makes of a state payload for one discovered entity: the `{{ value_json.<key> }}`
 * template picks a value, which for a binary_sensor must equal `payload_on` (default `ON`) or
 * `payload_off` (default `OFF`) — anything else leaves the entity unknown — and for a sensor
 * with a numeric device class must be a number. Returns the problems; empty is valid.
 */
export function haStateProblems(component: Record<string, unknown>, payload: string): string[] {
  const template = (component.value_template ?? component.val_tpl) as string | undefined;
  const key = template ? /^\{\{\s*value_json\.(\w+)\s*\}\}$/.exec(template)?.[1] : undefined;
  if (template && !key) return [`template ${template} not understood by this check`];
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return key ? ['payload is not JSON but the template reads value_json'] : [];
  }
  const value = key ? (json as Record<string, unknown>)[key] : json;
  if (value === undefined) return [`payload has no ${key}`];
  // Jinja renders a JSON number as its digits and a boolean as True/False.
  const rendered = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  const platform = component.p ?? component.platform;
  if (platform === 'binary_sensor') {
    const on = String(component.payload_on ?? component.pl_on ?? 'ON');
    const off = String(component.payload_off ?? component.pl_off ?? 'OFF');
    return rendered === on || rendered === off ? [] : [`state ${rendered} is neither ${on} nor ${off}`];
  }
  const dc = component.device_class ?? component.dev_cla;
  if (dc !== undefined && dc !== 'enum' && value !== null && typeof value !== 'number')
    return [`state ${rendered} is not a number for device_class ${String(dc)}`];
  if (dc === 'enum' && !(component.options as unknown[] | undefined)?.includes(value))
    return [`state ${rendered} is not among the options`];
  return [];
}

export function haDiscoveryProblems(payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const dev = (payload.dev ?? payload.device) as Record<string, unknown> | undefined;
  const ids = dev?.ids ?? dev?.identifiers;
  if (!dev || !(Array.isArray(ids) ? ids.length > 0 : typeof ids === 'string'))
    problems.push('dev.ids is required');
  const origin = (payload.o ?? payload.origin) as Record<string, unknown> | undefined;
  if (typeof origin?.name !== 'string') problems.push('o.name is required for device discovery');
  const cmps = (payload.cmps ?? payload.components) as Record<string, Record<string, unknown>> | undefined;
  if (!cmps || Object.keys(cmps).length === 0) return [...problems, 'cmps is required and not empty'];
  const uniqueIds = new Set<string>();
  for (const [key, c] of Object.entries(cmps)) {
    const at = `cmps.${key}`;
    const platform = c.p ?? c.platform;
    if (typeof platform !== 'string') problems.push(`${at}.p is required`);
    const uid = c.unique_id ?? c.uniq_id;
    if (typeof uid !== 'string') problems.push(`${at}.unique_id is required in device discovery`);
    else if (uniqueIds.has(uid)) problems.push(`${at}.unique_id is not unique`);
    else uniqueIds.add(uid);
    if (typeof (c.state_topic ?? c.stat_t ?? payload.state_topic) !== 'string')
      problems.push(`${at}: no state_topic`);
    if (platform === 'binary_sensor') {
      problems.push(...binarySensorProblems(at, c));
      continue;
    }
    const dc = (c.device_class ?? c.dev_cla) as string | undefined;
    const unit = (c.unit_of_measurement ?? c.unit_of_meas) as string | undefined;
    const sc = (c.state_class ?? c.stat_cla) as string | undefined;
    if (sc !== undefined && !['measurement', 'total', 'total_increasing', 'measurement_angle'].includes(sc))
      problems.push(`${at}: state_class ${sc} unknown`);
    if (dc !== undefined) {
      const units = UNITS[dc];
      if (!units) problems.push(`${at}: device_class ${dc} not checked by this rule table`);
      else if (!units.includes(unit)) problems.push(`${at}: unit ${unit} not allowed for device_class ${dc}`);
      const classes = STATE_CLASSES[dc];
      if (classes && !classes.includes(sc))
        problems.push(`${at}: state_class ${sc} not allowed for device_class ${dc}`);
      if (dc === 'enum' && !Array.isArray(c.options)) problems.push(`${at}: enum needs options`);
    }
    const ec = c.entity_category ?? c.ent_cat;
    if (ec !== undefined && ec !== 'diagnostic')
      problems.push(`${at}: a sensor's entity_category can only be diagnostic`);
  }
  return problems;
}
