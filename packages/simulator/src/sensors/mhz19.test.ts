import { mhz19Checksum } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { MHZ19_COMMAND_LOG_SIZE, VirtualMhz19 } from './mhz19.js';

const T0 = Date.UTC(2024, 4, 15, 11); // 20:00 JST, a Wednesday evening
const MIN = 60_000;
const READ = Uint8Array.of(0xff, 0x01, 0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x79);
const ABC_ON = Uint8Array.of(0xff, 0x01, 0x79, 0xa0, 0x00, 0x00, 0x00, 0x00, 0xe6);
const ABC_OFF = Uint8Array.of(0xff, 0x01, 0x79, 0x00, 0x00, 0x00, 0x00, 0x00, 0x86);
const ZERO = Uint8Array.of(0xff, 0x01, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78);
const RANGE_2000 = Uint8Array.of(0xff, 0x01, 0x99, 0x00, 0x00, 0x00, 0x07, 0xd0, 0x8f);

function setup(options: Partial<ConstructorParameters<typeof VirtualMhz19>[0]> = {}) {
  let now = T0;
  const sensor = new VirtualMhz19({ clock: () => now, seed: 1, ...options });
  return {
    sensor,
    advance: (ms: number) => {
      now += ms;
    },
    at: () => now,
  };
}

function ppmOf(answer: Uint8Array): number {
  return answer[2]! * 256 + answer[3]!;
}

describe('VirtualMhz19', () => {
  it('answers 0x86 with the room concentration, temperature + 40 and a valid checksum', () => {
    const { sensor, advance, at } = setup();
    advance(10 * MIN);
    const answer = sensor.handleBytes(READ);
    expect(answer.length).toBe(9);
    expect([answer[0], answer[1]]).toEqual([0xff, 0x86]);
    expect(answer[8]).toBe(mhz19Checksum(answer));
    const truth = sensor.groundTruth(at());
    expect(ppmOf(answer)).toBe(Math.round(truth.co2Ppm));
    expect(answer[4]! - 40).toBe(Math.round(truth.temperatureC));
    expect(truth.co2Ppm).toBeGreaterThan(450);
  });

  it('answers a fixed 500 ppm while preheating, then real values', () => {
    const { sensor, advance, at } = setup({ warmupMs: 180_000 });
    advance(179_999);
    expect(ppmOf(sensor.handleBytes(READ))).toBe(500);
    expect(sensor.reading().warmingUp).toBe(true);
    advance(1);
    expect(ppmOf(sensor.handleBytes(READ))).toBe(Math.round(sensor.groundTruth(at()).co2Ppm));
    sensor.powerCycle();
    expect(ppmOf(sensor.handleBytes(READ))).toBe(500);
  });

  it('ignores a command with a bad checksum and resynchronises on the next start byte', () => {
    const { sensor, advance } = setup();
    advance(5 * MIN);
    const bad = READ.slice();
    bad[8] = 0x7a;
    expect(sensor.handleBytes(bad).length).toBe(0);
    expect(sensor.rejectedFrames).toBe(1);
    // A stale partial frame glued in front of a good one.
    const glued = new Uint8Array([0xff, 0x01, 0x86, ...READ]);
    expect(sensor.handleBytes(glued).length).toBe(9);
  });

  it('assembles a command split across chunks', () => {
    const { sensor, advance } = setup();
    advance(5 * MIN);
    expect(sensor.handleBytes(READ.subarray(0, 4)).length).toBe(0);
    expect(sensor.handleBytes(READ.subarray(4)).length).toBe(9);
  });

  it('switches ABC with 0x79 (A0 on, 00 off) without answering', () => {
    const { sensor } = setup();
    expect(sensor.abcEnabled).toBe(true);
    expect(sensor.handleBytes(ABC_OFF).length).toBe(0);
    expect(sensor.abcEnabled).toBe(false);
    sensor.handleBytes(ABC_ON);
    expect(sensor.abcEnabled).toBe(true);
  });

  it('zero calibration makes the present concentration read 400 ppm', () => {
    const { sensor, advance } = setup({ abc: false });
    advance(10 * MIN);
    expect(ppmOf(sensor.handleBytes(READ))).toBeGreaterThan(450);
    sensor.handleBytes(ZERO);
    expect(ppmOf(sensor.handleBytes(READ))).toBe(400);
    expect(sensor.calibrationOffsetPpm).toBeLessThan(-50);
  });

  it('clips readings to the detection range set with 0x99 (bytes 6-7)', () => {
    const { sensor, advance } = setup({ abc: false, co2: { roomVolumeM3: 10, residents: 4 } });
    advance(10 * MIN);
    expect(sensor.groundTruth().co2Ppm).toBeGreaterThan(2000);
    sensor.handleBytes(RANGE_2000);
    expect(sensor.rangePpm).toBe(2000);
    expect(ppmOf(sensor.handleBytes(READ))).toBe(2000);
  });

  it('with ABC on, takes the lowest value of each 24 h as 400 ppm', () => {
    const { sensor, advance } = setup({ warmupMs: 0 });
    advance(24 * 3_600_000 + MIN);
    // Outdoor air is 420 ppm and the room never goes below it, so ABC reads low afterwards.
    const offset = sensor.calibrationOffsetPpm;
    expect(offset).toBeLessThan(-19);
    expect(offset).toBeGreaterThan(-200);
    const truth = sensor.groundTruth().co2Ppm;
    expect(ppmOf(sensor.handleBytes(READ))).toBe(Math.round(truth + offset));
  });

  it('with ABC off, keeps reading the truth after days', () => {
    const { sensor, advance } = setup({ warmupMs: 0, abc: false });
    advance(3 * 24 * 3_600_000);
    expect(ppmOf(sensor.handleBytes(READ))).toBe(Math.round(sensor.groundTruth().co2Ppm));
  });

  it('fault switches: silence and corrupted answers', () => {
    const { sensor, advance } = setup();
    advance(5 * MIN);
    sensor.faults.silent = true;
    expect(sensor.handleBytes(READ).length).toBe(0);
    sensor.faults.silent = false;
    sensor.faults.corruptReplies = 1;
    const corrupted = sensor.handleBytes(READ);
    expect(corrupted[8]).not.toBe(mhz19Checksum(corrupted));
    const clean = sensor.handleBytes(READ);
    expect(clean[8]).toBe(mhz19Checksum(clean));
  });

  it('records the last accepted commands', () => {
    const { sensor } = setup();
    sensor.handleBytes(new Uint8Array([...ABC_OFF, ...ZERO]));
    expect(sensor.commands).toEqual([ABC_OFF, ZERO]);
    for (let i = 0; i < MHZ19_COMMAND_LOG_SIZE; i++) sensor.handleBytes(READ);
    expect(sensor.commands.length).toBe(MHZ19_COMMAND_LOG_SIZE);
    expect(sensor.commands.every((c) => c[2] === 0x86)).toBe(true);
  });
});
