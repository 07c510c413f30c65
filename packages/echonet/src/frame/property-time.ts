import { isValidJst, type JstDateTime } from './jst-time.js';
import { rangeError, readU16, writeU16 } from './property-def.js';

/**
 * Date-times inside 0x0288 EDTs: year (2) month day hour minute [second]. EA/EB and D0 carry
 * seconds (7 bytes); EC/ED/EE/EF stop at the minute (6 bytes, second reads as 0). All bytes
 * FF means "not set" and decodes to null.
 */
export function readDateTime(
  epc: number,
  edt: Uint8Array,
  at: number,
  withSeconds: boolean,
): JstDateTime | null {
  const size = withSeconds ? 7 : 6;
  if (edt.subarray(at, at + size).every((b) => b === 0xff)) return null;
  const t: JstDateTime = {
    year: readU16(edt, at),
    month: edt[at + 2]!,
    day: edt[at + 3]!,
    hour: edt[at + 4]!,
    minute: edt[at + 5]!,
    second: withSeconds ? edt[at + 6]! : 0,
  };
  if (!isValidJst(t)) throw rangeError(epc, `invalid date-time ${JSON.stringify(t)}`, { time: t });
  return t;
}

/** Like {@link readDateTime} for fields where "not set" is not allowed. */
export function readSetDateTime(epc: number, edt: Uint8Array, at: number, withSeconds: boolean): JstDateTime {
  const t = readDateTime(epc, edt, at, withSeconds);
  if (t === null) throw rangeError(epc, 'date-time is not set (all bytes FF)');
  return t;
}

/**
 * Writes a date-time (null → all FF).
 * @throws EchonetError `property.range` for an impossible date, or seconds ≠ 0 without a seconds field.
 */
export function writeDateTime(
  epc: number,
  out: Uint8Array,
  at: number,
  t: JstDateTime | null,
  withSeconds: boolean,
): void {
  if (t === null) {
    out.fill(0xff, at, at + (withSeconds ? 7 : 6));
    return;
  }
  if (!isValidJst(t) || (!withSeconds && t.second !== 0)) {
    throw rangeError(epc, `cannot encode date-time ${JSON.stringify(t)}`, { time: t });
  }
  writeU16(out, at, t.year);
  out.set([t.month, t.day, t.hour, t.minute], at + 2);
  if (withSeconds) out[at + 6] = t.second;
}
