/**
 * The simulator's side of the BME280 trimming words: their register images, and the inverse of
 * `@b-route/core`'s datasheet compensation (section 8.1): the virtual sensor picks the raw ADC
 * value that the formulas turn into the simulated truth. Each formula is monotonic in its raw
 * input over the valid range, so a binary search over the integer raw values finds the closest one.
 */
import {
  BME280_EXAMPLE_TRIMMING,
  type Bme280Trimming,
  compensateHumidity,
  compensatePressure,
  compensateTemperature,
} from '@b-route/core';

/** The words a virtual sensor carries unless told otherwise: the datasheet's worked example. */
export const DEFAULT_BME280_TRIMMING: Readonly<Bme280Trimming> = BME280_EXAMPLE_TRIMMING;

/**
 * Register images of the trimming words: `calib00_25` for 0x88..0xA1 (0xA0 unused) and
 * `calib26_32` for 0xE1..0xE7, little-endian words, dig_H4/dig_H5 as 12-bit values sharing 0xE5.
 */
export function encodeBme280Trimming(t: Bme280Trimming): { low: Uint8Array; high: Uint8Array } {
  const low = new Uint8Array(26);
  const words = [t.T1, t.T2, t.T3, t.P1, t.P2, t.P3, t.P4, t.P5, t.P6, t.P7, t.P8, t.P9];
  words.forEach((w, i) => {
    low[2 * i] = w & 0xff;
    low[2 * i + 1] = (w >> 8) & 0xff;
  });
  low[0x19] = t.H1 & 0xff;
  const high = new Uint8Array(7);
  high[0] = t.H2 & 0xff;
  high[1] = (t.H2 >> 8) & 0xff;
  high[2] = t.H3 & 0xff;
  high[3] = (t.H4 >> 4) & 0xff;
  high[4] = (t.H4 & 0x0f) | ((t.H5 & 0x0f) << 4);
  high[5] = (t.H5 >> 4) & 0xff;
  high[6] = t.H6 & 0xff;
  return { low, high };
}

/**
 * The integer in [lo, hi] whose `f` is closest to `target`, for `f` monotonic (either way).
 */
export function invertMonotonic(f: (raw: number) => number, target: number, lo: number, hi: number): number {
  const rising = f(hi) >= f(lo);
  let a = lo;
  let b = hi;
  // Invariant: the first raw with f(raw) >= target (rising) lies in [a, b].
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    const v = f(mid);
    if (rising ? v >= target : v <= target) b = mid;
    else a = mid + 1;
  }
  if (a > lo && Math.abs(f(a - 1) - target) <= Math.abs(f(a) - target)) return a - 1;
  return a;
}

/** Raw 20-bit temperature giving `celsius`. */
export function rawTemperatureFor(celsius: number, t: Bme280Trimming): number {
  return invertMonotonic((raw) => compensateTemperature(raw, t).celsius, celsius, 0, 0xfffff);
}

/** Raw 20-bit pressure giving `pascal` at `tFine`. */
export function rawPressureFor(pascal: number, tFine: number, t: Bme280Trimming): number {
  return invertMonotonic((raw) => compensatePressure(raw, tFine, t), pascal, 0, 0xfffff);
}

/** Raw 16-bit humidity giving `percent` at `tFine`. */
export function rawHumidityFor(percent: number, tFine: number, t: Bme280Trimming): number {
  return invertMonotonic((raw) => compensateHumidity(raw, tFine, t), percent, 0, 0xffff);
}
