import { defineProperty, type PropertyDef, rangeError, sizeError } from './property-def.js';

/**
 * Property maps (9D status-change announcement, 9E Set, 9F Get), Appendix §1 note: first byte
 * is the number of properties. Under 16 the EPCs follow as a list; from 16 on, a 16-byte
 * bitmap follows where bit b of byte k set means EPC 0x80 + k + 0x10 × b.
 */
export function decodePropertyMap(epc: number, edt: Uint8Array): number[] {
  if (edt.length < 1) throw sizeError(epc, 'at least 1 (count)', 0);
  const count = edt[0]!;
  if (count < 16) {
    if (edt.length !== 1 + count)
      throw sizeError(epc, `${1 + count} (count ${count}, list form)`, edt.length);
    return [...edt.subarray(1)];
  }
  if (edt.length !== 17) throw sizeError(epc, `17 (count ${count}, bitmap form)`, edt.length);
  const out: number[] = [];
  for (let b = 0; b < 8; b++) {
    for (let k = 0; k < 16; k++) {
      if (edt[1 + k]! & (1 << b)) out.push(0x80 + k + 0x10 * b);
    }
  }
  return out;
}

/**
 * Encodes a property map, choosing the list form for fewer than 16 EPCs and the bitmap otherwise.
 * @throws EchonetError `property.range` for an EPC outside 0x80..0xFF or a duplicate.
 */
export function encodePropertyMap(epc: number, epcs: readonly number[]): Uint8Array {
  const seen = new Set<number>();
  for (const e of epcs) {
    if (!Number.isInteger(e) || e < 0x80 || e > 0xff) {
      throw rangeError(epc, `EPC ${e} cannot appear in a property map (0x80..0xFF)`, { value: e });
    }
    if (seen.has(e)) throw rangeError(epc, `EPC 0x${e.toString(16)} listed twice`, { value: e });
    seen.add(e);
  }
  if (epcs.length < 16) return Uint8Array.of(epcs.length, ...epcs);
  const out = new Uint8Array(17);
  out[0] = epcs.length;
  for (const e of epcs) {
    const bit = e - 0x80;
    out[1 + (bit & 0x0f)]! |= 1 << (bit >> 4);
  }
  return out;
}

function propertyMap(epc: number, name: string, label: string): PropertyDef<number[]> {
  return defineProperty<number[]>({
    epc,
    name,
    label,
    settable: false,
    decode: (edt) => decodePropertyMap(epc, edt),
    encode: (value) => encodePropertyMap(epc, value),
  });
}

export const STATUS_CHANGE_MAP = propertyMap(
  0x9d,
  'statusChangePropertyMap',
  'Status change announcement property map',
);
export const SET_PROPERTY_MAP = propertyMap(0x9e, 'setPropertyMap', 'Set property map');
export const GET_PROPERTY_MAP = propertyMap(0x9f, 'getPropertyMap', 'Get property map');
