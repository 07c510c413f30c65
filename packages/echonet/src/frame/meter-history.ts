import { addJstMinutes, type JstDateTime } from './jst-time.js';
import {
  checkInt,
  defineProperty,
  expectSize,
  type PropertyDef,
  rangeError,
  readCount,
  readU16,
  sizeError,
  writeCount,
  writeU16,
} from './property-def.js';
import { readDateTime, readSetDateTime, writeDateTime } from './property-time.js';

/**
 * Cumulative-energy histories of class 0x0288 (Appendix §3.3.25). Every count is a raw
 * meter count (kWh = count × D3 × E1, see energy.ts); FFFFFFFE ("no data") decodes to null.
 */

/** E2/E4: the day asked with E5 (0 = today, 1 = yesterday …) and 48 counts for 00:00 … 23:30. */
export interface DayHistory {
  readonly day: number;
  readonly counts: readonly (number | null)[];
}

/** EA/EB: the count at the last 30-minute boundary. `time` is null when the meter sends all FF. */
export interface FixedTimeEnergy {
  readonly time: JstDateTime | null;
  readonly count: number | null;
}

/** D0: one-minute cumulative energy, normal and reverse. `time` null when all FF. */
export interface OneMinuteEnergy {
  readonly time: JstDateTime | null;
  readonly normal: number | null;
  readonly reverse: number | null;
}

export interface HistoryPoint {
  readonly time: JstDateTime;
  readonly normal: number | null;
  readonly reverse: number | null;
}

/** EC/EE: points newest first, `time` being the newest; EC steps 30 min back, EE 1 min. */
export interface HistorySeries {
  readonly time: JstDateTime;
  readonly points: readonly HistoryPoint[];
}

/** ED/EF: the newest time to collect for EC/EE and how many points (ED 1..12, EF 1..10). */
export interface HistoryRequest {
  /**
   * The first (newest) point asked for; `null` when the meter reports the request as not set
   * (all bytes FF), which some meters do before the first SetC — momonga reads it the same way.
   */
  readonly time: JstDateTime | null;
  readonly count: number;
}

export const SLOTS_PER_DAY = 48;
const DAY_HISTORY_SIZE = 2 + 4 * SLOTS_PER_DAY;

/** E2/E4 codec: day (2) then 48 × 4-byte counts. The day is 0..99 on encode (E5 range). */
export function dayHistory(epc: number, name: string, label: string): PropertyDef<DayHistory> {
  return defineProperty<DayHistory>({
    epc,
    name,
    label,
    unit: 'count',
    settable: false,
    decode(edt) {
      expectSize(epc, edt, DAY_HISTORY_SIZE);
      const counts: (number | null)[] = [];
      for (let i = 0; i < SLOTS_PER_DAY; i++) counts.push(readCount(edt, 2 + 4 * i));
      return { day: readU16(edt, 0), counts };
    },
    encode(value) {
      if (value.counts.length !== SLOTS_PER_DAY) {
        throw rangeError(epc, `${value.counts.length} counts, expected ${SLOTS_PER_DAY}`);
      }
      const out = new Uint8Array(DAY_HISTORY_SIZE);
      writeU16(out, 0, checkInt(epc, 'day', value.day, 0, 99));
      value.counts.forEach((c, i) => {
        writeCount(epc, out, 2 + 4 * i, c);
      });
      return out;
    },
  });
}

/** EA/EB codec: year (2) month day hour minute second, count (4). */
export function fixedTimeEnergy(epc: number, name: string, label: string): PropertyDef<FixedTimeEnergy> {
  return defineProperty<FixedTimeEnergy>({
    epc,
    name,
    label,
    unit: 'count',
    settable: false,
    decode(edt) {
      expectSize(epc, edt, 11);
      return { time: readDateTime(epc, edt, 0, true), count: readCount(edt, 7) };
    },
    encode(value) {
      const out = new Uint8Array(11);
      writeDateTime(epc, out, 0, value.time, true);
      writeCount(epc, out, 7, value.count);
      return out;
    },
  });
}

/**
 * D0 codec: year (2) month day hour minute second, normal count (4), reverse count (4) =
 * 15 bytes. D0 is absent from our reference table; this layout is the one Appendix Release M+
 * defines as implemented by independent public decoders, and no real capture checks it yet.
 */
export const ONE_MINUTE_ENERGY = defineProperty<OneMinuteEnergy>({
  epc: 0xd0,
  name: 'oneMinuteEnergy',
  label: 'One-minute measured cumulative energy (normal and reverse)',
  unit: 'count',
  settable: false,
  decode(edt) {
    expectSize(0xd0, edt, 15);
    return { time: readDateTime(0xd0, edt, 0, true), normal: readCount(edt, 7), reverse: readCount(edt, 11) };
  },
  encode(value) {
    const out = new Uint8Array(15);
    writeDateTime(0xd0, out, 0, value.time, true);
    writeCount(0xd0, out, 7, value.normal);
    writeCount(0xd0, out, 11, value.reverse);
    return out;
  },
});

/**
 * EC/EE codec: year (2) month day hour minute, n (1), then n × (normal 4, reverse 4), newest
 * first. Decoding accepts any n the size agrees with; encoding allows up to `maxPoints`.
 */
export function historySeries(
  epc: number,
  name: string,
  label: string,
  stepMinutes: number,
  maxPoints: number,
): PropertyDef<HistorySeries> {
  return defineProperty<HistorySeries>({
    epc,
    name,
    label,
    unit: 'count',
    settable: false,
    decode(edt) {
      if (edt.length < 7) throw sizeError(epc, '7 + 8n', edt.length);
      const n = edt[6]!;
      expectSize(epc, edt, 7 + 8 * n);
      const time = readSetDateTime(epc, edt, 0, false);
      const points: HistoryPoint[] = [];
      for (let i = 0; i < n; i++) {
        const at = 7 + 8 * i;
        const pointTime = addJstMinutes(time, -stepMinutes * i);
        points.push({ time: pointTime, normal: readCount(edt, at), reverse: readCount(edt, at + 4) });
      }
      return { time, points };
    },
    encode(value) {
      const n = checkInt(epc, 'number of points', value.points.length, 0, maxPoints);
      const out = new Uint8Array(7 + 8 * n);
      writeDateTime(epc, out, 0, value.time, false);
      out[6] = n;
      value.points.forEach((p, i) => {
        writeCount(epc, out, 7 + 8 * i, p.normal);
        writeCount(epc, out, 11 + 8 * i, p.reverse);
      });
      return out;
    },
  });
}

/** ED/EF codec: year (2) month day hour minute, n (1). Settable. */
export function historyRequest(
  epc: number,
  name: string,
  label: string,
  maxPoints: number,
): PropertyDef<HistoryRequest> {
  return defineProperty<HistoryRequest>({
    epc,
    name,
    label,
    settable: true,
    decode(edt) {
      expectSize(epc, edt, 7);
      return { time: readDateTime(epc, edt, 0, false), count: edt[6]! };
    },
    encode(value) {
      const out = new Uint8Array(7);
      if (value.time === null) throw rangeError(epc, 'a history request needs a date-time');
      writeDateTime(epc, out, 0, value.time, false);
      out[6] = checkInt(epc, 'number of points', value.count, 1, maxPoints);
      return out;
    },
  });
}
