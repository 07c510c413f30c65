/** The driver's check of MH-Z19 answers; the frames themselves are `@b-route/core`'s. */
import { type Co2Answer, co2AnswerFields, MHZ19_FRAME_LENGTH, mhz19Checksum } from '@b-route/core';
import { SensorError } from './errors.js';

/**
 * Decode a 0x86 answer `FF 86 HH LL TT SS U1 U2 CS`.
 * @throws SensorError `sensor.checksum` when CS does not match.
 */
export function decodeCo2Answer(frame: Uint8Array): Co2Answer {
  const expected = mhz19Checksum(frame);
  if (frame.length !== MHZ19_FRAME_LENGTH || frame[8] !== expected) {
    throw new SensorError('sensor.checksum', 'MH-Z19 answer has a bad checksum', {
      context: { frame: sensorHex(frame), expected, received: frame[8] },
    });
  }
  return co2AnswerFields(frame);
}

/** Bytes as spaced upper-case hex for error contexts and logs (`FF 86 02 20`). */
export function sensorHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
