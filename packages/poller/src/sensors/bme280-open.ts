import { Bme280, type Bme280Options } from './bme280.js';
import { SensorError } from './errors.js';

/** A BME280 on a real Linux I2C bus, with the bus to close when done. */
export interface OpenedBme280 {
  sensor: Bme280;
  close(): Promise<void>;
}

/**
 * Open `/dev/i2c-<busNumber>` with `i2c-bus` (bus 1 on a Raspberry Pi's GPIO header) and set up
 * the BME280 on it. `i2c-bus` is a native module, imported here only, so nothing else loads it.
 * @throws SensorError `sensor.io` when the bus cannot be opened; otherwise as `Bme280.open`.
 */
export async function openBme280(busNumber: number, options: Bme280Options = {}): Promise<OpenedBme280> {
  let bus: import('i2c-bus').PromisifiedBus;
  try {
    const i2c = await import('i2c-bus');
    bus = await i2c.openPromisified(busNumber);
  } catch (cause) {
    throw new SensorError('sensor.io', `cannot open I2C bus ${busNumber}`, { context: { busNumber }, cause });
  }
  try {
    const sensor = await Bme280.open(bus, options);
    return { sensor, close: () => bus.close() };
  } catch (error) {
    await bus.close().catch(() => undefined);
    throw error;
  }
}
