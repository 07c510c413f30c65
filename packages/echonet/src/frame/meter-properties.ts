import { toHex } from './hex.js';
import {
  dayHistory,
  fixedTimeEnergy,
  historyRequest,
  historySeries,
  ONE_MINUTE_ENERGY,
} from './meter-history.js';
import {
  checkInt,
  defineProperty,
  expectSize,
  hexOfSize,
  type PropertyDef,
  rangeError,
  readCount,
  readU32,
  writeCount,
  writeU32,
} from './property-def.js';
import { GET_PROPERTY_MAP, SET_PROPERTY_MAP, STATUS_CHANGE_MAP } from './property-map.js';
import {
  CURRENT_DATE,
  CURRENT_TIME,
  FAULT_STATUS,
  IDENTIFICATION_NUMBER,
  INSTALLATION_LOCATION,
  MANUFACTURER_CODE,
  OPERATION_STATUS,
  PRODUCTION_NUMBER,
  STANDARD_VERSION,
} from './superclass-properties.js';

/** Class code of the low-voltage smart electric energy meter (EOJ 0x0288xx). */
export const SMART_METER_CLASS = 0x0288;
/** D3 coefficient to use when the meter does not implement D3 (Appendix §3.3.25). */
export const DEFAULT_COEFFICIENT = 1;

/** E1 unit codes → kWh per count. */
export const ENERGY_UNITS: ReadonlyMap<number, number> = new Map([
  [0x00, 1],
  [0x01, 0.1],
  [0x02, 0.01],
  [0x03, 0.001],
  [0x04, 0.0001],
  [0x0a, 10],
  [0x0b, 100],
  [0x0c, 1000],
  [0x0d, 10000],
]);

export interface EnergyUnit {
  readonly code: number;
  /** kWh per count. */
  readonly kwh: number;
}

export interface InstantCurrents {
  /** R phase in A; null when the meter reports no data (7FFE), overflow (7FFF) or underflow (8000). */
  readonly r: number | null;
  /** T phase in A; null (7FFE) on single-phase two-wire service. */
  readonly t: number | null;
}

/**
 * Codes that are not measurements (Appendix, class 0x0288: E7 and E8): overflow, underflow and
 * "no data". E7 is a signed 32-bit W value, range 0x80000001..0x7FFFFFFD; E8 a signed 16-bit
 * value in 0.1 A per phase, range 0x8001..0x7FFD. All three decode to null.
 */
const POWER_NO_DATA = 0x7ffffffe;
const POWER_OVERFLOW = 0x7fffffff;
const POWER_UNDERFLOW = -0x80000000;
const CURRENT_NO_DATA = 0x7ffe;
const CURRENT_OVERFLOW = 0x7fff;
const CURRENT_UNDERFLOW = 0x8000;

export type MeterSentinel = 'no data' | 'overflow' | 'underflow';

/** Which sentinel an E7 value (signed) is, if any. */
export function powerSentinel(raw: number): MeterSentinel | undefined {
  if (raw === POWER_NO_DATA) return 'no data';
  if (raw === POWER_OVERFLOW) return 'overflow';
  if (raw === POWER_UNDERFLOW) return 'underflow';
  return undefined;
}

/** Which sentinel one phase of E8 (unsigned 16-bit as sent) is, if any. */
export function currentSentinel(raw: number): MeterSentinel | undefined {
  if (raw === CURRENT_NO_DATA) return 'no data';
  if (raw === CURRENT_OVERFLOW) return 'overflow';
  if (raw === CURRENT_UNDERFLOW) return 'underflow';
  return undefined;
}

/**
 * The sentinels an E7 or E8 EDT carries (overflow/underflow only: "no data" is the meter's
 * ordinary answer), for the application to count; empty for any other EPC or a plain value.
 */
export function measurementSentinels(epc: number, edt: Uint8Array): MeterSentinel[] {
  const found: (MeterSentinel | undefined)[] = [];
  if (epc === 0xe7 && edt.length === 4) found.push(powerSentinel(readU32(edt, 0) | 0));
  if (epc === 0xe8 && edt.length === 4) {
    found.push(currentSentinel((edt[0]! << 8) | edt[1]!), currentSentinel((edt[2]! << 8) | edt[3]!));
  }
  return found.filter((s): s is MeterSentinel => s !== undefined && s !== 'no data');
}

const cumulative = (epc: number, name: string, label: string): PropertyDef<number | null> =>
  defineProperty<number | null>({
    epc,
    name,
    label,
    unit: 'count',
    settable: false,
    decode(edt) {
      expectSize(epc, edt, 4);
      return readCount(edt, 0);
    },
    encode(value) {
      const out = new Uint8Array(4);
      writeCount(epc, out, 0, value);
      return out;
    },
  });

/**
 * The properties of class 0x0288 (protocol.md §5), keyed by name. Each entry decodes an EDT to
 * a plain value and encodes it back; only E5, ED and EF accept a Set.
 */
export const METER_PROPERTIES = {
  operationStatus: OPERATION_STATUS,
  installationLocation: INSTALLATION_LOCATION,
  standardVersion: STANDARD_VERSION,
  identificationNumber: IDENTIFICATION_NUMBER,
  faultStatus: FAULT_STATUS,
  manufacturerCode: MANUFACTURER_CODE,
  productionNumber: PRODUCTION_NUMBER,
  currentTime: CURRENT_TIME,
  currentDate: CURRENT_DATE,
  statusChangePropertyMap: STATUS_CHANGE_MAP,
  setPropertyMap: SET_PROPERTY_MAP,
  getPropertyMap: GET_PROPERTY_MAP,
  /** C0: size differs between Appendix releases, so any length is kept as hex. */
  routeBIdentificationNumber: defineProperty<string>({
    epc: 0xc0,
    name: 'routeBIdentificationNumber',
    label: 'Route B identification number',
    settable: false,
    decode: (edt) => toHex(edt),
    encode: (value) => hexOfSize(0xc0, value),
  }),
  oneMinuteEnergy: ONE_MINUTE_ENERGY,
  coefficient: defineProperty<number>({
    epc: 0xd3,
    name: 'coefficient',
    label: 'Coefficient',
    settable: false,
    decode(edt) {
      expectSize(0xd3, edt, 4);
      return readU32(edt, 0);
    },
    encode(value) {
      const out = new Uint8Array(4);
      writeU32(out, 0, checkInt(0xd3, 'coefficient', value, 0, 999_999));
      return out;
    },
  }),
  effectiveDigits: defineProperty<number>({
    epc: 0xd7,
    name: 'effectiveDigits',
    label: 'Number of effective digits for cumulative energy',
    settable: false,
    decode(edt) {
      expectSize(0xd7, edt, 1);
      return checkInt(0xd7, 'effective digits', edt[0]!, 1, 8);
    },
    encode: (value) => Uint8Array.of(checkInt(0xd7, 'effective digits', value, 1, 8)),
  }),
  cumulativeEnergyNormal: cumulative(0xe0, 'cumulativeEnergyNormal', 'Cumulative energy (normal direction)'),
  energyUnit: defineProperty<EnergyUnit>({
    epc: 0xe1,
    name: 'energyUnit',
    label: 'Unit for cumulative energy',
    unit: 'kWh',
    settable: false,
    decode(edt) {
      expectSize(0xe1, edt, 1);
      const kwh = ENERGY_UNITS.get(edt[0]!);
      if (kwh === undefined) throw rangeError(0xe1, `unknown unit code 0x${toHex(edt)}`, { value: edt[0] });
      return { code: edt[0]!, kwh };
    },
    encode(value) {
      if (ENERGY_UNITS.get(value.code) !== value.kwh) {
        throw rangeError(0xe1, `unit code ${value.code} does not mean ${value.kwh} kWh`, { ...value });
      }
      return Uint8Array.of(value.code);
    },
  }),
  historyNormal: dayHistory(0xe2, 'historyNormal', 'Historical cumulative energy 1 (normal direction)'),
  cumulativeEnergyReverse: cumulative(
    0xe3,
    'cumulativeEnergyReverse',
    'Cumulative energy (reverse direction)',
  ),
  historyReverse: dayHistory(0xe4, 'historyReverse', 'Historical cumulative energy 1 (reverse direction)'),
  historyDay: defineProperty<number>({
    epc: 0xe5,
    name: 'historyDay',
    label: 'Day for historical data 1',
    unit: 'days ago',
    settable: true,
    decode(edt) {
      expectSize(0xe5, edt, 1);
      return edt[0]!;
    },
    encode: (value) => Uint8Array.of(checkInt(0xe5, 'day', value, 0, 99)),
  }),
  instantaneousPower: defineProperty<number | null>({
    epc: 0xe7,
    name: 'instantaneousPower',
    label: 'Instantaneous power',
    unit: 'W',
    settable: false,
    decode(edt) {
      expectSize(0xe7, edt, 4);
      const w = readU32(edt, 0) | 0;
      return powerSentinel(w) === undefined ? w : null;
    },
    encode(value) {
      const out = new Uint8Array(4);
      // Appendix range 0x80000001..0x7FFFFFFD; 7FFFFFFE is the no-data sentinel.
      writeU32(
        out,
        0,
        value === null ? POWER_NO_DATA : checkInt(0xe7, 'power', value, -0x7fffffff, 0x7ffffffd),
      );
      return out;
    },
  }),
  instantaneousCurrents: defineProperty<InstantCurrents>({
    epc: 0xe8,
    name: 'instantaneousCurrents',
    label: 'Instantaneous currents',
    unit: 'A',
    settable: false,
    decode(edt) {
      expectSize(0xe8, edt, 4);
      return { r: readCurrent(edt, 0), t: readCurrent(edt, 2) };
    },
    encode(value) {
      return Uint8Array.of(...writeCurrent(value.r), ...writeCurrent(value.t));
    },
  }),
  fixedTimeEnergyNormal: fixedTimeEnergy(
    0xea,
    'fixedTimeEnergyNormal',
    'Cumulative energy at fixed time (normal)',
  ),
  fixedTimeEnergyReverse: fixedTimeEnergy(
    0xeb,
    'fixedTimeEnergyReverse',
    'Cumulative energy at fixed time (reverse)',
  ),
  history2: historySeries(0xec, 'history2', 'Historical cumulative energy 2 (normal and reverse)', 30, 12),
  history2Request: historyRequest(0xed, 'history2Request', 'Day and time for historical data 2', 12),
  history3: historySeries(0xee, 'history3', 'Historical cumulative energy 3 (1-minute steps)', 1, 10),
  history3Request: historyRequest(0xef, 'history3Request', 'Day and time for historical data 3', 10),
} as const;

export type MeterPropertyName = keyof typeof METER_PROPERTIES;
/** The decoded value type of a meter property, e.g. `MeterValue<'instantaneousPower'>` = `number | null`. */
export type MeterValue<N extends MeterPropertyName> = ReturnType<(typeof METER_PROPERTIES)[N]['decode']>;

/** All rows of the table, in EPC order. */
export const METER_PROPERTY_LIST: readonly PropertyDef[] = Object.values(METER_PROPERTIES).sort(
  (a, b) => a.epc - b.epc,
);

const BY_EPC = new Map<number, PropertyDef>(METER_PROPERTY_LIST.map((d) => [d.epc, d]));

/** The table row for an EPC of class 0x0288, or undefined. */
export function meterProperty(epc: number): PropertyDef | undefined {
  return BY_EPC.get(epc);
}

/** 0.1 A units, signed; 7FFE (no data), 7FFF (overflow), 8000 (underflow) → null. */
function readCurrent(edt: Uint8Array, at: number): number | null {
  const raw = (edt[at]! << 8) | edt[at + 1]!;
  if (currentSentinel(raw) !== undefined) return null;
  return (raw >= 0x8000 ? raw - 0x10000 : raw) / 10;
}

function writeCurrent(amps: number | null): [number, number] {
  // Appendix range 0x8001..0x7FFD in 0.1 A.
  const raw =
    amps === null ? CURRENT_NO_DATA : checkInt(0xe8, 'current × 10', Math.round(amps * 10), -0x7fff, 0x7ffd);
  return [(raw >> 8) & 0xff, raw & 0xff];
}
