import {
  compensateHumidity,
  compensatePressure,
  compensateTemperature,
  parseBme280Trimming,
} from '@b-route/core';
import { describe, expect, it } from 'vitest';
import {
  encodeBme280Trimming,
  invertMonotonic,
  rawHumidityFor,
  rawPressureFor,
  rawTemperatureFor,
  DEFAULT_BME280_TRIMMING as TRIM,
} from './bme280-trimming.js';

describe('BME280 trimming (simulator side)', () => {
  it('inverts each formula to the nearest raw value', () => {
    for (const celsius of [-10, 0.5, 21.37, 35]) {
      const raw = rawTemperatureFor(celsius, TRIM);
      const here = Math.abs(compensateTemperature(raw, TRIM).celsius - celsius);
      expect(here).toBeLessThanOrEqual(Math.abs(compensateTemperature(raw + 1, TRIM).celsius - celsius));
      expect(here).toBeLessThanOrEqual(Math.abs(compensateTemperature(raw - 1, TRIM).celsius - celsius));
      const { tFine } = compensateTemperature(raw, TRIM);
      for (const pa of [95000, 101325, 103000]) {
        const p = rawPressureFor(pa, tFine, TRIM);
        // One raw count is ~0.17 Pa with these trimming words.
        expect(Math.abs(compensatePressure(p, tFine, TRIM) - pa)).toBeLessThan(0.1);
      }
      for (const rh of [5, 45.3, 99]) {
        const h = rawHumidityFor(rh, tFine, TRIM);
        expect(Math.abs(compensateHumidity(h, tFine, TRIM) - rh)).toBeLessThan(0.004);
      }
    }
  });

  it('finds the closest integer for falling functions too', () => {
    expect(invertMonotonic((x) => 100 - 2 * x, 37, 0, 100)).toBe(31);
    expect(invertMonotonic((x) => x * 10, 44, 0, 100)).toBe(4);
    expect(invertMonotonic((x) => x * 10, 46, 0, 100)).toBe(5);
  });

  it('stores the words little-endian with dig_H4/dig_H5 sharing 0xE5', () => {
    const { low, high } = encodeBme280Trimming(TRIM);
    expect(low.length).toBe(26);
    expect([low[0], low[1]]).toEqual([27504 & 0xff, 27504 >> 8]);
    expect([low[4], low[5]]).toEqual([0x18, 0xfc]); // T3 = -1000 = 0xFC18
    expect(low[25]).toBe(75);
    // H2 = 362 = 0x016A, H3 = 0, H4 = 313 = 0x139, H5 = 50 = 0x032, H6 = 30.
    expect(Array.from(high)).toEqual([0x6a, 0x01, 0x00, 0x13, 0x29, 0x03, 0x1e]);
    // What the driver parses from these registers is what was burnt in.
    expect(parseBme280Trimming(low, high)).toEqual(TRIM);
    const negative = { ...TRIM, H4: -349, H5: -30, H6: -5 };
    const encoded = encodeBme280Trimming(negative);
    expect(parseBme280Trimming(encoded.low, encoded.high)).toEqual(negative);
  });

  it('encodes negative 12-bit humidity words', () => {
    const { high } = encodeBme280Trimming({ ...TRIM, H4: -349, H5: -30 });
    // -349 = 0xEA3 (12 bit) → E4 = 0xEA, E5[3:0] = 3; -30 = 0xFE2 → E6 = 0xFE, E5[7:4] = 2.
    expect([high[3], high[4], high[5]]).toEqual([0xea, 0x23, 0xfe]);
  });
});
