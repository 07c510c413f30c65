import { describe, expect, it } from 'vitest';
import { isSensorError } from './errors.js';
import { decodeCo2Answer } from './mhz19-frame.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('MH-Z19 frames', () => {
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
});
