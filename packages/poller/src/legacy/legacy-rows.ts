/**
 * Rows of the original power-consumption (Python) → ours. It stored the meter's values as the
 * integers it unpacked from each EDT (`struct.unpack("!L"/"!l"/"!h")`), so each is packed back
 * into its EDT and read with the echonet property table: the "no value" markers (E7 7FFFFFFE,
 * E8 7FFE per phase, E0 FFFFFFFE) become null exactly as for a live reading, and the kWh is
 * count × coefficient (D3, absent → 1) × unit (E1), as its power_graph.py computed it.
 */
import { countToKwh, DEFAULT_COEFFICIENT, ENERGY_UNITS, METER_PROPERTIES } from '@b-route/echonet';

/** A power_log row as selected (created_at already converted to an instant). */
export interface LegacyPowerRow {
  readonly id: number;
  readonly coefficient: number | null;
  readonly count: number | null;
  readonly unitCode: number | null;
  readonly power: number | null;
  readonly currentR: number | null;
  readonly currentT: number | null;
}

export interface PowerSampleValues {
  readonly powerW: number | null;
  readonly currentRA: number | null;
  readonly currentTA: number | null;
}

export interface EnergyValues {
  readonly count: number;
  readonly kwh: number;
  readonly coefficient: number;
  readonly unitKwh: number;
}

export interface ConvertedPowerRow {
  /** Undefined when the row holds no instantaneous value. */
  readonly sample?: PowerSampleValues;
  /** Undefined when the row holds no usable cumulative reading. */
  readonly energy?: EnergyValues;
  /** Why a value was left out (unknown unit code, out-of-range number). */
  readonly problems: readonly string[];
}

// One scratch EDT: decode() reads it and returns plain numbers, so it is reused (a year of
// power_log is half a million rows).
const EDT = new Uint8Array(4);
const EDT_VIEW = new DataView(EDT.buffer);

function u32(n: number): Uint8Array {
  EDT_VIEW.setUint32(0, n >>> 0);
  return EDT;
}

const inRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** One power_log row; never throws. */
export function convertPowerRow(row: LegacyPowerRow): ConvertedPowerRow {
  const problems: string[] = [];
  let powerW: number | null = null;
  if (row.power !== null) {
    if (inRange(row.power, -0x80000000, 0x7fffffff))
      powerW = METER_PROPERTIES.instantaneousPower.decode(u32(row.power));
    else problems.push(`瞬時電力 ${row.power} out of range`);
  }
  let currentRA: number | null = null;
  let currentTA: number | null = null;
  const phase = (v: number | null, name: string): number | null => {
    if (v === null) return null;
    if (!inRange(v, -0x8000, 0x7fff)) {
      problems.push(`${name} ${v} out of range`);
      return null;
    }
    EDT_VIEW.setInt16(0, v);
    EDT_VIEW.setInt16(2, 0x7ffe);
    return METER_PROPERTIES.instantaneousCurrents.decode(EDT).r;
  };
  currentRA = phase(row.currentR, '瞬時電流_R');
  currentTA = phase(row.currentT, '瞬時電流_T');

  let energy: EnergyValues | undefined;
  if (row.count !== null) {
    const unitKwh = row.unitCode === null ? undefined : ENERGY_UNITS.get(row.unitCode);
    const coefficient = row.coefficient ?? DEFAULT_COEFFICIENT;
    if (unitKwh === undefined) {
      problems.push(`電力量単位 ${row.unitCode} is not an E1 unit code`);
    } else if (!inRange(coefficient, 1, 999_999)) {
      problems.push(`係数 ${coefficient} out of range`);
    } else if (!inRange(row.count, 0, 0xffffffff)) {
      problems.push(`積算電力量 ${row.count} out of range`);
    } else {
      const count = METER_PROPERTIES.cumulativeEnergyNormal.decode(u32(row.count));
      if (count !== null)
        energy = { count, kwh: countToKwh(count, coefficient, unitKwh), coefficient, unitKwh };
    }
  }
  const sample =
    powerW !== null || currentRA !== null || currentTA !== null
      ? { powerW, currentRA, currentTA }
      : undefined;
  return { ...(sample ? { sample } : {}), ...(energy ? { energy } : {}), problems };
}

/** Half-hour slots are aligned in JST (UTC+9), i.e. on UTC half hours. */
const SLOT_MS = 30 * 60_000;
/** The original read once a minute just after the minute: a reading this close after a slot stands for it. */
export const SLOT_TOLERANCE_MS = 60_000;

/**
 * The 30-minute boundary a reading (Unix seconds) stands for, in Unix seconds, or undefined when
 * it is not just after one.
 */
export function slotOf(epochS: number): number | undefined {
  const ms = epochS * 1000;
  const slot = Math.floor(ms / SLOT_MS) * SLOT_MS;
  return ms - slot < SLOT_TOLERANCE_MS ? slot / 1000 : undefined;
}
