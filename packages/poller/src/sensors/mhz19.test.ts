import { createMhz19Port, VirtualMhz19 } from '@b-route/simulator';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { isSensorError } from './errors.js';
import { Mhz19, type Mhz19Transport } from './mhz19.js';

const T0 = Date.UTC(2024, 4, 15, 11); // 20:00 JST
const MIN = 60_000;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function rig(
  options: { warmupMs?: number; abc?: boolean; driverWarmupMs?: number; timeoutMs?: number } = {},
) {
  let now = T0;
  const clock = () => now;
  const sensor = new VirtualMhz19({
    clock,
    seed: 7,
    warmupMs: options.warmupMs ?? 180_000,
    abc: options.abc ?? false,
  });
  const port = createMhz19Port(sensor);
  closers.push(() => port.close());
  const wire: Buffer[] = [];
  port.device.on('data', (chunk: Buffer) => wire.push(chunk));
  const driver = new Mhz19(port.host, {
    now: clock,
    warmupMs: options.driverWarmupMs ?? 180_000,
    timeoutMs: options.timeoutMs ?? 1000,
  });
  return {
    sensor,
    driver,
    wire,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('Mhz19 driver against the virtual sensor', () => {
  it('reads the simulated concentration and temperature', async () => {
    const { sensor, driver, advance } = rig();
    for (let i = 0; i < 5; i++) {
      advance(7 * MIN);
      const reading = await driver.readCo2();
      const truth = sensor.groundTruth();
      expect(reading.ppm).toBe(Math.round(truth.co2Ppm));
      expect(reading.temperatureC).toBe(Math.round(truth.temperatureC));
    }
  });

  it('skips readings during the preheat window without touching the wire', async () => {
    const { sensor, driver, advance } = rig();
    advance(2 * MIN);
    const early = await driver.readCo2();
    expect(early).toEqual({ ppm: null, temperatureC: null, skipped: 'warming-up', readyInMs: MIN });
    expect(sensor.commands.length).toBe(0);
    advance(MIN);
    const ready = await driver.readCo2();
    expect(ready.ppm).toBe(Math.round(sensor.groundTruth().co2Ppm));
  });

  it('would pass on the fixed preheat value if its own window were shorter than the sensor’s', async () => {
    const { driver, advance } = rig({ driverWarmupMs: 0 });
    advance(MIN);
    expect((await driver.readCo2()).ppm).toBe(500);
  });

  it('turns a corrupted answer into sensor.checksum and recovers on the next read', async () => {
    const { sensor, driver, advance } = rig({ warmupMs: 0, driverWarmupMs: 0 });
    advance(MIN);
    sensor.faults.corruptReplies = 1;
    const error = await driver.readCo2().catch((e: unknown) => e);
    expect(isSensorError(error, 'sensor.checksum')).toBe(true);
    if (isSensorError(error)) expect(error.isRetryable()).toBe(true);
    expect((await driver.readCo2()).ppm).toBe(Math.round(sensor.groundTruth().co2Ppm));
  });

  it('times out with sensor.timeout when the sensor stays silent', async () => {
    const { sensor, driver } = rig({ warmupMs: 0, driverWarmupMs: 0, timeoutMs: 30 });
    sensor.faults.silent = true;
    const error = await driver.readCo2().catch((e: unknown) => e);
    expect(isSensorError(error, 'sensor.timeout')).toBe(true);
    if (isSensorError(error)) expect(error.context.command).toBe('FF 01 86 00 00 00 00 00 79');
  });

  it('sends ABC on/off as the manual prints them and the sensor follows', async () => {
    const { sensor, driver, wire } = rig({ abc: true });
    await driver.setAbc(false);
    await driver.setAbc(true);
    await driver.setAbc(false);
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(wire).toString('hex')).toBe(
      ['ff0179000000000086', 'ff0179a000000000e6', 'ff0179000000000086'].join(''),
    );
    expect(sensor.abcEnabled).toBe(false);
  });

  it('zero-calibrates: the present concentration then reads 400 ppm', async () => {
    const { sensor, driver, advance } = rig({ warmupMs: 0, driverWarmupMs: 0 });
    advance(10 * MIN);
    expect((await driver.readCo2()).ppm).toBeGreaterThan(450);
    await driver.calibrateZero();
    await new Promise((r) => setImmediate(r));
    expect((await driver.readCo2()).ppm).toBe(400);
    expect(sensor.commands.map((c) => c[2])).toEqual([0x86, 0x87, 0x86]);
  });

  it('sets the detection range and rejects impossible ones', async () => {
    const { sensor, driver } = rig();
    await driver.setRange(2000);
    await new Promise((r) => setImmediate(r));
    expect(sensor.rangePpm).toBe(2000);
    await expect(driver.setRange(0)).rejects.toMatchObject({ code: 'sensor.config' });
  });

  it('serialises concurrent commands so each read gets its own answer', async () => {
    const { sensor, driver, advance } = rig({ warmupMs: 0, driverWarmupMs: 0 });
    advance(MIN);
    const [a, b] = await Promise.all([driver.readCo2(), driver.readCo2(), driver.setAbc(true)]);
    expect(a.ppm).toBe(b.ppm);
    expect(sensor.commands.map((c) => c[2])).toEqual([0x86, 0x86, 0x79]);
  });

  it('reports a failed write as sensor.io', async () => {
    const failing: Mhz19Transport = {
      write: (_data, callback) => {
        callback?.(new Error('Port is not open'));
        return false;
      },
      on: () => undefined,
      off: () => undefined,
    };
    const driver = new Mhz19(failing, { warmupMs: 0 });
    await expect(driver.readCo2()).rejects.toMatchObject({ code: 'sensor.io' });
    await expect(driver.setAbc(true)).rejects.toMatchObject({ code: 'sensor.io' });
  });

  it('accepts a serialport SerialPort as its transport', () => {
    const port = new SerialPort({ path: '/dev/null', baudRate: 9600, autoOpen: false });
    const transport: Mhz19Transport = port;
    expect(new Mhz19(transport)).toBeInstanceOf(Mhz19);
  });
});
