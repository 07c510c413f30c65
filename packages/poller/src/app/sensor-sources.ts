/**
 * The three sensors of seed 003 as `SensorSource`s: CPU temperature (`-t`), MH-Z19 CO2 over a
 * UART (`-c`), BME280 over I2C (`-b`). Each opens its device lazily and again after an I/O
 * failure, so a sensor plugged in late, or a loose wire, heals by itself.
 */

import type { StoreLogger } from '@b-route/store';
import type { Bme280 } from '../sensors/bme280.js';
import { type CpuTemperatureReader, readCpuTemperature } from '../sensors/cpu-temperature.js';
import { isSensorError } from '../sensors/errors.js';
import type { Mhz19 } from '../sensors/mhz19.js';
import type { SensorSource } from './sensor-loop.js';

/** A device handle with its release. */
export interface Opened<T> {
  readonly sensor: T;
  close(): Promise<void>;
}

export function cpuSource(options: { sensor: string; reader?: CpuTemperatureReader }): SensorSource {
  return {
    name: 'cpu',
    sensor: options.sensor,
    async read(at) {
      const celsius = await readCpuTemperature(options.reader ? { reader: options.reader } : {});
      return { kind: 'cpu_temperature', row: { sensor: options.sensor, time: new Date(at()), celsius } };
    },
    close: async () => undefined,
  };
}

/**
 * Opens `open()` on first use; after a failure of kind `reopenOn` the handle is closed and the
 * next read opens it again.
 */
function lazyDevice<T>(open: () => Promise<Opened<T>>, logger: StoreLogger, sensor: string) {
  let handle: Promise<Opened<T>> | undefined;
  const close = async (): Promise<void> => {
    const h = handle;
    handle = undefined;
    if (!h) return;
    const opened = await h.catch(() => undefined);
    await opened?.close();
  };
  return {
    async use<R>(fn: (device: T) => Promise<R>): Promise<R> {
      if (!handle) {
        handle = open();
        handle.catch(() => undefined);
      }
      let opened: Opened<T>;
      try {
        opened = await handle;
      } catch (err) {
        handle = undefined;
        throw err;
      }
      try {
        return await fn(opened.sensor);
      } catch (err) {
        // A port or bus error can mean the device went away (USB unplugged): reopen next time.
        if (isSensorError(err, 'sensor.io')) {
          logger.debug({ sensor }, 'reopening the device after an I/O error');
          await close().catch(() => undefined);
        }
        throw err;
      }
    },
    close,
  };
}

export interface Co2SourceOptions {
  /** The `sensor` column (the device path). */
  readonly sensor: string;
  /** Opens the port and the driver (`openMhz19(path, { now, warmupMs })`). */
  readonly open: () => Promise<Opened<Mhz19>>;
  /** Automatic baseline correction, sent once after each open; undefined leaves the sensor as it is. */
  readonly abc?: boolean;
  readonly logger: StoreLogger;
}

export function co2Source(options: Co2SourceOptions): SensorSource {
  const device = lazyDevice(
    async () => {
      const opened = await options.open();
      if (options.abc !== undefined) {
        try {
          await opened.sensor.setAbc(options.abc);
        } catch (err) {
          await opened.close().catch(() => undefined);
          throw err;
        }
      }
      return opened;
    },
    options.logger,
    options.sensor,
  );
  return {
    name: 'co2',
    sensor: options.sensor,
    read: (at) =>
      device.use(async (mhz19) => {
        const reading = await mhz19.readCo2();
        if (reading.ppm === null) return null;
        return {
          kind: 'co2_sample',
          row: {
            sensor: options.sensor,
            time: new Date(at()),
            ppm: reading.ppm,
            temperature_c: reading.temperatureC,
          },
        };
      }),
    close: () => device.close(),
  };
}

export interface Bme280SourceOptions {
  /** The `sensor` column, e.g. `i2c-1:0x76`. */
  readonly sensor: string;
  /** Opens the bus and the driver (`openBme280(bus, options)`). */
  readonly open: () => Promise<Opened<Bme280>>;
  readonly logger: StoreLogger;
}

export function bme280Source(options: Bme280SourceOptions): SensorSource {
  const device = lazyDevice(options.open, options.logger, options.sensor);
  let warned = false;
  return {
    name: 'bme280',
    sensor: options.sensor,
    read: (at) =>
      device.use(async (bme) => {
        const m = await bme.read();
        if (m.temperatureC === null || m.pressureHpa === null || m.humidityPct === null) {
          // bme280_sample needs all three; an oversampling of 0 skips a channel.
          if (!warned) {
            warned = true;
            options.logger.warn(
              { sensor: options.sensor },
              'BME280 readings lack a channel (oversampling 0): not stored',
            );
          }
          return null;
        }
        return {
          kind: 'bme280_sample',
          row: {
            sensor: options.sensor,
            time: new Date(at()),
            temperature_c: m.temperatureC,
            pressure_hpa: m.pressureHpa,
            humidity_pct: m.humidityPct,
          },
        };
      }),
    close: () => device.close(),
  };
}

/** The `sensor` column of a BME280: `i2c-<bus>:0x<address>`. */
export function bme280SensorName(bus: number, address: number): string {
  return `i2c-${bus}:0x${address.toString(16).padStart(2, '0')}`;
}
