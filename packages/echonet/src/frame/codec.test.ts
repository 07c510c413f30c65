import { describe, expect, it } from 'vitest';
import { type EchonetErrorCode, isEchonetError } from '../errors.js';
import { decodeFrame, encodeFrame, esvName, isResponseEsv, isSetGetEsv, isSnaEsv } from './codec.js';
import { fromHex, toHex } from './hex.js';
import { ESV, type EsvName, type Frame } from './types.js';

function codeOf(fn: () => unknown): { code: EchonetErrorCode; message: string; context: unknown } {
  try {
    fn();
  } catch (e) {
    if (isEchonetError(e)) return { code: e.code, message: e.message, context: e.context };
    throw e;
  }
  throw new Error('expected an EchonetError');
}

const E7_GET_RES = '1081000102880105FF017201E70400000278';

describe('decodeFrame / encodeFrame', () => {
  it('decodes the header fields and properties of a Get_Res', () => {
    const frame = decodeFrame(fromHex(E7_GET_RES));
    expect(frame).toEqual({
      tid: 1,
      seoj: 0x028801,
      deoj: 0x05ff01,
      esv: 0x72,
      properties: [{ epc: 0xe7, edt: Uint8Array.of(0, 0, 2, 0x78) }],
    });
    expect('getProperties' in frame).toBe(false);
  });

  it('copies EDTs so that reusing the input buffer does not change a decoded frame', () => {
    const bytes = fromHex(E7_GET_RES);
    const frame = decodeFrame(bytes);
    bytes.fill(0);
    expect(toHex(frame.properties[0]!.edt)).toBe('00000278');
  });

  it('encodes a multi-property Get with PDC 0 each', () => {
    const frame: Frame = {
      tid: 0xabcd,
      seoj: 0x05ff01,
      deoj: 0x028801,
      esv: ESV.Get,
      properties: [0xe7, 0xe8, 0xe0].map((epc) => ({ epc, edt: new Uint8Array(0) })),
    };
    expect(toHex(encodeFrame(frame))).toBe('1081ABCD05FF0102880162' + '03E700E800E000');
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  for (const [name, esv] of Object.entries(ESV) as [EsvName, number][]) {
    it(`round-trips ESV ${name} (0x${esv.toString(16)})`, () => {
      const setGet = isSetGetEsv(esv);
      const frame: Frame = {
        tid: esv * 3,
        seoj: 0x05ff01,
        deoj: 0x028801,
        esv,
        properties: [
          { epc: 0xe5, edt: Uint8Array.of(1) },
          { epc: 0xed, edt: new Uint8Array(0) },
        ],
        ...(setGet ? { getProperties: [{ epc: 0xe2, edt: new Uint8Array(0) }] } : {}),
      };
      const bytes = encodeFrame(frame);
      expect(bytes[10]).toBe(esv);
      expect(decodeFrame(bytes)).toEqual(frame);
      expect(esvName(esv)).toBe(name);
    });
  }

  it('reads SetGet as OPCSet properties then OPCGet properties', () => {
    // 10 81 | 0002 | 05FF01 | 028801 | 6E | OPCSet 1: E5 01 00 | OPCGet 2: E2 00, E4 00
    const frame = decodeFrame(fromHex('1081000205FF010288016E' + '01E50100' + '02E200E400'));
    expect(frame.properties).toEqual([{ epc: 0xe5, edt: Uint8Array.of(0) }]);
    expect(frame.getProperties).toEqual([
      { epc: 0xe2, edt: new Uint8Array(0) },
      { epc: 0xe4, edt: new Uint8Array(0) },
    ]);
  });

  it('encodes a SetGet without getProperties as OPCGet 0', () => {
    const bytes = encodeFrame({ tid: 1, seoj: 0x05ff01, deoj: 0x028801, esv: ESV.SetGet, properties: [] });
    expect(toHex(bytes)).toBe('1081000105FF010288016E0000');
  });

  it('classifies ESVs', () => {
    expect(esvName(0x99)).toBeUndefined();
    expect([0x71, 0x72, 0x73, 0x74, 0x7a, 0x7e].every(isResponseEsv)).toBe(true);
    expect([0x50, 0x51, 0x52, 0x53, 0x5e].every(isSnaEsv)).toBe(true);
    expect([0x60, 0x61, 0x62, 0x63, 0x6e, 0x52].some(isResponseEsv)).toBe(false);
    expect([0x60, 0x72, 0x7f, 0x5f].some(isSnaEsv)).toBe(false);
    expect(isResponseEsv(0x7f)).toBe(false);
  });
});

describe('decodeFrame errors', () => {
  const cases: [string, string, EchonetErrorCode, number][] = [
    ['empty input', '', 'frame.truncated', 0],
    ['EHD2 missing', '10', 'frame.truncated', 1],
    ['header cut inside SEOJ', '1081000102', 'frame.truncated', 4],
    ['OPC missing', '1081000102880105FF0172', 'frame.truncated', 11],
    ['PDC missing', '1081000102880105FF017201E7', 'frame.truncated', 13],
    ['second property missing', '1081000102880105FF017202E700', 'frame.truncated', 14],
    ['OPCGet missing in SetGet_Res', '1081000102880105FF017E01E500', 'frame.truncated', 14],
    ['PDC past the end', '1081000102880105FF017201E704000002', 'frame.pdc-overrun', 13],
    ['bytes after the last property', E7_GET_RES + '00', 'frame.trailing-bytes', 18],
    ['unknown ESV 0x99', '1081000102880105FF019901E700', 'frame.invalid', 10],
    ['EHD1 not 0x10', '2081000102880105FF017201E700', 'frame.ehd', 0],
    ['EHD2 not 0x81', '1083000102880105FF017201E700', 'frame.ehd', 0],
  ];
  for (const [what, hex, code, offset] of cases) {
    it(`${what} → ${code} at offset ${offset}`, () => {
      const err = codeOf(() => decodeFrame(fromHex(hex)));
      expect(err.code).toBe(code);
      expect(err.context).toMatchObject({ offset });
      expect(err.message).toContain(`offset ${offset}`);
    });
  }

  it('names the arbitrary message format (EHD 0x1082) as the reason', () => {
    const err = codeOf(() => decodeFrame(fromHex('10820001AABBCC')));
    expect(err.code).toBe('frame.ehd');
    expect(err.message).toMatch(/arbitrary message format/);
  });

  it('says which field and how many bytes are missing', () => {
    const err = codeOf(() => decodeFrame(fromHex('1081000102880105FF017201E7')));
    expect(err.message).toBe('truncated at offset 13: PDC of property 1/1 needs 1 byte(s), 0 left');
  });
});

describe('encodeFrame validation', () => {
  const base: Frame = { tid: 1, seoj: 0x05ff01, deoj: 0x028801, esv: ESV.Get, properties: [] };
  const cases: [string, Frame][] = [
    ['TID above 0xFFFF', { ...base, tid: 0x10000 }],
    ['negative TID', { ...base, tid: -1 }],
    ['fractional TID', { ...base, tid: 1.5 }],
    ['SEOJ wider than 24 bits', { ...base, seoj: 0x1000000 }],
    ['DEOJ negative', { ...base, deoj: -1 }],
    ['unknown ESV', { ...base, esv: 0x99 }],
    ['EPC above 0xFF', { ...base, properties: [{ epc: 0x100, edt: new Uint8Array(0) }] }],
    ['EDT of 256 bytes', { ...base, properties: [{ epc: 0xe7, edt: new Uint8Array(256) }] }],
    [
      '256 properties',
      { ...base, properties: Array.from({ length: 256 }, () => ({ epc: 0xe7, edt: new Uint8Array(0) })) },
    ],
    ['getProperties on a Get', { ...base, getProperties: [] }],
  ];
  for (const [what, frame] of cases) {
    it(`rejects ${what} with frame.invalid`, () => {
      expect(codeOf(() => encodeFrame(frame)).code).toBe('frame.invalid');
    });
  }

  it('accepts the limits: TID 0xFFFF, 255 properties, 255-byte EDT', () => {
    const frame: Frame = {
      ...base,
      tid: 0xffff,
      esv: ESV.Get_Res,
      properties: [
        { epc: 0xe7, edt: new Uint8Array(255).fill(7) },
        ...Array.from({ length: 254 }, () => ({ epc: 0x80, edt: new Uint8Array(0) })),
      ],
    };
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });
});
