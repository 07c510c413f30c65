import { describe, expect, it } from 'vitest';
import { encodeFrame } from './codec.js';
import { decodeProperty, describeFrame, toJson } from './describe.js';
import { fromHex } from './hex.js';
import { METER_PROPERTIES } from './meter-properties.js';
import { EOJ, ESV, type Frame } from './types.js';

describe('decodeProperty', () => {
  it('picks the table by the class of the EOJ', () => {
    expect(decodeProperty(0x028801, 0xd3, fromHex('00000001'))).toEqual({ name: 'coefficient', value: 1 });
    expect(decodeProperty(0x0ef001, 0xd3, fromHex('000001'))).toEqual({ name: 'instanceCount', value: 1 });
    expect(decodeProperty(0x028802, 0xe7, fromHex('FFFFFFFF'))).toEqual({
      name: 'instantaneousPower',
      value: -1,
    });
  });

  it('returns hex for EPCs and classes without a table', () => {
    expect(decodeProperty(0x028801, 0xe6, fromHex('01AB'))).toEqual({ name: 'unknown', value: '01AB' });
    expect(decodeProperty(0x013001, 0x80, fromHex('30'))).toEqual({ name: 'unknown', value: '30' });
  });

  it('gives null for PDC 0 (Get requests and Get_SNA)', () => {
    expect(decodeProperty(0x028801, 0x83, new Uint8Array(0))).toEqual({
      name: 'identificationNumber',
      value: null,
    });
    expect(decodeProperty(0x028801, 0xf0, new Uint8Array(0))).toEqual({ name: 'unknown', value: null });
  });

  it('throws the table error for a malformed EDT', () => {
    expect(() => decodeProperty(0x028801, 0xe7, fromHex('00'))).toThrow(
      expect.objectContaining({ code: 'property.size' }),
    );
  });
});

describe('describeFrame', () => {
  it('describes a multi-property Get_Res as plain JSON', () => {
    const P = METER_PROPERTIES;
    const frame: Frame = {
      tid: 7,
      seoj: EOJ.smartMeter,
      deoj: EOJ.controller,
      esv: ESV.Get_Res,
      properties: [
        { epc: 0xe7, edt: P.instantaneousPower.encode(-250) },
        { epc: 0xe8, edt: P.instantaneousCurrents.encode({ r: 3, t: null }) },
        { epc: 0x97, edt: P.currentTime.encode({ hour: 9, minute: 5 }) },
        { epc: 0x98, edt: P.currentDate.encode({ year: 2026, month: 5, day: 20 }) },
        { epc: 0xe1, edt: Uint8Array.of(0x09) },
      ],
    };
    const described = describeFrame(frame);
    expect(described).toEqual({
      tid: 7,
      seoj: '028801',
      deoj: '05FF01',
      esv: 'Get_Res',
      properties: [
        { epc: 'E7', name: 'instantaneousPower', edt: 'FFFFFF06', value: -250 },
        { epc: 'E8', name: 'instantaneousCurrents', edt: '001E7FFE', value: { r: 3, t: null } },
        { epc: '97', name: 'currentTime', edt: '0905', value: '09:05' },
        { epc: '98', name: 'currentDate', edt: '07EA0514', value: '2026-05-20' },
        {
          epc: 'E1',
          name: 'energyUnit',
          edt: '09',
          error: { code: 'property.range', message: 'EPC 0xE1: unknown unit code 0x09' },
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(described))).toEqual(described);
  });

  it('decodes a request against DEOJ and keeps both lists of a SetGet', () => {
    const frame: Frame = {
      tid: 2,
      seoj: EOJ.controller,
      deoj: EOJ.smartMeter,
      esv: ESV.SetGet,
      properties: [{ epc: 0xe5, edt: Uint8Array.of(1) }],
      getProperties: [{ epc: 0xe2, edt: new Uint8Array(0) }],
    };
    expect(describeFrame(frame)).toEqual({
      tid: 2,
      seoj: '05FF01',
      deoj: '028801',
      esv: 'SetGet',
      properties: [{ epc: 'E5', name: 'historyDay', edt: '01', value: 1 }],
      getProperties: [{ epc: 'E2', name: 'historyNormal', edt: '', value: null }],
    });
    expect(encodeFrame(frame)).toBeInstanceOf(Uint8Array);
  });

  it('turns nested date-times of EC into +09:00 ISO strings', () => {
    const t = { year: 2026, month: 5, day: 20, hour: 0, minute: 30, second: 0 };
    const edt = METER_PROPERTIES.history2.encode({
      time: t,
      points: [{ time: t, normal: 1, reverse: null }],
    });
    const d = describeFrame({
      tid: 1,
      seoj: EOJ.smartMeter,
      deoj: EOJ.controller,
      esv: ESV.Get_Res,
      properties: [{ epc: 0xec, edt }],
    });
    expect(d.properties[0]!.value).toEqual({
      time: '2026-05-20T00:30:00+09:00',
      points: [{ time: '2026-05-20T00:30:00+09:00', normal: 1, reverse: null }],
    });
  });

  it('never leaves a Uint8Array in the output', () => {
    expect(toJson({ a: [Uint8Array.of(1, 0xab)] })).toEqual({ a: ['01AB'] });
  });
});
