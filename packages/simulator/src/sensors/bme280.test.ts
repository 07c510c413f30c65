import { compensateHumidity, compensatePressure, compensateTemperature } from '@b-route/core';
import { describe, expect, it } from 'vitest';
import { VirtualBme280 } from './bme280.js';
import { openVirtualI2cBus } from './virtual-i2c-bus.js';

const ADDR = 0x76;
const T0 = Date.UTC(2024, 9, 1, 3);

function setup() {
  let now = T0;
  const sensor = new VirtualBme280({ clock: () => now, seed: 3 });
  const bus = openVirtualI2cBus([[ADDR, sensor]]);
  return {
    sensor,
    bus,
    advance: (ms: number) => {
      now += ms;
    },
    at: () => now,
  };
}

async function burst(bus: ReturnType<typeof openVirtualI2cBus>) {
  const { buffer } = await bus.readI2cBlock(ADDR, 0xf7, 8, Buffer.alloc(8));
  return {
    bytes: Array.from(buffer),
    adcP: (buffer[0]! << 12) | (buffer[1]! << 4) | (buffer[2]! >> 4),
    adcT: (buffer[3]! << 12) | (buffer[4]! << 4) | (buffer[5]! >> 4),
    adcH: (buffer[6]! << 8) | buffer[7]!,
  };
}

describe('VirtualBme280 registers', () => {
  it('identifies as a BME280 and holds its trimming words', async () => {
    const { bus, sensor } = setup();
    expect(await bus.readByte(ADDR, 0xd0)).toBe(0x60);
    const { buffer } = await bus.readI2cBlock(ADDR, 0x88, 2, Buffer.alloc(2));
    expect(buffer.readUInt16LE(0)).toBe(sensor.trimming.T1);
    expect(await bus.readByte(ADDR, 0xa1)).toBe(sensor.trimming.H1);
  });

  it('starts with the reset values of the data registers (80 00 00 80 00 00 80 00)', async () => {
    const { bus } = setup();
    expect((await burst(bus)).bytes).toEqual([0x80, 0, 0, 0x80, 0, 0, 0x80, 0]);
  });

  it('runs a forced conversion: measuring bit, then data and back to sleep', async () => {
    const { bus, sensor, advance, at } = setup();
    await bus.writeByte(ADDR, 0xf2, 0x01);
    await bus.writeByte(ADDR, 0xf4, (1 << 5) | (1 << 2) | 0x01);
    expect((await bus.readByte(ADDR, 0xf3)) & 0x08).toBe(0x08);
    expect(sensor.mode).toBe('forced');
    // Data stays shadowed until the conversion ends.
    expect((await burst(bus)).bytes).toEqual([0x80, 0, 0, 0x80, 0, 0, 0x80, 0]);
    advance(10); // typical t_measure at ×1/×1/×1 is 8 ms
    expect((await bus.readByte(ADDR, 0xf3)) & 0x08).toBe(0);
    expect((await bus.readByte(ADDR, 0xf4)) & 0x03).toBe(0);
    expect(sensor.mode).toBe('sleep');
    const raw = await burst(bus);
    const t = compensateTemperature(raw.adcT, sensor.trimming);
    const truth = sensor.groundTruth(at());
    expect(Math.abs(t.celsius - truth.temperatureC)).toBeLessThan(0.005);
    expect(
      Math.abs(compensatePressure(raw.adcP, t.tFine, sensor.trimming) / 100 - truth.pressureHpa),
    ).toBeLessThan(0.02);
    expect(Math.abs(compensateHumidity(raw.adcH, t.tFine, sensor.trimming) - truth.humidityPct)).toBeLessThan(
      0.005,
    );
  });

  it('applies ctrl_hum only after the next ctrl_meas write', async () => {
    const { bus, advance } = setup();
    await bus.writeByte(ADDR, 0xf4, (1 << 5) | (1 << 2) | 0x01);
    advance(20);
    expect((await burst(bus)).adcH).toBe(0x8000); // humidity skipped: ctrl_hum was 0
    await bus.writeByte(ADDR, 0xf2, 0x01);
    expect(await bus.readByte(ADDR, 0xf2)).toBe(0x01);
    await bus.writeByte(ADDR, 0xf4, (1 << 5) | (1 << 2) | 0x01);
    advance(20);
    expect((await burst(bus)).adcH).not.toBe(0x8000);
  });

  it('reports 0x80000 for skipped temperature and pressure', async () => {
    const { bus, advance } = setup();
    await bus.writeByte(ADDR, 0xf2, 0x01);
    await bus.writeByte(ADDR, 0xf4, 0x01); // osrs_t = osrs_p = 0, forced
    advance(20);
    const raw = await burst(bus);
    expect([raw.adcP, raw.adcT]).toEqual([0x80000, 0x80000]);
    expect(raw.adcH).not.toBe(0x8000);
  });

  it('delivers 16-bit temperature at ×1 without filter, 20-bit with the filter on', async () => {
    const { bus, advance } = setup();
    await bus.writeByte(ADDR, 0xf4, (1 << 5) | (1 << 2) | 0x01);
    advance(20);
    expect((await burst(bus)).adcT & 0x0f).toBe(0);
    let nonzero = 0;
    await bus.writeByte(ADDR, 0xf5, 4 << 2); // filter 16
    for (let i = 0; i < 8; i++) {
      advance(3_600_000);
      await bus.writeByte(ADDR, 0xf4, (1 << 5) | (1 << 2) | 0x01);
      advance(20);
      if ((await burst(bus)).adcT & 0x0f) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(0);
  });

  it('lets the IIR filter lag behind a change (step response of coefficient 4)', async () => {
    const { bus, sensor, advance, at } = setup();
    await bus.writeByte(ADDR, 0xf5, 2 << 2); // filter 4
    const forced = async () => {
      await bus.writeByte(ADDR, 0xf4, (5 << 5) | (5 << 2) | 0x01);
      advance(100);
      return compensateTemperature((await burst(bus)).adcT, sensor.trimming).celsius;
    };
    const before = await forced();
    advance(6 * 3_600_000);
    const truthAfter = sensor.groundTruth(at() + 73).temperatureC;
    const after = await forced();
    expect(Math.abs(truthAfter - before)).toBeGreaterThan(0.3);
    // One step of (old·3 + new) / 4 moves a quarter of the way.
    expect(after).toBeCloseTo(before + (truthAfter - before) / 4, 2);
  });

  it('ignores config writes in normal mode and updates data every cycle', async () => {
    const { bus, advance } = setup();
    await bus.writeByte(ADDR, 0xf2, 0x01);
    await bus.writeByte(ADDR, 0xf5, 5 << 5); // t_sb 1000 ms
    await bus.writeByte(ADDR, 0xf4, (1 << 5) | (1 << 2) | 0x03);
    await bus.writeByte(ADDR, 0xf5, 0x10);
    expect(await bus.readByte(ADDR, 0xf5)).toBe(5 << 5);
    advance(20);
    const first = await burst(bus);
    expect(first.adcT).not.toBe(0x80000);
    advance(3_600_000);
    expect((await burst(bus)).adcT).not.toBe(first.adcT);
    expect((await bus.readByte(ADDR, 0xf4)) & 0x03).toBe(0x03);
  });

  it('soft reset (0xB6 to 0xE0) restores defaults and copies NVM for ~2 ms', async () => {
    const { bus, advance } = setup();
    await bus.writeByte(ADDR, 0xf2, 0x05);
    await bus.writeByte(ADDR, 0xf5, 0xa0);
    await bus.writeByte(ADDR, 0xe0, 0x00);
    expect(await bus.readByte(ADDR, 0xf2)).toBe(0x05);
    await bus.writeByte(ADDR, 0xe0, 0xb6);
    expect((await bus.readByte(ADDR, 0xf3)) & 0x01).toBe(1);
    advance(2);
    expect(await bus.readByte(ADDR, 0xf3)).toBe(0);
    expect(await bus.readByte(ADDR, 0xf2)).toBe(0);
    expect(await bus.readByte(ADDR, 0xf5)).toBe(0);
    expect(await bus.readByte(ADDR, 0xe0)).toBe(0);
  });

  it('accepts register/data pairs in one write (datasheet 6.2.1)', async () => {
    const { bus } = setup();
    await bus.i2cWrite(ADDR, 4, Buffer.from([0xf2, 0x03, 0xf5, 0x08]));
    expect(await bus.readByte(ADDR, 0xf2)).toBe(0x03);
    expect(await bus.readByte(ADDR, 0xf5)).toBe(0x08);
  });

  it('keeps measuring forever with the stuck fault', async () => {
    const { bus, sensor, advance } = setup();
    sensor.faults.stuckMeasuring = true;
    await bus.writeByte(ADDR, 0xf4, (1 << 5) | 0x01);
    advance(1000);
    expect((await bus.readByte(ADDR, 0xf3)) & 0x08).toBe(0x08);
  });
});
