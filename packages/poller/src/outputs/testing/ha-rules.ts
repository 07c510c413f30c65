/**
 * Home Assistant's documented rules for an MQTT device discovery payload and its sensor
 * entities (MQTT integration: "Device discovery payload"; Sensor entity: device classes, their
 * units and allowed state classes). The test's independent check of `ha-discovery.ts`.
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
