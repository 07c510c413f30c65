import { toHex } from './hex.js';
import { isValidJst, type JstDate } from './jst-time.js';
import {
  checkInt,
  defineProperty,
  expectSize,
  hexOfSize,
  rangeError,
  readU16,
  writeU16,
} from './property-def.js';

/**
 * Device object super class properties (Appendix ch. 2) as the smart meter carries them.
 * Node profile 0x0EF0 reuses 80/83/88/8A with the same layout.
 */

export type OperationStatus = 'on' | 'off';

/** 80 operation status: 30 on, 31 off (node profile: 30 booting, 31 not booting). */
export const OPERATION_STATUS = defineProperty<OperationStatus>({
  epc: 0x80,
  name: 'operationStatus',
  label: 'Operation status',
  settable: false,
  decode(edt) {
    expectSize(0x80, edt, 1);
    if (edt[0] === 0x30) return 'on';
    if (edt[0] === 0x31) return 'off';
    throw rangeError(0x80, `unknown operation status 0x${toHex(edt)}`, { value: edt[0] });
  },
  encode: (value) => Uint8Array.of(value === 'on' ? 0x30 : 0x31),
});

/** 81 installation location: a 1-byte location code, or 17 bytes (code 0x00 + position data) as hex. */
export const INSTALLATION_LOCATION = defineProperty<number | string>({
  epc: 0x81,
  name: 'installationLocation',
  label: 'Installation location',
  settable: false,
  decode(edt) {
    expectSize(0x81, edt, 1, 17);
    return edt.length === 1 ? edt[0]! : toHex(edt);
  },
  encode(value) {
    if (typeof value === 'number') return Uint8Array.of(checkInt(0x81, 'location code', value, 0, 0xff));
    return hexOfSize(0x81, value, 17);
  },
});

/** 82 standard version information: 00 00 'X' 00, the Appendix release letter in the third byte. */
export const STANDARD_VERSION = defineProperty<string>({
  epc: 0x82,
  name: 'standardVersion',
  label: 'Standard version information',
  settable: false,
  decode(edt) {
    expectSize(0x82, edt, 4);
    const letter = edt[2]!;
    if (letter < 0x41 || letter > 0x5a) {
      throw rangeError(0x82, `release byte 0x${toHex(edt.subarray(2, 3))} is not a letter A..Z`);
    }
    return String.fromCharCode(letter);
  },
  encode(value) {
    if (!/^[A-Z]$/.test(value))
      throw rangeError(0x82, `release ${JSON.stringify(value)} is not one letter A..Z`);
    return Uint8Array.of(0, 0, value.charCodeAt(0), 0);
  },
});

/** 83 identification number: 9 or 17 bytes (0xFE, manufacturer code, unique part), as hex. */
export const IDENTIFICATION_NUMBER = defineProperty<string>({
  epc: 0x83,
  name: 'identificationNumber',
  label: 'Identification number',
  settable: false,
  decode(edt) {
    expectSize(0x83, edt, 9, 17);
    return toHex(edt);
  },
  encode: (value) => hexOfSize(0x83, value, 9, 17),
});

/** 88 fault status: 41 fault, 42 no fault. `true` means a fault. */
export const FAULT_STATUS = defineProperty<boolean>({
  epc: 0x88,
  name: 'faultStatus',
  label: 'Fault status',
  settable: false,
  decode(edt) {
    expectSize(0x88, edt, 1);
    if (edt[0] === 0x41) return true;
    if (edt[0] === 0x42) return false;
    throw rangeError(0x88, `unknown fault status 0x${toHex(edt)}`, { value: edt[0] });
  },
  encode: (value) => Uint8Array.of(value ? 0x41 : 0x42),
});

/** 8A manufacturer code: 3 bytes assigned by the ECHONET Consortium, as hex (e.g. `'000016'`). */
export const MANUFACTURER_CODE = defineProperty<string>({
  epc: 0x8a,
  name: 'manufacturerCode',
  label: 'Manufacturer code',
  settable: false,
  decode(edt) {
    expectSize(0x8a, edt, 3);
    return toHex(edt);
  },
  encode: (value) => hexOfSize(0x8a, value, 3),
});

/** 8D production number: 12 ASCII bytes, NUL padded; the padding is stripped. */
export const PRODUCTION_NUMBER = defineProperty<string>({
  epc: 0x8d,
  name: 'productionNumber',
  label: 'Production number',
  settable: false,
  decode(edt) {
    expectSize(0x8d, edt, 12);
    return String.fromCharCode(...edt).replace(/^\0+|\0+$/g, '');
  },
  encode(value) {
    if (value.length > 12 || !/^[\x20-\x7e]*$/.test(value)) {
      throw rangeError(0x8d, `production number must be up to 12 printable ASCII characters`);
    }
    const out = new Uint8Array(12);
    for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i);
    return out;
  },
});

export interface MeterClock {
  readonly hour: number;
  readonly minute: number;
}

/** 97 current time setting: hour, minute (meter local time, JST). */
export const CURRENT_TIME = defineProperty<MeterClock>({
  epc: 0x97,
  name: 'currentTime',
  label: 'Current time setting',
  settable: false,
  decode(edt) {
    expectSize(0x97, edt, 2);
    const hour = checkInt(0x97, 'hour', edt[0]!, 0, 23);
    return { hour, minute: checkInt(0x97, 'minute', edt[1]!, 0, 59) };
  },
  encode: (v) =>
    Uint8Array.of(checkInt(0x97, 'hour', v.hour, 0, 23), checkInt(0x97, 'minute', v.minute, 0, 59)),
});

/** 98 current date setting: year (2), month, day (meter local time, JST). */
export const CURRENT_DATE = defineProperty<JstDate>({
  epc: 0x98,
  name: 'currentDate',
  label: 'Current date setting',
  settable: false,
  decode(edt) {
    expectSize(0x98, edt, 4);
    return checkDate({ year: readU16(edt, 0), month: edt[2]!, day: edt[3]! });
  },
  encode(value) {
    const { year, month, day } = checkDate(value);
    const out = Uint8Array.of(0, 0, month, day);
    writeU16(out, 0, year);
    return out;
  },
});

function checkDate(d: JstDate): JstDate {
  if (!isValidJst({ ...d, hour: 0, minute: 0, second: 0 })) {
    throw rangeError(0x98, `invalid date ${JSON.stringify(d)}`, { date: d });
  }
  return { year: d.year, month: d.month, day: d.day };
}
