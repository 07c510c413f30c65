import { readFileSync } from 'node:fs';
import { seededRandom } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { EchonetError } from '../errors.js';
import { decodeFrame, encodeFrame } from './codec.js';
import { decodeProperty, describeFrame, propertyDef } from './describe.js';
import { fromHex } from './hex.js';
import { METER_PROPERTY_LIST } from './meter-properties.js';
import { NODE_PROFILE_PROPERTY_LIST } from './node-profile.js';
import { EOJ, ESV, type Frame } from './types.js';

const rand = seededRandom(0x0288);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const ESVS = Object.values(ESV);
const SETGET = new Set<number>([ESV.SetGet, ESV.SetGet_Res, ESV.SetGet_SNA]);

function randomFrame(): Frame {
  const esv = pick(ESVS);
  const list = () =>
    Array.from({ length: int(5) }, () => ({ epc: int(256), edt: bytes(pick([0, 0, 1, 2, 4, 11, int(40)])) }));
  return {
    tid: int(0x10000),
    seoj: pick([EOJ.smartMeter, EOJ.controller, EOJ.nodeProfile, int(0x1000000)]),
    deoj: pick([EOJ.smartMeter, EOJ.controller, EOJ.nodeProfile, int(0x1000000)]),
    esv,
    properties: list(),
    ...(SETGET.has(esv) ? { getProperties: list() } : {}),
  };
}

function mutate(input: Uint8Array): Uint8Array {
  const b = [...input];
  for (let i = 0, n = 1 + int(3); i < n; i++) {
    switch (int(5)) {
      case 0:
        if (b.length) b[int(b.length)] = int(256);
        break;
      case 1:
        b.length = int(b.length + 1);
        break;
      case 2:
        b.push(...bytes(1 + int(4)));
        break;
      case 3:
        b.splice(int(b.length + 1), 0, int(256));
        break;
      default:
        if (b.length) b.splice(int(b.length), 1);
    }
  }
  return Uint8Array.from(b);
}

/** decodeFrame must return a frame that re-encodes to the same bytes, or throw an EchonetError. */
function checkFrame(input: Uint8Array): 'ok' | string {
  let frame: Frame;
  try {
    frame = decodeFrame(input);
  } catch (e) {
    if (!(e instanceof EchonetError)) throw e;
    return e.code;
  }
  expect(encodeFrame(frame)).toEqual(input);
  JSON.stringify(describeFrame(frame));
  return 'ok';
}

const captures = readFileSync(new URL('../../../../fixtures/real-traffic.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('ERXUDP '))
  .map((l) => fromHex(l.trim().split(' ').at(-1)!));

describe('frame codec fuzz', () => {
  it('round-trips 2 000 random valid frames', () => {
    for (let i = 0; i < 2000; i++) {
      const frame = randomFrame();
      expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
    }
  });

  it('never throws anything but EchonetError on 5 000 random and mutated inputs', () => {
    const outcomes = new Map<string, number>();
    const seeds = [...captures, ...Array.from({ length: 20 }, () => encodeFrame(randomFrame()))];
    for (let i = 0; i < 5000; i++) {
      const input =
        i % 4 === 0
          ? Uint8Array.from([...(rand() < 0.7 ? [0x10, 0x81] : []), ...bytes(int(40))])
          : mutate(pick(seeds));
      const outcome = checkFrame(input);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The corpus reaches every outcome, so the loop above exercised each error path.
    expect([...outcomes.keys()].sort()).toEqual([
      'frame.ehd',
      'frame.invalid',
      'frame.pdc-overrun',
      'frame.trailing-bytes',
      'frame.truncated',
      'ok',
    ]);
  });
});

describe('property codec fuzz', () => {
  const defs = [
    ...METER_PROPERTY_LIST.map((d) => ({ eoj: EOJ.smartMeter, def: d })),
    ...NODE_PROFILE_PROPERTY_LIST.map((d) => ({ eoj: EOJ.nodeProfile, def: d })),
  ];
  const SIZES = [0, 1, 2, 3, 4, 6, 7, 9, 11, 12, 15, 17, 23, 103, 194];

  it('decodes 20 000 random EDTs to a value or an EchonetError, and values re-encode', () => {
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      const { eoj, def } = rand() < 0.9 ? pick(defs) : { eoj: EOJ.smartMeter, def: undefined };
      const epc = def?.epc ?? int(256);
      const edt = bytes(pick(SIZES));
      // Bias towards plausible content so the paths past the size check are reached too.
      if (edt.length >= 7 && rand() < 0.5)
        edt.set([0x07, 0xea, 1 + int(12), 1 + int(28), int(24), int(60)], 0);
      if ((epc === 0xec || epc === 0xee) && edt.length >= 7) edt[6] = Math.floor((edt.length - 7) / 8);
      let value: unknown;
      try {
        value = decodeProperty(eoj, epc, edt).value;
      } catch (e) {
        expect(e).toBeInstanceOf(EchonetError);
        expect((e as EchonetError).code).toMatch(/^property\.(size|range)$/);
        continue;
      }
      decoded++;
      const row = propertyDef(eoj, epc);
      if (row === undefined || edt.length === 0) continue;
      try {
        expect(row.decode(row.encode(value))).toEqual(value);
      } catch (e) {
        // Lenient decoding keeps values the strict encoder refuses (e.g. a count above 99 999 999).
        expect(e).toBeInstanceOf(EchonetError);
        expect((e as EchonetError).code).toBe('property.range');
      }
    }
    expect(decoded).toBeGreaterThan(2000);
  });
});
