import { describe, expect, it } from 'vitest';
import { isSensorError } from './errors.js';
import {
  abcCommand,
  decodeCo2Answer,
  findMhz19Answer,
  rangeCommand,
  readCo2Command,
  zeroCalibrationCommand,
} from './mhz19-frame.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('MH-Z19 frames', () => {
  it('builds the command frames printed in the manual and on revspace', () => {
    expect(readCo2Command()).toEqual(bytes(0xff, 0x01, 0x86, 0, 0, 0, 0, 0, 0x79));
    expect(abcCommand(true)).toEqual(bytes(0xff, 0x01, 0x79, 0xa0, 0, 0, 0, 0, 0xe6));
    expect(abcCommand(false)).toEqual(bytes(0xff, 0x01, 0x79, 0x00, 0, 0, 0, 0, 0x86));
    expect(zeroCalibrationCommand()).toEqual(bytes(0xff, 0x01, 0x87, 0, 0, 0, 0, 0, 0x78));
    expect(rangeCommand(2000)).toEqual(bytes(0xff, 0x01, 0x99, 0, 0, 0, 0x07, 0xd0, 0x8f));
    expect(rangeCommand(5000)).toEqual(bytes(0xff, 0x01, 0x99, 0, 0, 0, 0x13, 0x88, 0xcb));
  });

  it('decodes the manual example answer FF 86 02 20 00 00 00 00 58 as 544 ppm', () => {
    expect(decodeCo2Answer(bytes(0xff, 0x86, 0x02, 0x20, 0x00, 0, 0, 0, 0x58)).ppm).toBe(544);
  });

  it('decodes the temperature byte as °C + 40', () => {
    // FF 86 02 60 47 00 00 00: 608 ppm, 0x47 - 40 = 31 °C; checksum 0x100 - (0x86+0x02+0x60+0x47 = 0x12F & 0xFF) = 0xD1.
    expect(decodeCo2Answer(bytes(0xff, 0x86, 0x02, 0x60, 0x47, 0, 0, 0, 0xd1))).toEqual({
      ppm: 608,
      temperatureC: 31,
    });
  });

  it('rejects a bad checksum with sensor.checksum and the frame in context', () => {
    try {
      decodeCo2Answer(bytes(0xff, 0x86, 0x02, 0x20, 0x00, 0, 0, 0, 0x59));
      expect.unreachable();
    } catch (e) {
      expect(isSensorError(e, 'sensor.checksum')).toBe(true);
      if (isSensorError(e))
        expect(e.context).toMatchObject({ frame: 'FF 86 02 20 00 00 00 00 59', expected: 0x58 });
    }
  });

  it('finds an answer behind noise and waits for a complete frame', () => {
    const answer = [0xff, 0x86, 0x02, 0x20, 0, 0, 0, 0, 0x58];
    expect(findMhz19Answer(bytes(0x00, 0xff, 0x01, ...answer), 0x86)?.frame).toEqual(Uint8Array.from(answer));
    expect(findMhz19Answer(bytes(0x00, ...answer.slice(0, 5)), 0x86)).toBeNull();
    expect(findMhz19Answer(bytes(0xff), 0x86)).toBeNull();
  });
});
