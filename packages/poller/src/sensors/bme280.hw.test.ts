import { describe, expect, it } from 'vitest';
import { openBme280 } from './bme280-open.js';

/**
 * Needs a BME280 wired to a Linux I2C bus. The workspace vitest config leaves `*.hw.test.ts` out,
 * so run it without that config:
 *   I2C_BUS=1 npx vitest run --config /dev/null packages/poller/src/sensors/bme280.hw.test.ts
 * (`BME280_ADDRESS=0x77` when SDO is tied high). Without I2C_BUS the suite is skipped.
 */
const busNumber = process.env.I2C_BUS;
const address = process.env.BME280_ADDRESS ? Number(process.env.BME280_ADDRESS) : 0x76;

describe.skipIf(busNumber === undefined)('BME280 on a real I2C bus', () => {
  it('reads plausible indoor values in forced mode', async () => {
    const { sensor, close } = await openBme280(Number(busNumber), {
      address,
      oversampling: { temperature: 2, pressure: 4, humidity: 1 },
      filter: 0,
    });
    try {
      expect(sensor.calibration.T1).toBeGreaterThan(0);
      const m = await sensor.read();
      expect(m.temperatureC).toBeGreaterThan(-10);
      expect(m.temperatureC).toBeLessThan(50);
      expect(m.pressureHpa).toBeGreaterThan(850);
      expect(m.pressureHpa).toBeLessThan(1090);
      expect(m.humidityPct).toBeGreaterThanOrEqual(0);
      expect(m.humidityPct).toBeLessThanOrEqual(100);
    } finally {
      await close();
    }
  });
});
