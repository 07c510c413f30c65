import { SensorError } from './errors.js';

/**
 * CPU temperature through `systeminformation.cpuTemperature()`. Its `main` field is null (or -1
 * on some platforms) when the machine exposes no thermal sensor: containers, most VMs, some ARM
 * boards without a thermal zone.
 */

/** What `systeminformation.cpuTemperature()` resolves to (the fields used here). */
export interface CpuTemperatureSample {
  main: number | null;
}

export type CpuTemperatureReader = () => Promise<CpuTemperatureSample>;

export interface CpuTemperatureOptions {
  /** Source of readings. Default `systeminformation.cpuTemperature` (loaded on first use). */
  reader?: CpuTemperatureReader;
}

/** A reader bound to systeminformation, imported lazily so tests and non-Pi tools never load it. */
export const systemCpuTemperature: CpuTemperatureReader = async () => {
  const si = await import('systeminformation');
  const data = await si.cpuTemperature();
  return { main: data.main };
};

/**
 * Read the CPU temperature in °C.
 * @throws SensorError `sensor.unavailable` when there is no value (null, -1, not a number);
 *   `sensor.io` when the reader itself fails.
 */
export async function readCpuTemperature(options: CpuTemperatureOptions = {}): Promise<number> {
  const reader = options.reader ?? systemCpuTemperature;
  let sample: CpuTemperatureSample;
  try {
    sample = await reader();
  } catch (cause) {
    throw new SensorError('sensor.io', 'reading the CPU temperature failed', { cause });
  }
  const main = sample.main;
  if (main === null || main === undefined || !Number.isFinite(main) || main === -1) {
    throw new SensorError('sensor.unavailable', 'this machine reports no CPU temperature', {
      context: { main },
    });
  }
  return main;
}
