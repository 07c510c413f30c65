/**
 * BME280 trimming parameters and the datasheet's double-precision compensation (Bosch BME280
 * datasheet BST-BME280-DS002, section 4.2.2 storage and 8.1 formulas), together with their
 * inverse: the virtual sensor picks the raw ADC value that the formulas turn into the simulated
 * truth. Each formula is monotonic in its raw input over the valid range, so a binary search
 * over the integer raw values finds the closest one.
 */
export interface Bme280Trimming {
  T1: number;
  T2: number;
  T3: number;
  P1: number;
  P2: number;
  P3: number;
  P4: number;
  P5: number;
  P6: number;
  P7: number;
  P8: number;
  P9: number;
  H1: number;
  H2: number;
  H3: number;
  H4: number;
  H5: number;
  H6: number;
}

/**
 * Temperature and pressure words of the worked example in the BMP280 datasheet (BST-BMP280-DS001,
 * section 3.12: adc_T 519888 → 25.08 °C, adc_P 415148 → 100653.27 Pa); the BME280 uses the same
 * words and formulas. Humidity words as read from a typical BME280 module.
 */
export const DEFAULT_BME280_TRIMMING: Readonly<Bme280Trimming> = Object.freeze({
  T1: 27504,
  T2: 26435,
  T3: -1000,
  P1: 36477,
  P2: -10685,
  P3: 3024,
  P4: 2855,
  P5: 140,
  P6: -7,
  P7: 15500,
  P8: -14600,
  P9: 6000,
  H1: 75,
  H2: 362,
  H3: 0,
  H4: 313,
  H5: 50,
  H6: 30,
});

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

/** Datasheet 8.1: temperature in °C and t_fine (truncated to a 32-bit integer as in C). */
export function compensateTemperature(adcT: number, t: Bme280Trimming): { celsius: number; tFine: number } {
  const a = (adcT / 16384 - t.T1 / 1024) * t.T2;
  const b = (adcT / 131072 - t.T1 / 8192) * (adcT / 131072 - t.T1 / 8192) * t.T3;
  return { celsius: (a + b) / 5120, tFine: Math.trunc(a + b) };
}

/** Datasheet 8.1: pressure in Pa. */
export function compensatePressure(adcP: number, tFine: number, t: Bme280Trimming): number {
  let var1 = tFine / 2 - 64000;
  let var2 = (var1 * var1 * t.P6) / 32768;
  var2 = var2 + var1 * t.P5 * 2;
  var2 = var2 / 4 + t.P4 * 65536;
  var1 = ((t.P3 * var1 * var1) / 524288 + t.P2 * var1) / 524288;
  var1 = (1 + var1 / 32768) * t.P1;
  if (var1 === 0) return 0;
  let p = 1048576 - adcP;
  p = ((p - var2 / 4096) * 6250) / var1;
  var1 = (t.P9 * p * p) / 2147483648;
  var2 = (p * t.P8) / 32768;
  return p + (var1 + var2 + t.P7) / 16;
}

/** Datasheet 8.1: relative humidity in %, clamped to 0..100. */
export function compensateHumidity(adcH: number, tFine: number, t: Bme280Trimming): number {
  let h = tFine - 76800;
  h =
    (adcH - (t.H4 * 64 + (t.H5 / 16384) * h)) *
    ((t.H2 / 65536) * (1 + (t.H6 / 67108864) * h * (1 + (t.H3 / 67108864) * h)));
  h = h * (1 - (t.H1 * h) / 524288);
  return Math.min(100, Math.max(0, h));
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
