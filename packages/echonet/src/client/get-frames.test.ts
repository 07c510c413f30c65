import { describe, expect, it } from 'vitest';
import { EOJ, ESV, type Frame } from '../frame/types.js';
import { packGetFrame, readGetAnswer } from './get-frames.js';

const answer = (esv: number, props: [number, number[]][]): Frame => ({
  tid: 1,
  seoj: EOJ.smartMeter,
  deoj: EOJ.controller,
  esv,
  properties: props.map(([epc, b]) => ({ epc, edt: Uint8Array.from(b) })),
});

describe('packGetFrame', () => {
  it('keeps order, drops duplicates and caps the count', () => {
    expect(packGetFrame([0xe7, 0xe8, 0xe7, 0xe0], { maxProperties: 12, maxResponseBytes: 600 })).toEqual([
      0xe7, 0xe8, 0xe0,
    ]);
    expect(packGetFrame([1, 2, 3, 4], { maxProperties: 2, maxResponseBytes: 600 })).toEqual([1, 2]);
  });

  it('skips what would overflow the answer but keeps packing smaller properties', () => {
    expect(packGetFrame([0xe2, 0xe4, 0xe7], { maxProperties: 12, maxResponseBytes: 300 })).toEqual([
      0xe2, 0xe7,
    ]);
    // The first property always goes, whatever its size.
    expect(packGetFrame([0xe2], { maxProperties: 12, maxResponseBytes: 10 })).toEqual([0xe2]);
  });
});

describe('readGetAnswer', () => {
  it('takes every value of a Get_Res', () => {
    const a = readGetAnswer(
      [0xe7, 0xe8],
      answer(ESV.Get_Res, [
        [0xe7, [0, 0, 2, 0x78]],
        [0xe8, [0, 0x1e, 0, 0x32]],
      ]),
    );
    expect(a.kind === 'values' && [...a.values.keys()]).toEqual([0xe7, 0xe8]);
  });

  it('splits a Get_SNA without any value (a picky meter) into halves', () => {
    const a = readGetAnswer(
      [1, 2, 3],
      answer(ESV.Get_SNA, [
        [1, []],
        [2, []],
        [3, []],
      ]),
    );
    expect(a).toEqual({ kind: 'split', halves: [[1, 2], [3]] });
  });

  it('takes the values of a partial Get_SNA and marks PDC 0 unsupported (real capture: 83 on a meter without it)', () => {
    const a = readGetAnswer(
      [0xe7, 0x83],
      answer(ESV.Get_SNA, [
        [0xe7, [0, 0, 0, 1]],
        [0x83, []],
      ]),
    );
    expect(a).toMatchObject({ kind: 'values', unsupported: [0x83], missing: [] });
    const single = readGetAnswer([0x83], answer(ESV.Get_SNA, [[0x83, []]]));
    expect(single).toMatchObject({ kind: 'values', unsupported: [0x83] });
  });

  it('reports properties left out of the answer as missing, or unsupported when asked alone', () => {
    expect(readGetAnswer([0xe7, 0xe8], answer(ESV.Get_Res, [[0xe7, [0, 0, 0, 1]]]))).toMatchObject({
      missing: [0xe8],
    });
    expect(readGetAnswer([0xe8], answer(ESV.Get_SNA, []))).toMatchObject({ unsupported: [0xe8] });
  });
});
