import { createServer } from 'node:net';
import { attachMhz19, VirtualMhz19 } from '@b-route/simulator';
import { describe, expect, it } from 'vitest';
import { configFromIni } from '../config/load-config.js';
import { enabledSensors, openMhz19Device } from './hardware-sensors.js';
import type { SensorSource } from './sensor-loop.js';

describe('openMhz19Device', () => {
  it('reads an MH-Z19 behind a serial-to-TCP bridge (tcp://host:port)', async () => {
    let now = Date.UTC(2026, 4, 20, 3, 0, 0);
    const sensor = new VirtualMhz19({ clock: () => now, seed: 5, warmupMs: 0 });
    const server = createServer((socket) => attachMhz19(sensor, socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const opened = await openMhz19Device(`tcp://127.0.0.1:${port}`, { now: () => now, warmupMs: 0 });
      now += 3600_000;
      const reading = await opened.sensor.readCo2();
      expect(reading).toEqual({ ppm: sensor.reading().ppm, temperatureC: sensor.reading().temperatureC });
      await opened.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a bridge that is not there: sensor.io naming the device', async () => {
    await expect(openMhz19Device('tcp://127.0.0.1:1', {})).rejects.toMatchObject({
      code: 'sensor.io',
      message: expect.stringContaining('tcp://127.0.0.1:1'),
    });
  });
});

describe('enabledSensors', () => {
  const source = (name: string): SensorSource => ({
    name,
    sensor: name,
    read: async () => null,
    close: async () => undefined,
  });
  const sources = { cpu: () => source('cpu'), co2: () => source('co2'), bme280: () => source('bme280') };

  it('a sensor runs when its flag is given or the configuration enables it, at the configured interval', () => {
    const { config } = configFromIni('[co2]\nenabled = on\ninterval_s = 120\n[cpu]\ninterval_s = 30\n', {
      env: {},
      baseDir: '/tmp',
    });
    const chosen = enabledSensors(config, { cpu: true, co2: false, bme280: false }, sources);
    expect(chosen.map((s) => [s.source.name, s.intervalMs])).toEqual([
      ['cpu', 30_000],
      ['co2', 120_000],
    ]);
    expect(
      enabledSensors(
        configFromIni('', { env: {}, baseDir: '/tmp' }).config,
        { cpu: false, co2: false, bme280: false },
        sources,
      ),
    ).toEqual([]);
  });
});
