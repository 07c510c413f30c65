import { EchonetError } from '../errors.js';
import { fromHex } from './hex.js';

/**
 * One row of a property table: how an EPC's EDT maps to a JS value and back. `decode` and
 * `encode` are pure; sentinels ("no data") decode to `null` and encode back to the sentinel.
 */
export interface PropertyDef<T = unknown> {
  readonly epc: number;
  /** camelCase key, e.g. `'instantaneousPower'`. */
  readonly name: string;
  /** English label from the spec. */
  readonly label: string;
  /** Unit of the decoded number(s), when there is one. */
  readonly unit?: string;
  /** True when the class accepts a Set for it (0x0288: E5, ED, EF). */
  readonly settable: boolean;
  /** @throws EchonetError `property.size` or `property.range`. */
  decode(edt: Uint8Array): T;
  /** @throws EchonetError `property.range` when the value cannot be represented. */
  encode(value: T): Uint8Array;
}

/** Identity helper that keeps `T` for a table entry. */
export function defineProperty<T>(def: PropertyDef<T>): PropertyDef<T> {
  return def;
}

/** `0xE7` → `'E7'`. */
export function epcHex(epc: number): string {
  return epc.toString(16).toUpperCase().padStart(2, '0');
}

/** @throws EchonetError `property.size` unless `edt.length` is one of `sizes`. */
export function expectSize(epc: number, edt: Uint8Array, ...sizes: number[]): void {
  if (!sizes.includes(edt.length)) throw sizeError(epc, sizes.join(' or '), edt.length);
}

export function sizeError(epc: number, expected: string, actual: number): EchonetError {
  return new EchonetError(
    'property.size',
    `EPC 0x${epcHex(epc)}: EDT is ${actual} byte(s), expected ${expected}`,
    { context: { epc, expected, actual } },
  );
}

export function rangeError(
  epc: number,
  message: string,
  context: Record<string, unknown> = {},
): EchonetError {
  return new EchonetError('property.range', `EPC 0x${epcHex(epc)}: ${message}`, {
    context: { epc, ...context },
  });
}

/** @throws EchonetError `property.range` unless `value` is an integer in `min..max`. */
export function checkInt(epc: number, what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw rangeError(epc, `${what} ${value} is outside ${min}..${max}`, { value, min, max });
  }
  return value;
}

export function readU16(edt: Uint8Array, at: number): number {
  return (edt[at]! << 8) | edt[at + 1]!;
}

export function readU32(edt: Uint8Array, at: number): number {
  return ((edt[at]! << 24) >>> 0) + ((edt[at + 1]! << 16) | (edt[at + 2]! << 8) | edt[at + 3]!);
}

export function writeU16(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 8) & 0xff;
  out[at + 1] = value & 0xff;
}

export function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 24) & 0xff;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/** "No data" for cumulative counts (E0/E3, E2/E4 slots, EA/EB, EC/EE points, D0). */
export const COUNT_NO_DATA = 0xfffffffe;
/** Cumulative counts run 0 … 99 999 999 (class 0x0288, E0). */
export const COUNT_MAX = 99_999_999;

/** A 4-byte cumulative count, FFFFFFFE → null. Other values are returned as read. */
export function readCount(edt: Uint8Array, at: number): number | null {
  const v = readU32(edt, at);
  return v === COUNT_NO_DATA ? null : v;
}

/** @throws EchonetError `property.range` unless null or an integer 0..99 999 999. */
export function writeCount(epc: number, out: Uint8Array, at: number, count: number | null): void {
  writeU32(out, at, count === null ? COUNT_NO_DATA : checkInt(epc, 'count', count, 0, COUNT_MAX));
}

/** Bytes of a hex string of one of `sizes` bytes. @throws EchonetError `property.range`. */
export function hexOfSize(epc: number, value: string, ...sizes: number[]): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(value);
  } catch {
    throw rangeError(epc, `${JSON.stringify(value)} is not hex`);
  }
  if (sizes.length > 0 && !sizes.includes(bytes.length)) {
    throw rangeError(epc, `hex value is ${bytes.length} byte(s), expected ${sizes.join(' or ')}`);
  }
  return bytes;
}
