import { describe, expect, it } from 'vitest';
import {
  BME280_EXAMPLE_TRIMMING,
  compensateBme280,
  compensateHumidity,
  compensatePressure,
  compensateTemperature,
  decodeBme280Raw,
  parseBme280Trimming,
} from './bme280-compensation.js';

const EXAMPLE = BME280_EXAMPLE_TRIMMING;

describe('BME280 compensation', () => {
  it('reproduces the datasheet example: adc_T 519888 → 25.08 °C, t_fine 128422; adc_P 415148 → 100653.27 Pa', () => {
    const t = compensateTemperature(519888, EXAMPLE);
    expect(t.tFine).toBe(128422);
    expect(t.celsius).toBeCloseTo(25.08, 2);
    // The table's 100653.27 Pa; the double formula with the C code's int32 t_fine gives 100653.26.
    expect(Math.abs(compensatePressure(415148, t.tFine, EXAMPLE) - 100653.27)).toBeLessThan(0.02);
  });

  it('parses trimming bytes, including the 12-bit dig_H4/dig_H5 that share 0xE5', () => {
    const low = new Uint8Array(26);
    const view = new DataView(low.buffer);
    const words = [27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000];
    words.forEach((w, i) => {
      if (i === 0 || i === 3) view.setUint16(2 * i, w, true);
      else view.setInt16(2 * i, w, true);
    });
    low[24] = 0xaa; // 0xA0 is not a trimming word
    low[25] = 75;
    // H2 = 362; H3 = 0; H4 = -349 (0xEA3); H5 = -30 (0xFE2); H6 = -5.
    const high = Uint8Array.of(0x6a, 0x01, 0x00, 0xea, 0x23, 0xfe, 0xfb);
    expect(parseBme280Trimming(low, high)).toEqual({ ...EXAMPLE, H4: -349, H5: -30, H6: -5 });
    expect(parseBme280Trimming(low, Uint8Array.of(0x6a, 0x01, 0x00, 0x13, 0x29, 0x03, 0x1e))).toEqual(
      EXAMPLE,
    );
  });

  it('splits the data registers into 20/20/16-bit raw values', () => {
    // 65 5A C0 | 7E ED 00 | 61 A8: the datasheet example's adc_P and adc_T, adc_H 25000.
    expect(decodeBme280Raw(Uint8Array.of(0x65, 0x5a, 0xc0, 0x7e, 0xed, 0x00, 0x61, 0xa8))).toEqual({
      adcP: 415148,
      adcT: 519888,
      adcH: 25000,
    });
  });

  it('clamps humidity to 0..100 %', () => {
    const { tFine } = compensateTemperature(519888, EXAMPLE);
    expect(compensateHumidity(0, tFine, EXAMPLE)).toBe(0);
    expect(compensateHumidity(65535, tFine, EXAMPLE)).toBe(100);
    const mid = compensateHumidity(29000, tFine, EXAMPLE);
    expect(mid).toBeGreaterThan(30);
    expect(mid).toBeLessThan(70);
  });

  it('returns null for skipped channels and for channels that need the skipped temperature', () => {
    expect(compensateBme280({ adcP: 415148, adcT: 0x80000, adcH: 25000 }, EXAMPLE)).toEqual({
      temperatureC: null,
      pressureHpa: null,
      humidityPct: null,
    });
    const partial = compensateBme280({ adcP: 0x80000, adcT: 519888, adcH: 0x8000 }, EXAMPLE);
    expect(partial.temperatureC).toBeCloseTo(25.08, 2);
    expect(partial.pressureHpa).toBeNull();
    expect(partial.humidityPct).toBeNull();
    expect(compensateBme280({ adcP: 415148, adcT: 519888, adcH: 0x8000 }, EXAMPLE).pressureHpa).toBeCloseTo(
      1006.53,
      2,
    );
  });
});
