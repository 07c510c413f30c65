import { VirtualCpu } from '@b-route/simulator';
import { describe, expect, it } from 'vitest';
import { readCpuTemperature } from './cpu-temperature.js';
import { isSensorError } from './errors.js';

describe('readCpuTemperature', () => {
  it('returns the main temperature of the reader', async () => {
    expect(await readCpuTemperature({ reader: async () => ({ main: 48.3 }) })).toBe(48.3);
  });

  it('reads the virtual CPU through its systeminformation-shaped answer', async () => {
    const cpu = new VirtualCpu({ clock: () => Date.UTC(2024, 3, 1, 12), seed: 2 });
    expect(await readCpuTemperature({ reader: () => cpu.cpuTemperature() })).toBe(await cpu.read());
  });

  it.each([null, -1, Number.NaN])('maps main = %s to sensor.unavailable', async (main) => {
    const error = await readCpuTemperature({ reader: async () => ({ main }) }).catch((e: unknown) => e);
    expect(isSensorError(error, 'sensor.unavailable')).toBe(true);
    if (isSensorError(error)) expect(error.isRetryable()).toBe(false);
  });

  it('maps a failing reader to sensor.io with the cause', async () => {
    const cause = new Error('EACCES');
    const error = await readCpuTemperature({
      reader: async () => {
        throw cause;
      },
    }).catch((e: unknown) => e);
    expect(isSensorError(error, 'sensor.io')).toBe(true);
    if (isSensorError(error)) expect(error.cause).toBe(cause);
  });

  it('reads this machine through systeminformation: a temperature or sensor.unavailable', async () => {
    try {
      const celsius = await readCpuTemperature();
      expect(celsius).toBeGreaterThan(0);
      expect(celsius).toBeLessThan(120);
    } catch (error) {
      expect(isSensorError(error, 'sensor.unavailable')).toBe(true);
    }
  });
});
