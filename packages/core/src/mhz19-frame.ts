/**
 * MH-Z19B/C UART frames (Winsen MH-Z19B user manual, "Communication protocol"): 9 bytes,
 * `FF <b1> <b2> … <b7> <checksum>`, checksum = 0xFF − (b1 + … + b7) + 1, mod 256. Commands carry
 * sensor number 0x01 in b1 and the command in b2; answers carry the command in b1. The poller's
 * driver and the simulator's virtual sensor both speak through these functions.
 */

export const MHZ19_FRAME_LENGTH = 9;
export const MHZ19_START_BYTE = 0xff;
const SENSOR_NUMBER = 0x01;

export const MHZ19_CMD_READ_CO2 = 0x86;
export const MHZ19_CMD_ABC = 0x79;
export const MHZ19_CMD_ZERO_CALIBRATION = 0x87;
export const MHZ19_CMD_RANGE = 0x99;

/** b3 of an ABC command that turns ABC on; 0x00 turns it off. */
export const MHZ19_ABC_ON = 0xa0;

/** Checksum over bytes 1..7 of a frame: two's complement of their sum. */
export function mhz19Checksum(frame: Uint8Array): number {
  let sum = 0;
  for (let i = 1; i < 8; i++) sum += frame[i] ?? 0;
  return (0x100 - (sum & 0xff)) & 0xff;
}

/** A command frame: `FF 01 <command> <b3..b7> <checksum>` (missing data bytes are 0). */
export function encodeMhz19Command(command: number, data: readonly number[] = []): Uint8Array {
  const frame = new Uint8Array(MHZ19_FRAME_LENGTH);
  frame[0] = MHZ19_START_BYTE;
  frame[1] = SENSOR_NUMBER;
  frame[2] = command;
  data.slice(0, 5).forEach((b, i) => {
    frame[3 + i] = b & 0xff;
  });
  frame[8] = mhz19Checksum(frame);
  return frame;
}

/** `FF 01 86 00 00 00 00 00 79`. */
export function readCo2Command(): Uint8Array {
  return encodeMhz19Command(MHZ19_CMD_READ_CO2);
}

/** ABC on `FF 01 79 A0 00 00 00 00 E6`, off `FF 01 79 00 00 00 00 00 86`. */
export function abcCommand(enabled: boolean): Uint8Array {
  return encodeMhz19Command(MHZ19_CMD_ABC, [enabled ? MHZ19_ABC_ON : 0x00]);
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

/** The range, ppm, a 0x99 command sets (b6·256 + b7, see `rangeCommand`). */
export function rangeOfCommand(frame: Uint8Array): number {
  return frame[6]! * 256 + frame[7]!;
}

export interface Co2Answer {
  ppm: number;
  /** The sensor's own thermistor, whole °C (byte 4 − 40; undocumented but present on B and C units). */
  temperatureC: number;
}

/**
 * A 0x86 answer `FF 86 HH LL TT 00 00 00 CS`: ppm = HH·256 + LL, TT = temperature + 40 (clamped
 * to a byte).
 */
export function encodeCo2Answer(answer: Co2Answer): Uint8Array {
  const frame = new Uint8Array(MHZ19_FRAME_LENGTH);
  frame[0] = MHZ19_START_BYTE;
  frame[1] = MHZ19_CMD_READ_CO2;
  frame[2] = answer.ppm >> 8;
  frame[3] = answer.ppm & 0xff;
  frame[4] = Math.min(255, Math.max(0, answer.temperatureC + 40));
  frame[8] = mhz19Checksum(frame);
  return frame;
}

/** The fields of a 0x86 answer `FF 86 HH LL TT SS U1 U2 CS`; the checksum is the caller's to check. */
export function co2AnswerFields(frame: Uint8Array): Co2Answer {
  return { ppm: frame[2]! * 256 + frame[3]!, temperatureC: frame[4]! - 40 };
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
    if (bytes[i] !== MHZ19_START_BYTE) continue;
    if (i + 1 < bytes.length && bytes[i + 1] !== command) continue;
    if (bytes.length - i < MHZ19_FRAME_LENGTH) return null;
    return { frame: bytes.slice(i, i + MHZ19_FRAME_LENGTH), end: i + MHZ19_FRAME_LENGTH };
  }
  return null;
}
