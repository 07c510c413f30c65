import { DEFAULT_BME280_TRIMMING, VirtualBme280, VirtualI2cBus } from '@b-route/simulator';
import { describe, expect, it } from 'vitest';
import { Bme280, type Bme280Options, bme280MaxMeasureMs } from './bme280.js';
import { isSensorError } from './errors.js';

const T0 = Date.UTC(2024, 1, 10, 5); // 14:00 JST
const HOUR = 3_600_000;

/**
 * Tolerances: the simulator picks the raw value whose compensation is nearest the truth, so the
 * driver is off by at most half a raw step. One 20-bit count is ~0.00031 °C, ~0.17 Pa and (16-bit
 * humidity) ~0.0055 %RH with these trimming words; at ×1 without filter temperature and pressure
 * have 16-bit resolution, i.e. steps of 16 counts: ≤ 0.0025 °C and ≤ 1.4 Pa.
 */
const TOLERANCE_20BIT = { t: 0.0002, p: 0.001, h: 0.003 };
const TOLERANCE_16BIT = { t: 0.003, p: 0.015, h: 0.003 };

function rig(options: Bme280Options = {}, sensorOptions: { chipId?: number } = {}) {
  let now = T0;
  const sleeps: number[] = [];
  const sensor = new VirtualBme280({ clock: () => now, seed: 11, ...sensorOptions });
  const raw = new VirtualI2cBus([[0x76, sensor]]);
  const bus = raw.promisifiedBus();
  const driverOptions: Bme280Options = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    ...options,
  };
  return {
    sensor,
    raw,
    bus,
    sleeps,
    open: () => Bme280.open(bus, driverOptions),
    advance: (ms: number) => {
      now += ms;
    },
    at: () => now,
  };
}

describe('Bme280 driver against the virtual sensor', () => {
  it('reads the calibration words from 0x88..0xA1 and 0xE1..0xE7', async () => {
    const { open } = rig();
    const driver = await open();
    expect(driver.calibration).toEqual(DEFAULT_BME280_TRIMMING);
  });

  it('reports the simulated truth at ×16 oversampling within half a 20-bit step', async () => {
    const { open, sensor, advance, at } = rig({
      oversampling: { temperature: 16, pressure: 16, humidity: 16 },
    });
    const driver = await open();
    for (let i = 0; i < 12; i++) {
      advance(2 * HOUR + 17_000);
      const started = at();
      const m = await driver.read();
      const truth = sensor.groundTruth(started);
      expect(Math.abs(m.temperatureC! - truth.temperatureC)).toBeLessThan(TOLERANCE_20BIT.t);
      expect(Math.abs(m.pressureHpa! - truth.pressureHpa)).toBeLessThan(TOLERANCE_20BIT.p);
      expect(Math.abs(m.humidityPct! - truth.humidityPct)).toBeLessThan(TOLERANCE_20BIT.h);
    }
  });

  it('reports the truth at ×1 (weather monitoring) within half a 16-bit step', async () => {
    const { open, sensor, advance, at } = rig();
    const driver = await open();
    for (let i = 0; i < 12; i++) {
      advance(3 * HOUR + 1234);
      const started = at();
      const m = await driver.read();
      const truth = sensor.groundTruth(started);
      expect(Math.abs(m.temperatureC! - truth.temperatureC)).toBeLessThan(TOLERANCE_16BIT.t);
      expect(Math.abs(m.pressureHpa! - truth.pressureHpa)).toBeLessThan(TOLERANCE_16BIT.p);
      expect(Math.abs(m.humidityPct! - truth.humidityPct)).toBeLessThan(TOLERANCE_16BIT.h);
    }
  });

  it('uses forced mode: the sensor is back in sleep after each read', async () => {
    const { open, sensor, bus } = rig({ oversampling: { temperature: 2, pressure: 4, humidity: 1 } });
    const driver = await open();
    await driver.read();
    expect(sensor.mode).toBe('sleep');
    const ctrlMeas = await bus.readByte(0x76, 0xf4);
    expect(ctrlMeas).toBe((0b010 << 5) | (0b011 << 2) | 0b00);
    expect(await bus.readByte(0x76, 0xf2)).toBe(0b001);
  });

  it('waits the datasheet maximum conversion time before polling the status', async () => {
    const { open, sleeps } = rig({ oversampling: { temperature: 1, pressure: 1, humidity: 1 } });
    const driver = await open();
    sleeps.length = 0;
    await driver.read();
    expect(bme280MaxMeasureMs(1, 1, 1)).toBeCloseTo(9.3, 6);
    // The virtual conversion takes the typical 8 ms, so one wait of t_measure,max suffices.
    expect(sleeps).toEqual([bme280MaxMeasureMs(1, 1, 1)]);
  });

  it('returns null for channels with oversampling 0 ("skipped")', async () => {
    const { open } = rig({ oversampling: { temperature: 1, pressure: 0, humidity: 0 } });
    const m = await (await open()).read();
    expect(m.temperatureC).not.toBeNull();
    expect(m.pressureHpa).toBeNull();
    expect(m.humidityPct).toBeNull();
    const raw = await (
      await rig({ oversampling: { temperature: 1, pressure: 0, humidity: 0 } }).open()
    ).readRaw();
    expect(raw.adcP).toBe(0x80000);
    expect(raw.adcH).toBe(0x8000);
  });

  it('returns all null when temperature is skipped (no t_fine)', async () => {
    const { open } = rig({ oversampling: { temperature: 0, pressure: 1, humidity: 1 } });
    expect(await (await open()).read()).toEqual({ temperatureC: null, pressureHpa: null, humidityPct: null });
  });

  it('writes filter and standby into config', async () => {
    const { open, bus } = rig({ filter: 16, standbyMs: 1000 });
    await open();
    expect(await bus.readByte(0x76, 0xf5)).toBe((0b101 << 5) | (0b100 << 2));
  });

  it('with the IIR filter on, follows a step change gradually', async () => {
    const { open, sensor, advance, at } = rig({
      filter: 2,
      oversampling: { temperature: 16, pressure: 16, humidity: 1 },
    });
    const driver = await open();
    const first = (await driver.read()).temperatureC!;
    advance(8 * HOUR);
    const truth = sensor.groundTruth(at()).temperatureC;
    const second = (await driver.read()).temperatureC!;
    expect(Math.abs(truth - first)).toBeGreaterThan(0.3);
    expect(second).toBeCloseTo((first + truth) / 2, 2);
  });

  it('rejects a chip that is not a BME280 with sensor.chip-id', async () => {
    const { open } = rig({}, { chipId: 0x58 });
    const error = await open().catch((e: unknown) => e);
    expect(isSensorError(error, 'sensor.chip-id')).toBe(true);
    if (isSensorError(error)) {
      expect(error.context).toMatchObject({ address: 0x76, expected: 0x60, actual: 0x58 });
      expect(error.message).toContain('BMP280');
    }
  });

  it('reports nothing at the address as sensor.io with the I2C error as cause', async () => {
    const { bus } = rig();
    const error = await Bme280.open(bus, { address: 0x77 }).catch((e: unknown) => e);
    expect(isSensorError(error, 'sensor.io')).toBe(true);
    if (isSensorError(error)) expect(error.cause).toMatchObject({ code: 'EREMOTEIO' });
  });

  it('reports a conversion that never ends as sensor.timeout', async () => {
    const { open, sensor } = rig();
    const driver = await open();
    sensor.faults.stuckMeasuring = true;
    await expect(driver.read()).rejects.toMatchObject({ code: 'sensor.timeout' });
  });

  it('reports a device that disappears as sensor.io', async () => {
    const { open, raw } = rig();
    const driver = await open();
    raw.detach(0x76);
    await expect(driver.read()).rejects.toMatchObject({ code: 'sensor.io' });
  });

  it('rejects options the chip does not support with sensor.config', async () => {
    const { bus } = rig();
    await expect(Bme280.open(bus, { oversampling: { temperature: 3 as 2 } })).rejects.toMatchObject({
      code: 'sensor.config',
    });
    await expect(Bme280.open(bus, { filter: 32 as 16 })).rejects.toMatchObject({ code: 'sensor.config' });
    await expect(Bme280.open(bus, { standbyMs: 2 as 10 })).rejects.toMatchObject({ code: 'sensor.config' });
    await expect(Bme280.open(bus, { address: 0x50 })).rejects.toMatchObject({ code: 'sensor.config' });
  });

  it('serialises concurrent reads', async () => {
    const { open } = rig();
    const driver = await open();
    const [a, b] = await Promise.all([driver.read(), driver.read()]);
    expect(a.temperatureC).toBeCloseTo(b.temperatureC!, 2);
  });
});
