import { SensorError } from './errors.js';

/**
 * MH-Z19B/C UART frames (Winsen MH-Z19B user manual, "Communication protocol"): 9 bytes,
 * `FF <b1> <b2> … <b7> <checksum>`, checksum = 0xFF − (b1 + … + b7) + 1, mod 256. Commands carry
 * sensor number 0x01 in b1 and the command in b2; answers carry the command in b1.
 */

export const MHZ19_FRAME_LENGTH = 9;
const START = 0xff;
const SENSOR_NUMBER = 0x01;

export const MHZ19_CMD_READ_CO2 = 0x86;
export const MHZ19_CMD_ABC = 0x79;
export const MHZ19_CMD_ZERO_CALIBRATION = 0x87;
export const MHZ19_CMD_RANGE = 0x99;

/** Checksum over bytes 1..7 of a frame. */
export function mhz19FrameChecksum(frame: Uint8Array): number {
  let sum = 0;
  for (let i = 1; i < 8; i++) sum += frame[i] ?? 0;
  return (0x100 - (sum & 0xff)) & 0xff;
}

/** A command frame: `FF 01 <command> <b3..b7> <checksum>` (missing data bytes are 0). */
export function encodeMhz19Command(command: number, data: readonly number[] = []): Uint8Array {
  const frame = new Uint8Array(MHZ19_FRAME_LENGTH);
  frame[0] = START;
  frame[1] = SENSOR_NUMBER;
  frame[2] = command;
  data.slice(0, 5).forEach((b, i) => {
    frame[3 + i] = b & 0xff;
  });
  frame[8] = mhz19FrameChecksum(frame);
  return frame;
}

/** `FF 01 86 00 00 00 00 00 79`. */
export function readCo2Command(): Uint8Array {
  return encodeMhz19Command(MHZ19_CMD_READ_CO2);
}

/** ABC on `FF 01 79 A0 00 00 00 00 E6`, off `FF 01 79 00 00 00 00 00 86`. */
export function abcCommand(enabled: boolean): Uint8Array {
  return encodeMhz19Command(MHZ19_CMD_ABC, [enabled ? 0xa0 : 0x00]);
}

/** `FF 01 87 00 00 00 00 00 78`: the present concentration becomes 400 ppm. */
export function zeroCalibrationCommand(): Uint8Array {
  return encodeMhz19Command(MHZ19_CMD_ZERO_CALIBRATION);
}

/**
 * Detection range. The manual puts the range in b3/b4, but units only honour it in b6/b7
 * (revspace.nl/MHZ19, "Setting the measurement range"): 5000 ppm = `FF 01 99 00 00 00 13 88 CB`.
 */
export function rangeCommand(ppm: number): Uint8Array {
  return encodeMhz19Command(MHZ19_CMD_RANGE, [0, 0, 0, (ppm >> 8) & 0xff, ppm & 0xff]);
}

export interface Co2Answer {
  ppm: number;
  /** The sensor's own thermistor, whole °C (byte 4 − 40; undocumented but present on B and C units). */
  temperatureC: number;
}

/**
 * Find the first answer to `command` in `bytes`. Bytes before a start byte followed by the
 * command are noise and skipped. Returns the frame and the index just after it, or null while
 * the frame is incomplete.
 */
export function findMhz19Answer(
  bytes: Uint8Array,
  command: number,
): { frame: Uint8Array; end: number } | null {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== START) continue;
    if (i + 1 < bytes.length && bytes[i + 1] !== command) continue;
    if (bytes.length - i < MHZ19_FRAME_LENGTH) return null;
    return { frame: bytes.slice(i, i + MHZ19_FRAME_LENGTH), end: i + MHZ19_FRAME_LENGTH };
  }
  return null;
}

/**
 * Decode a 0x86 answer `FF 86 HH LL TT SS U1 U2 CS`.
 * @throws SensorError `sensor.checksum` when CS does not match.
 */
export function decodeCo2Answer(frame: Uint8Array): Co2Answer {
  const expected = mhz19FrameChecksum(frame);
  if (frame.length !== MHZ19_FRAME_LENGTH || frame[8] !== expected) {
    throw new SensorError('sensor.checksum', 'MH-Z19 answer has a bad checksum', {
      context: { frame: sensorHex(frame), expected, received: frame[8] },
    });
  }
  return { ppm: frame[2]! * 256 + frame[3]!, temperatureC: frame[4]! - 40 };
}

/** Bytes as spaced upper-case hex for error contexts and logs (`FF 86 02 20`). */
export function sensorHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
