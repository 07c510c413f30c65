/**
 * Meter readings → store rows. Pure: the caller passes the meter's id, the instant and the
 * energy scale. EPC numbers and their decoded shapes are those of class 0x0288
 * (protocol.md §5; decoded by @b-route/echonet's property table).
 */
import {
  countToKwh,
  type DayHistory,
  type FixedTimeEnergy,
  historyPoints,
  type JstDate,
  jstToDate,
} from '@b-route/echonet';
import type { EnergyDirection, EnergyIntervalSource, MeterUpsert, StoreEntry } from '@b-route/store';

/** One property as the client's `get()` returns it: the EDT (null when the meter lacks it) and its decoded value. */
export interface PropertyValue {
  readonly edt: Uint8Array | null;
  readonly value: unknown;
}

export type Readings = ReadonlyMap<number, PropertyValue>;

export const EPC = {
  manufacturer: 0x8a,
  serial: 0x8d,
  currentDate: 0x98,
  fault: 0x88,
  coefficient: 0xd3,
  digits: 0xd7,
  normal: 0xe0,
  unit: 0xe1,
  historyNormal: 0xe2,
  reverse: 0xe3,
  historyReverse: 0xe4,
  historyDay: 0xe5,
  power: 0xe7,
  currents: 0xe8,
  fixedNormal: 0xea,
  fixedReverse: 0xeb,
} as const;

/** kWh = count × coefficient (D3) × unit (E1). */
export interface EnergyScale {
  readonly coefficient: number;
  readonly unitKwh: number;
}

/** What the poller knows about the meter it is joined to. */
export interface MeterFacts {
  /** EPANDESC Addr: 16 upper-case hex digits. */
  readonly id: string;
  readonly scale: EnergyScale;
  /** D7 effective digits, when the meter said. */
  readonly digits?: number;
}

/** The decoded value of `epc`, or undefined when absent or not decoded. */
export function readingValue<T>(readings: Readings, epc: number): T | undefined {
  const r = readings.get(epc);
  return r?.edt ? (r.value as T | undefined) : undefined;
}

/** True when the answer carries `epc` with data (a Get_SNA leaves it at PDC 0). */
export function hasData(readings: Readings, epc: number): boolean {
  return readings.get(epc)?.edt != null;
}

/**
 * D3 (absent → 1) and E1 out of a reading of the meta properties; `fallback` for what the
 * answer does not carry. Undefined when neither gives a unit.
 */
export function scaleFrom(readings: Readings, fallback?: EnergyScale): EnergyScale | undefined {
  const coefficient = readingValue<number>(readings, EPC.coefficient);
  const unit = readingValue<{ kwh: number }>(readings, EPC.unit);
  const unitKwh = unit?.kwh ?? fallback?.unitKwh;
  if (unitKwh === undefined) return undefined;
  // A meter without D3 uses coefficient 1 (Appendix, 0x0288 D3 note).
  const askedCoefficient = readings.has(EPC.coefficient);
  return {
    coefficient: coefficient ?? (askedCoefficient ? 1 : (fallback?.coefficient ?? 1)),
    unitKwh,
  };
}

/** A meter sighting: identity and scale fields that the answer carries, `seen` at `at`. */
export function meterRow(id: string, at: number, readings: Readings, scale?: EnergyScale): MeterUpsert {
  const serial = readingValue<string | null>(readings, EPC.serial);
  const manufacturer = readingValue<string>(readings, EPC.manufacturer);
  const digits = readingValue<number>(readings, EPC.digits);
  return {
    meter: id,
    seen: new Date(at),
    ...(serial !== undefined ? { serial } : {}),
    ...(manufacturer !== undefined ? { manufacturer } : {}),
    ...(digits !== undefined ? { digits } : {}),
    ...(scale ? { coefficient: scale.coefficient, unit_kwh: scale.unitKwh } : {}),
  };
}

/** 88 → extra.meter_fault; undefined when the answer does not carry it (or the meter lacks it). */
export function faultEntry(meter: string, at: number, readings: Readings): StoreEntry | undefined {
  const fault = readingValue<boolean>(readings, EPC.fault);
  if (typeof fault !== 'boolean') return undefined;
  return { kind: 'extra.meter_fault', row: { meter, time: new Date(at), fault } };
}

/** E7 + E8 → power_sample; undefined when the answer carries neither. */
export function powerSampleEntry(meter: string, at: number, readings: Readings): StoreEntry | undefined {
  if (!hasData(readings, EPC.power) && !hasData(readings, EPC.currents)) return undefined;
  const power = readingValue<number | null>(readings, EPC.power) ?? null;
  const currents = readingValue<{ r: number | null; t: number | null }>(readings, EPC.currents);
  return {
    kind: 'power_sample',
    row: {
      meter,
      time: new Date(at),
      power_w: power,
      current_r_a: currents?.r ?? null,
      current_t_a: currents?.t ?? null,
    },
  };
}

/** E0 + E3 → energy_reading; undefined when the answer carries neither. */
export function energyReadingEntry(
  meter: string,
  at: number,
  readings: Readings,
  scale: EnergyScale,
): StoreEntry | undefined {
  if (!hasData(readings, EPC.normal) && !hasData(readings, EPC.reverse)) return undefined;
  const normal = readingValue<number | null>(readings, EPC.normal) ?? null;
  const reverse = readingValue<number | null>(readings, EPC.reverse) ?? null;
  return {
    kind: 'energy_reading',
    row: {
      meter,
      time: new Date(at),
      normal_count: normal,
      reverse_count: reverse,
      normal_kwh: countToKwh(normal, scale.coefficient, scale.unitKwh),
      reverse_kwh: countToKwh(reverse, scale.coefficient, scale.unitKwh),
      coefficient: scale.coefficient,
      unit_kwh: scale.unitKwh,
    },
  };
}

/** One energy_interval row; undefined for a count the meter has no data for. */
export function intervalEntry(
  meter: string,
  direction: EnergyDirection,
  slot: Date,
  count: number | null,
  scale: EnergyScale,
  source: EnergyIntervalSource,
): StoreEntry | undefined {
  if (count === null) return undefined;
  return {
    kind: 'energy_interval',
    row: {
      meter,
      direction,
      slot,
      count,
      kwh: countToKwh(count, scale.coefficient, scale.unitKwh),
      source,
    },
  };
}

/**
 * E0/E3 polled at a half-hour boundary → energy_interval rows ('poll') at that boundary. The
 * store lets the meter's own record ('fixed-time', 'history') replace them later.
 */
export function pollIntervalEntries(
  meter: string,
  slot: number,
  readings: Readings,
  scale: EnergyScale,
): StoreEntry[] {
  const out: StoreEntry[] = [];
  for (const [direction, epc] of [
    ['normal', EPC.normal],
    ['reverse', EPC.reverse],
  ] as const) {
    const count = readingValue<number | null>(readings, epc);
    const entry =
      count === undefined ? undefined : intervalEntry(meter, direction, new Date(slot), count, scale, 'poll');
    if (entry) out.push(entry);
  }
  return out;
}

/** EA (normal) / EB (reverse) of an INF → an energy_interval row ('fixed-time') at the time it names. */
export function fixedTimeEntry(
  meter: string,
  epc: number,
  value: FixedTimeEnergy,
  scale: EnergyScale,
): StoreEntry | undefined {
  if (epc !== EPC.fixedNormal && epc !== EPC.fixedReverse) return undefined;
  if (value.time === null) return undefined;
  const direction: EnergyDirection = epc === EPC.fixedNormal ? 'normal' : 'reverse';
  return intervalEntry(meter, direction, jstToDate(value.time), value.count, scale, 'fixed-time');
}

/**
 * E2/E4 of one day → energy_interval rows ('history') for every slot with data. `today` is the
 * meter's calendar day when the history was read (EPC 98 in the same frame).
 */
export function historyEntries(
  meter: string,
  direction: EnergyDirection,
  value: DayHistory,
  scale: EnergyScale,
  today: JstDate,
): { entries: StoreEntry[]; empty: Date[] } {
  const entries: StoreEntry[] = [];
  const empty: Date[] = [];
  for (const p of historyPoints(value, { ...scale, today })) {
    const entry = intervalEntry(meter, direction, p.slot, p.count, scale, 'history');
    if (entry) entries.push(entry);
    else empty.push(p.slot);
  }
  return { entries, empty };
}
