import { describe, expect, it } from 'vitest';
import {
  abcCommand,
  co2AnswerFields,
  encodeCo2Answer,
  findMhz19Answer,
  MHZ19_CMD_RANGE,
  mhz19Checksum,
  rangeCommand,
  rangeOfCommand,
  readCo2Command,
  zeroCalibrationCommand,
} from './mhz19-frame.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('MH-Z19 frames', () => {
  it('computes the checksum of the manual example answer FF 86 02 20 00 00 00 00 58', () => {
    expect(mhz19Checksum(Uint8Array.of(0xff, 0x86, 0x02, 0x20, 0, 0, 0, 0, 0))).toBe(0x58);
    expect(mhz19Checksum(Uint8Array.of(0xff, 0x01, 0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x79))).toBe(0x79);
  });

  it('builds the command frames printed in the manual and on revspace', () => {
    expect(readCo2Command()).toEqual(bytes(0xff, 0x01, 0x86, 0, 0, 0, 0, 0, 0x79));
    expect(abcCommand(true)).toEqual(bytes(0xff, 0x01, 0x79, 0xa0, 0, 0, 0, 0, 0xe6));
    expect(abcCommand(false)).toEqual(bytes(0xff, 0x01, 0x79, 0x00, 0, 0, 0, 0, 0x86));
    expect(zeroCalibrationCommand()).toEqual(bytes(0xff, 0x01, 0x87, 0, 0, 0, 0, 0, 0x78));
    expect(rangeCommand(2000)).toEqual(bytes(0xff, 0x01, 0x99, 0, 0, 0, 0x07, 0xd0, 0x8f));
    expect(rangeCommand(5000)).toEqual(bytes(0xff, 0x01, 0x99, 0, 0, 0, 0x13, 0x88, 0xcb));
  });

  it('reads the range where units honour it, b6/b7', () => {
    expect(rangeOfCommand(rangeCommand(2000))).toBe(2000);
    expect(rangeOfCommand(bytes(0xff, 0x01, MHZ19_CMD_RANGE, 0, 0, 0, 0x13, 0x88, 0xcb))).toBe(5000);
  });

  it('encodes a 0x86 answer as the manual prints it and reads its fields back', () => {
    expect(encodeCo2Answer({ ppm: 544, temperatureC: -40 })).toEqual(
      bytes(0xff, 0x86, 0x02, 0x20, 0, 0, 0, 0, 0x58),
    );
    const answer = encodeCo2Answer({ ppm: 608, temperatureC: 31 });
    expect(answer).toEqual(bytes(0xff, 0x86, 0x02, 0x60, 0x47, 0, 0, 0, 0xd1));
    expect(co2AnswerFields(answer)).toEqual({ ppm: 608, temperatureC: 31 });
    // The temperature byte saturates instead of wrapping.
    expect(encodeCo2Answer({ ppm: 400, temperatureC: -60 })[4]).toBe(0);
    expect(encodeCo2Answer({ ppm: 400, temperatureC: 300 })[4]).toBe(255);
  });

  it('finds an answer behind noise and waits for a complete frame', () => {
    const answer = [0xff, 0x86, 0x02, 0x20, 0, 0, 0, 0, 0x58];
    expect(findMhz19Answer(bytes(0x00, 0xff, 0x01, ...answer), 0x86)?.frame).toEqual(Uint8Array.from(answer));
    expect(findMhz19Answer(bytes(0x00, ...answer.slice(0, 5)), 0x86)).toBeNull();
    expect(findMhz19Answer(bytes(0xff), 0x86)).toBeNull();
  });
});
