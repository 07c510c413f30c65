import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, esvName } from './codec.js';
import { decodeProperty, describeFrame } from './describe.js';
import { fromHex } from './hex.js';
import { EOJ } from './types.js';

/**
 * Golden check against captures from real meters (single-hop dongles, 8 fields after ERXUDP).
 * The simulator shares this codec, so only captures can catch a misreading of the spec.
 */
const FIXTURE = new URL('../../../../fixtures/real-traffic.txt', import.meta.url);

interface Capture {
  readonly comment: string;
  readonly payload: string;
}

function captures(): Capture[] {
  const out: Capture[] = [];
  let comment = '';
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    if (line.startsWith('#')) comment = line;
    else if (line.startsWith('ERXUDP ')) out.push({ comment, payload: line.trim().split(' ').at(-1)! });
  }
  return out;
}

/** What each capture's comment says, in file order. */
const EXPECTED: { match: RegExp; esv: string; epc: number; name: string; value: unknown }[] = [
  { match: /D3 coefficient = 1/, esv: 'Get_Res', epc: 0xd3, name: 'coefficient', value: 1 },
  { match: /D7 effective digits = 6/, esv: 'Get_Res', epc: 0xd7, name: 'effectiveDigits', value: 6 },
  {
    match: /E0 .*raw count = 65139/,
    esv: 'Get_Res',
    epc: 0xe0,
    name: 'cumulativeEnergyNormal',
    value: 65139,
  },
  {
    match: /E7 instantaneous power = 632 W/,
    esv: 'Get_Res',
    epc: 0xe7,
    name: 'instantaneousPower',
    value: 632,
  },
  {
    match: /E8 instantaneous current R = 3.0 A, T = 5.0 A/,
    esv: 'Get_Res',
    epc: 0xe8,
    name: 'instantaneousCurrents',
    value: { r: 3, t: 5 },
  },
  {
    match: /EA .*2026-05-20 14:00:00 .*raw count 65128/,
    esv: 'Get_Res',
    epc: 0xea,
    name: 'fixedTimeEnergyNormal',
    value: { time: { year: 2026, month: 5, day: 20, hour: 14, minute: 0, second: 0 }, count: 65128 },
  },
  { match: /80 operation status = on/, esv: 'Get_Res', epc: 0x80, name: 'operationStatus', value: 'on' },
  {
    match: /82 standard version = Release F/,
    esv: 'Get_Res',
    epc: 0x82,
    name: 'standardVersion',
    value: 'F',
  },
  { match: /Get_SNA 83 .*PDC 0/, esv: 'Get_SNA', epc: 0x83, name: 'identificationNumber', value: null },
  {
    match: /8A manufacturer code = 000016/,
    esv: 'Get_Res',
    epc: 0x8a,
    name: 'manufacturerCode',
    value: '000016',
  },
  {
    match: /97 current time = 14:26/,
    esv: 'Get_Res',
    epc: 0x97,
    name: 'currentTime',
    value: { hour: 14, minute: 26 },
  },
  {
    match: /98 current date = 2026-05-20/,
    esv: 'Get_Res',
    epc: 0x98,
    name: 'currentDate',
    value: { year: 2026, month: 5, day: 20 },
  },
  {
    match: /9D .*= 80, 81, 88/,
    esv: 'Get_Res',
    epc: 0x9d,
    name: 'statusChangePropertyMap',
    value: [0x80, 0x81, 0x88],
  },
  { match: /E7 = 686 W/, esv: 'Get_Res', epc: 0xe7, name: 'instantaneousPower', value: 686 },
];

describe('real traffic captures', () => {
  const all = captures();

  it('holds one expectation per ERXUDP line, matching its comment', () => {
    expect(all).toHaveLength(EXPECTED.length);
    all.forEach((c, i) => {
      expect(c.comment).toMatch(EXPECTED[i]!.match);
    });
  });

  all.forEach((capture, i) => {
    const want = EXPECTED[i]!;
    it(`decodes ${capture.comment.slice(2)}`, () => {
      const bytes = fromHex(capture.payload);
      const frame = decodeFrame(bytes);
      expect(frame.tid).toBe(1);
      expect(frame.seoj).toBe(EOJ.smartMeter);
      expect(frame.deoj).toBe(EOJ.controller);
      expect(esvName(frame.esv)).toBe(want.esv);
      expect(frame.properties).toHaveLength(1);
      const p = frame.properties[0]!;
      expect(p.epc).toBe(want.epc);
      expect(decodeProperty(frame.seoj, p.epc, p.edt)).toEqual({ name: want.name, value: want.value });
      expect(encodeFrame(frame)).toEqual(bytes);
    });
  });

  it('describes the EA capture with a +09:00 timestamp', () => {
    const ea = all.find((c) => c.comment.includes(' EA '))!;
    expect(describeFrame(decodeFrame(fromHex(ea.payload)))).toEqual({
      tid: 1,
      seoj: '028801',
      deoj: '05FF01',
      esv: 'Get_Res',
      properties: [
        {
          epc: 'EA',
          name: 'fixedTimeEnergyNormal',
          edt: '07EA05140E00000000FE68',
          value: { time: '2026-05-20T14:00:00+09:00', count: 65128 },
        },
      ],
    });
  });
});
