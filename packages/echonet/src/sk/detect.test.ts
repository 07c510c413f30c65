import { describe, expect, it } from 'vitest';
import { asciiBytes } from './bytes.js';
import { familyFromEvent, familyFromVersion } from './detect.js';
import { SkLineParser } from './parser.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';

function family(line: string) {
  const parser = new SkLineParser();
  const events = [...parser.push(asciiBytes(line)), ...parser.flush()];
  expect(events).toHaveLength(1);
  return familyFromEvent(events[0]!);
}

describe('familyFromEvent', () => {
  it.each([
    [`EINFO ${A} 001D129012345678 21 8888 FFFE\r\n`, 'single-hop'],
    [`EINFO ${A} 001D129012345678 21 8888 1234 0\r\n`, 'dual-stack'],
    [
      'EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n  Addr:001D129012345678\r\n  LQI:E1\r\n  PairID:01234567\r\n',
      'single-hop',
    ],
    [
      'EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n  Addr:001D129012345678\r\n  LQI:E1\r\n  Side:0\r\n  PairID:01234567\r\n',
      'dual-stack',
    ],
    [`ERXUDP ${A} ${A} 0E1A 0E1A 001D129012345678 1 0001 AB\r\n`, 'single-hop'],
    [`ERXUDP ${A} ${A} 0E1A 0E1A 001D129012345678 1 0 0001 AB\r\n`, 'dual-stack'],
    [`ERXUDP ${A} ${A} 0E1A 0E1A 001D129012345678 B2 1 0 0001 AB\r\n`, 'dual-stack'],
    [`EVENT 21 ${A} 00\r\n`, 'single-hop'],
    [`EVENT 21 ${A} 0 00\r\n`, 'dual-stack'],
    [`EVENT 25 ${A}\r\n`, 'single-hop'],
    [`EVENT 25 ${A} 0\r\n`, 'dual-stack'],
    ['EVENT C0\r\n', undefined],
    ['EVER 1.2.10\r\n', undefined],
    ['OK\r\n', undefined],
  ])('%j → %s', (line, expected) => {
    expect(family(line)).toBe(expected);
  });
});

describe('familyFromVersion', () => {
  it('does not guess from a version number', () => {
    expect(familyFromVersion('1.2.10')).toBeUndefined();
    expect(familyFromVersion('1.0.0')).toBeUndefined();
  });
});
