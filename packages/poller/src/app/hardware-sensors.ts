/**
 * The real sensors behind `-t`, `-c` and `-b`, configured from power_consumption.ini:
 * systeminformation for the CPU, an MH-Z19 on a UART (or a serial-to-TCP bridge), a BME280 on
 * /dev/i2c-N. Devices are opened on first reading, not here.
 */

import { connect } from 'node:net';
import { hostname } from 'node:os';
import type { Clock } from '@b-route/echonet';
import type { StoreLogger } from '@b-route/store';
import type { PollerConfig } from '../config/load-config.js';
import { openBme280 } from '../sensors/bme280-open.js';
import { SensorError } from '../sensors/errors.js';
import { Mhz19, type Mhz19Options } from '../sensors/mhz19.js';
import { openMhz19 } from '../sensors/mhz19-open.js';
import { sleep } from './clock.js';
import type { PollerSensor } from './poller.js';
import type { SensorSource } from './sensor-loop.js';
import { bme280SensorName, bme280Source, co2Source, cpuSource, type Opened } from './sensor-sources.js';

export interface SensorChoice {
  readonly cpu: boolean;
  readonly co2: boolean;
  readonly bme280: boolean;
}

/** Sensors chosen on the command line or enabled in the configuration, each with its interval. */
export function enabledSensors(
  config: PollerConfig,
  flags: SensorChoice,
  sources: { cpu: () => SensorSource; co2: () => SensorSource; bme280: () => SensorSource },
): PollerSensor[] {
  const out: PollerSensor[] = [];
  if (flags.cpu || config.cpu.enabled)
    out.push({ source: sources.cpu(), intervalMs: config.cpu.intervalS * 1000 });
  if (flags.co2 || config.co2.enabled)
    out.push({ source: sources.co2(), intervalMs: config.co2.intervalS * 1000 });
  if (flags.bme280 || config.bme280.enabled) {
    out.push({ source: sources.bme280(), intervalMs: config.bme280.intervalS * 1000 });
  }
  return out;
}

export function hardwareSensorSources(config: PollerConfig, clock: Clock, logger: StoreLogger) {
  const now = () => clock.now();
  return {
    cpu: () => cpuSource({ sensor: hostname() }),
    co2: () =>
      co2Source({
        sensor: config.co2.device,
        abc: config.co2.abc,
        logger,
        open: () => openMhz19Device(config.co2.device, { now, warmupMs: config.co2.warmupS * 1000 }),
      }),
    bme280: () => {
      const b = config.bme280;
      return bme280Source({
        sensor: bme280SensorName(b.bus, b.address),
        logger,
        open: () =>
          openBme280(b.bus, {
            address: b.address,
            oversampling: { temperature: b.osrsT, pressure: b.osrsP, humidity: b.osrsH },
            filter: b.filter,
            standbyMs: b.standbyMs,
            now,
            sleep: (ms) => sleep(clock, ms),
          }),
      });
    },
  };
}

/**
 * An MH-Z19 on a serial device, or behind a serial-to-TCP bridge (`tcp://host:port`: ser2net,
 * a Wi-Fi serial adapter) at the sensor's 9600 8N1.
 * @throws SensorError `sensor.io` when the port or the connection cannot be opened.
 */
export async function openMhz19Device(device: string, options: Mhz19Options): Promise<Opened<Mhz19>> {
  const tcp = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/i.exec(device);
  if (!tcp) return openMhz19(device, options);
  const host = tcp[1]!.replace(/^\[|\]$/g, '');
  const port = Number(tcp[2]);
  const socket = connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', (err) =>
      reject(
        new SensorError('sensor.io', `cannot connect to ${device}: ${err.message}`, {
          context: { device },
          cause: err,
        }),
      ),
    );
  });
  socket.on('error', () => undefined);
  return {
    sensor: new Mhz19(socket, options),
    close: async () => {
      socket.destroy();
    },
  };
}
