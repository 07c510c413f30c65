import { describe, expect, it } from 'vitest';
import { decodeFrame } from './codec.js';
import { decodeProperty } from './describe.js';
import { fromHex, toHex } from './hex.js';
import {
  decodeInstanceList,
  eojHex,
  NODE_PROFILE_PROPERTIES,
  NODE_PROFILE_PROPERTY_LIST,
  type NodeProfilePropertyName,
  nodeProfileProperty,
} from './node-profile.js';
import { EOJ } from './types.js';

const SAMPLES: { [N in NodeProfilePropertyName]: unknown[] } = {
  operationStatus: ['on', 'off'],
  version: [{ major: 1, minor: 12, messageFormats: 0x0100 }],
  identificationNumber: ['FE000016' + '01'.repeat(13)],
  faultStatus: [false],
  manufacturerCode: ['000016'],
  statusChangePropertyMap: [[0x80, 0xd5]],
  setPropertyMap: [[]],
  getPropertyMap: [[0x80, 0x82, 0x83, 0x8a, 0x9d, 0x9e, 0x9f, 0xd3, 0xd4, 0xd6, 0xd7]],
  instanceCount: [1, 0xffffff],
  classCount: [2, 0xffff],
  instanceListNotification: [[EOJ.smartMeter], []],
  instanceList: [[EOJ.smartMeter, 0x028802, 0x027901]],
  classList: [[0x0288], [0x0288, 0x0279]],
};

describe('node profile 0x0EF0', () => {
  for (const [name, values] of Object.entries(SAMPLES)) {
    it(`round-trips ${name}`, () => {
      const def = NODE_PROFILE_PROPERTIES[name as NodeProfilePropertyName];
      for (const v of values) expect(def.decode(def.encode(v as never))).toEqual(v);
    });
  }

  it('has one row per EPC, findable by EPC', () => {
    for (const def of NODE_PROFILE_PROPERTY_LIST) expect(nodeProfileProperty(def.epc)).toBe(def);
    expect(new Set(NODE_PROFILE_PROPERTY_LIST.map((d) => d.epc)).size).toBe(
      NODE_PROFILE_PROPERTY_LIST.length,
    );
  });

  it('decodes the INF the meter sends after join: D5 with one smart meter instance', () => {
    // 10 81 | 0000 | 0EF001 | 0EF001 | 73 INF | 01 | D5 04 01 028801
    const frame = decodeFrame(fromHex('108100000EF0010EF0017301D50401028801'));
    const p = frame.properties[0]!;
    expect(decodeProperty(frame.seoj, p.epc, p.edt)).toEqual({
      name: 'instanceListNotification',
      value: [EOJ.smartMeter],
    });
    expect(decodeInstanceList(p.edt)).toEqual([0x028801]);
  });

  it('encodes D6 as count then 3-byte EOJs and rejects a count that disagrees with the size', () => {
    expect(toHex(NODE_PROFILE_PROPERTIES.instanceList.encode([0x028801, 0x05ff01]))).toBe('0202880105FF01');
    expect(() => decodeInstanceList(fromHex('02028801'))).toThrow(
      expect.objectContaining({ code: 'property.size' }),
    );
    expect(() => NODE_PROFILE_PROPERTIES.instanceList.encode(Array(85).fill(0x028801))).toThrow(
      expect.objectContaining({ code: 'property.range' }),
    );
  });

  it('reads 82 as the ECHONET Lite version, not an Appendix release', () => {
    expect(NODE_PROFILE_PROPERTIES.version.decode(fromHex('010C0100'))).toEqual({
      major: 1,
      minor: 12,
      messageFormats: 0x0100,
    });
  });

  it('prints EOJs as 6 hex digits', () => {
    expect(eojHex(EOJ.nodeProfile)).toBe('0EF001');
    expect(eojHex(0x05ff01)).toBe('05FF01');
  });
});
