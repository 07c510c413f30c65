import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { fromHex, toHex } from './hex.js';
import type { JstDateTime } from './jst-time.js';
import {
  METER_PROPERTIES,
  METER_PROPERTY_LIST,
  type MeterPropertyName,
  meterProperty,
} from './meter-properties.js';

const T = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
): JstDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

/** Sample values per property; every one must survive encode → decode unchanged. */
const SAMPLES: { [N in MeterPropertyName]: unknown[] } = {
  operationStatus: ['on', 'off'],
  installationLocation: [0x08, 0xff, '00' + '11'.repeat(16)],
  standardVersion: ['F', 'A', 'Z'],
  identificationNumber: ['FE000016' + '00'.repeat(5), 'FE000016' + 'AB'.repeat(13)],
  faultStatus: [true, false],
  manufacturerCode: ['000016', 'FFFFFF'],
  productionNumber: ['', 'ABC123', 'X'.repeat(12)],
  currentTime: [
    { hour: 0, minute: 0 },
    { hour: 23, minute: 59 },
  ],
  currentDate: [
    { year: 2026, month: 5, day: 20 },
    { year: 2024, month: 2, day: 29 },
  ],
  statusChangePropertyMap: [[], [0x80, 0x81, 0x88], [0xff]],
  setPropertyMap: [[0xe5, 0xed, 0xef]],
  getPropertyMap: [
    Array.from({ length: 15 }, (_, i) => 0x80 + i),
    // 16+ EPCs: bitmap form, which decodes in ascending order
    [
      0x80, 0x81, 0x82, 0x83, 0x88, 0x8a, 0x8d, 0x97, 0x98, 0x9d, 0x9e, 0x9f, 0xd3, 0xd7, 0xe0, 0xe1, 0xe7,
      0xff,
    ],
    Array.from({ length: 128 }, (_, i) => 0x80 + i),
  ],
  routeBIdentificationNumber: ['00000016' + '01'.repeat(13), 'AB'],
  oneMinuteEnergy: [
    { time: T(2026, 5, 20, 14, 26, 0), normal: 65139, reverse: 0 },
    { time: null, normal: null, reverse: null },
  ],
  coefficient: [1, 10, 999_999],
  effectiveDigits: [1, 6, 8],
  cumulativeEnergyNormal: [0, 65139, 99_999_999, null],
  energyUnit: [
    { code: 0x00, kwh: 1 },
    { code: 0x01, kwh: 0.1 },
    { code: 0x02, kwh: 0.01 },
    { code: 0x03, kwh: 0.001 },
    { code: 0x04, kwh: 0.0001 },
    { code: 0x0a, kwh: 10 },
    { code: 0x0b, kwh: 100 },
    { code: 0x0c, kwh: 1000 },
    { code: 0x0d, kwh: 10000 },
  ],
  historyNormal: [
    { day: 0, counts: Array.from({ length: 48 }, (_, i) => (i < 29 ? 65000 + i : null)) },
    { day: 99, counts: Array.from({ length: 48 }, () => null) },
  ],
  cumulativeEnergyReverse: [0, 12, null],
  historyReverse: [{ day: 1, counts: Array.from({ length: 48 }, (_, i) => i) }],
  historyDay: [0, 1, 99],
  instantaneousPower: [632, 0, -1500, -0x7fffffff, 0x7ffffffd, null],
  instantaneousCurrents: [
    { r: 3, t: 5 },
    { r: 12.3, t: null },
    { r: -4.5, t: -0.1 },
    { r: null, t: null },
  ],
  fixedTimeEnergyNormal: [
    { time: T(2026, 5, 20, 14, 0, 0), count: 65128 },
    { time: null, count: null },
  ],
  fixedTimeEnergyReverse: [{ time: T(2025, 12, 31, 23, 30, 0), count: 0 }],
  history2: [
    {
      time: T(2026, 5, 20, 0, 30),
      points: [
        { time: T(2026, 5, 20, 0, 30), normal: 100, reverse: 0 },
        { time: T(2026, 5, 20, 0, 0), normal: null, reverse: null },
        { time: T(2026, 5, 19, 23, 30), normal: 98, reverse: 1 },
      ],
    },
    { time: T(2026, 1, 1, 0, 0), points: [] },
  ],
  history2Request: [
    { time: T(2026, 5, 20, 14, 0), count: 12 },
    { time: T(2026, 5, 20, 14, 30), count: 1 },
  ],
  history3: [
    {
      time: T(2026, 3, 1, 0, 1),
      points: [
        { time: T(2026, 3, 1, 0, 1), normal: 5, reverse: null },
        { time: T(2026, 3, 1, 0, 0), normal: 4, reverse: null },
        { time: T(2026, 2, 28, 23, 59), normal: 3, reverse: 7 },
      ],
    },
  ],
  history3Request: [{ time: T(2026, 5, 20, 14, 26), count: 10 }],
};

describe('METER_PROPERTIES table', () => {
  it('covers exactly the EPCs of protocol.md §5, in EPC order', () => {
    const epcs = '80 81 82 83 88 8A 8D 97 98 9D 9E 9F C0 D0 D3 D7 E0 E1 E2 E3 E4 E5 E7 E8 EA EB EC ED EE EF';
    expect(METER_PROPERTY_LIST.map((d) => toHex(Uint8Array.of(d.epc))).join(' ')).toBe(epcs);
  });

  it('keys each row by its own name and finds it by EPC', () => {
    for (const [key, def] of Object.entries(METER_PROPERTIES)) {
      expect(def.name).toBe(key);
      expect(meterProperty(def.epc)).toBe(def);
      expect(def.label.length).toBeGreaterThan(3);
    }
    expect(meterProperty(0xe6)).toBeUndefined();
  });

  it('reads an unset (all-FF) ED/EF time as null, as meters report it before the first Set', () => {
    const { history2Request, history3Request } = METER_PROPERTIES;
    expect(history2Request.decode(fromHex('FFFFFFFFFFFF0C'))).toEqual({ time: null, count: 12 });
    expect(history3Request.decode(fromHex('FFFFFFFFFFFF0A'))).toEqual({ time: null, count: 10 });
    expect(() => history2Request.encode({ time: null, count: 12 })).toThrow(
      expect.objectContaining({ code: 'property.range' }),
    );
  });

  it('marks only E5, ED and EF settable', () => {
    expect(METER_PROPERTY_LIST.filter((d) => d.settable).map((d) => d.epc)).toEqual([0xe5, 0xed, 0xef]);
  });

  for (const [name, values] of Object.entries(SAMPLES)) {
    it(`round-trips ${name}`, () => {
      const def = METER_PROPERTIES[name as MeterPropertyName];
      for (const value of values) expect(def.decode(def.encode(value as never))).toEqual(value);
    });
  }
});

describe('meter property layouts', () => {
  const decode = (name: MeterPropertyName, hex: string) => METER_PROPERTIES[name].decode(fromHex(hex));

  it('reads sentinels as null', () => {
    expect(decode('cumulativeEnergyNormal', 'FFFFFFFE')).toBeNull();
    expect(decode('instantaneousPower', '7FFFFFFE')).toBeNull();
    expect(decode('instantaneousPower', 'FFFFFA24')).toBe(-1500);
    expect(decode('instantaneousCurrents', '00227FFE')).toEqual({ r: 3.4, t: null });
    expect(decode('fixedTimeEnergyNormal', 'FFFFFFFFFFFFFFFFFFFFFE')).toEqual({ time: null, count: null });
  });

  it('encodes E8 in 0.1 A with T = 7FFE on single-phase two-wire', () => {
    expect(toHex(METER_PROPERTIES.instantaneousCurrents.encode({ r: 3.4, t: null }))).toBe('00227FFE');
    expect(toHex(METER_PROPERTIES.instantaneousCurrents.encode({ r: -0.3, t: 0.1 }))).toBe('FFFD0001');
  });

  it('reads the property map bitmap: bit b of byte k is EPC 0x80 + k + 0x10 × b', () => {
    // byte 0 = 0x01 → 0x80; byte 3 = 0x80 → 0x83 + 0x70 = 0xF3; byte 15 = 0x03 → 0x8F, 0x9F
    const edt = '10' + '01' + '0000' + '80' + '00'.repeat(11) + '03';
    expect(decode('getPropertyMap', edt)).toEqual([0x80, 0x8f, 0x9f, 0xf3]);
    const encoded = METER_PROPERTIES.getPropertyMap.encode(Array.from({ length: 16 }, (_, i) => 0x80 + i));
    expect(toHex(encoded)).toBe('10' + '01'.repeat(16));
  });

  it('reads the release letter from the third byte of 82 and strips NUL padding of 8D', () => {
    expect(decode('standardVersion', '00004A00')).toBe('J');
    expect(decode('productionNumber', toHex(new TextEncoder().encode('SN-42')) + '00'.repeat(7))).toBe(
      'SN-42',
    );
  });

  it('lays out EC newest first, 30 minutes apart, and EE one minute apart', () => {
    const ec = METER_PROPERTIES.history2.decode(
      fromHex('07EA0514000002' + '00000064FFFFFFFE' + '00000063FFFFFFFE'),
    );
    expect(ec.points.map((p) => `${p.time.day} ${p.time.hour}:${p.time.minute}`)).toEqual([
      '20 0:0',
      '19 23:30',
    ]);
    const ee = METER_PROPERTIES.history3.decode(
      fromHex('07EA0514000002' + '0000006400000000' + '0000006300000000'),
    );
    expect(ee.points.map((p) => `${p.time.day} ${p.time.hour}:${p.time.minute}`)).toEqual([
      '20 0:0',
      '19 23:59',
    ]);
  });

  it('reads E2: day then 48 counts', () => {
    const edt = '0001' + '0000FE73'.repeat(47) + 'FFFFFFFE';
    const v = METER_PROPERTIES.historyNormal.decode(fromHex(edt));
    expect(v.day).toBe(1);
    expect(v.counts).toHaveLength(48);
    expect(v.counts[0]).toBe(65139);
    expect(v.counts[47]).toBeNull();
  });
});

describe('meter property errors', () => {
  const errorOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (isEchonetError(e)) return e;
      throw e;
    }
    throw new Error('expected an EchonetError');
  };

  it('names the EPC and the expected size on a wrong EDT size', () => {
    const e = errorOf(() => METER_PROPERTIES.instantaneousPower.decode(fromHex('000278')));
    expect(e.code).toBe('property.size');
    expect(e.message).toBe('EPC 0xE7: EDT is 3 byte(s), expected 4');
    expect(e.context).toMatchObject({ epc: 0xe7, expected: '4', actual: 3 });
  });

  it.each([
    ['energyUnit', '05'],
    ['operationStatus', '32'],
    ['faultStatus', '40'],
    ['effectiveDigits', '09'],
    ['effectiveDigits', '00'],
    ['currentTime', '1800'],
    ['currentDate', '07EA021E'],
    ['fixedTimeEnergyNormal', '07EA0D140E00000000FE68'],
    ['standardVersion', '00000000'],
  ] as const)('rejects %s EDT %s with property.range', (name, hex) => {
    expect(errorOf(() => METER_PROPERTIES[name].decode(fromHex(hex))).code).toBe('property.range');
  });

  it.each([
    ['historyNormal', '0000'],
    ['history2', '07EA05140000'],
    ['history2', '07EA0514000001' + '00'.repeat(7)],
    ['statusChangePropertyMap', '038081'],
    ['getPropertyMap', '10' + '00'.repeat(15)],
    ['installationLocation', '0000'],
    ['identificationNumber', '00'.repeat(10)],
    ['oneMinuteEnergy', '00'.repeat(11)],
  ] as const)('rejects %s EDT %s with property.size', (name, hex) => {
    expect(errorOf(() => METER_PROPERTIES[name].decode(fromHex(hex))).code).toBe('property.size');
  });

  const P = METER_PROPERTIES;
  it.each([
    ['E0 count above 99 999 999', () => P.cumulativeEnergyNormal.encode(100_000_000)],
    ['E0 negative count', () => P.cumulativeEnergyNormal.encode(-1)],
    ['E5 day 100', () => P.historyDay.encode(100)],
    ['E7 sentinel value as a number', () => P.instantaneousPower.encode(0x7ffffffe)],
    ['E8 current beyond 3276.5 A', () => P.instantaneousCurrents.encode({ r: 3276.6, t: 0 })],
    ['E1 code/kWh mismatch', () => P.energyUnit.encode({ code: 1, kwh: 0.01 })],
    ['E1 unknown code', () => P.energyUnit.encode({ code: 5, kwh: 1 })],
    ['ED 13 points', () => P.history2Request.encode({ time: { ...T(2026, 1, 1, 0, 0) }, count: 13 })],
    ['EF 0 points', () => P.history3Request.encode({ time: T(2026, 1, 1, 0, 0), count: 0 })],
    ['EE 11 points', () => P.history3.encode({ time: T(2026, 1, 1, 0, 0), points: Array(11).fill(null) })],
    ['EC time with seconds', () => P.history2Request.encode({ time: T(2026, 1, 1, 0, 0, 5), count: 1 })],
    ['E2 47 counts', () => P.historyNormal.encode({ day: 0, counts: Array(47).fill(0) })],
    ['EA 31 April', () => P.fixedTimeEnergyNormal.encode({ time: T(2026, 4, 31, 0, 0), count: 0 })],
    ['9F EPC below 0x80', () => P.getPropertyMap.encode([0x7f])],
    ['9F duplicate EPC', () => P.getPropertyMap.encode([0x80, 0x80])],
    ['82 two letters', () => P.standardVersion.encode('FG')],
    ['8A not hex', () => P.manufacturerCode.encode('00001G')],
    ['8A wrong size', () => P.manufacturerCode.encode('0016')],
    ['8D 13 characters', () => P.productionNumber.encode('X'.repeat(13))],
    ['D7 digits 9', () => P.effectiveDigits.encode(9)],
    ['97 minute 60', () => P.currentTime.encode({ hour: 1, minute: 60 })],
  ])('refuses to encode %s with property.range', (_what, fn) => {
    expect(errorOf(fn).code).toBe('property.range');
  });
});
