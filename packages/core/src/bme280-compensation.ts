/**
 * BME280 trimming words and compensation, pure functions (Bosch BME280 datasheet BST-BME280-DS002:
 * table 16 / section 4.2.2 for the storage of the words, section 8.1 for the double-precision
 * formulas). The poller's driver compensates with them; the simulator's virtual sensor inverts them.
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

/** Raw ADC values of one burst read of 0xF7..0xFE. */
export interface Bme280Raw {
  /** 20-bit; 0x80000 when pressure measurement was skipped. */
  adcP: number;
  /** 20-bit; 0x80000 when temperature measurement was skipped. */
  adcT: number;
  /** 16-bit; 0x8000 when humidity measurement was skipped. */
  adcH: number;
}

/**
 * Temperature and pressure words of the worked example in the BMP280 datasheet (BST-BMP280-DS001,
 * section 3.12: adc_T 519888 → 25.08 °C, adc_P 415148 → 100653.27 Pa); the BME280 uses the same
 * words and formulas. Humidity words as read from a typical BME280 module.
 */
export const BME280_EXAMPLE_TRIMMING: Readonly<Bme280Trimming> = Object.freeze({
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

export const BME280_SKIPPED_20 = 0x80000;
export const BME280_SKIPPED_16 = 0x8000;

/**
 * Parse the trimming words: `low` = 26 bytes from 0x88 (calib00..25, 0xA0 unused, dig_H1 at
 * 0xA1), `high` = 7 bytes from 0xE1 (calib26..32). dig_H4 and dig_H5 are signed 12-bit values
 * sharing register 0xE5: H4 = 0xE4[7:0] << 4 | 0xE5[3:0], H5 = 0xE6[7:0] << 4 | 0xE5[7:4].
 */
export function parseBme280Trimming(low: Uint8Array, high: Uint8Array): Bme280Trimming {
  const lo = new DataView(low.buffer, low.byteOffset, low.byteLength);
  const hi = new DataView(high.buffer, high.byteOffset, high.byteLength);
  return {
    T1: lo.getUint16(0, true),
    T2: lo.getInt16(2, true),
    T3: lo.getInt16(4, true),
    P1: lo.getUint16(6, true),
    P2: lo.getInt16(8, true),
    P3: lo.getInt16(10, true),
    P4: lo.getInt16(12, true),
    P5: lo.getInt16(14, true),
    P6: lo.getInt16(16, true),
    P7: lo.getInt16(18, true),
    P8: lo.getInt16(20, true),
    P9: lo.getInt16(22, true),
    H1: lo.getUint8(25),
    H2: hi.getInt16(0, true),
    H3: hi.getUint8(2),
    H4: hi.getInt8(3) * 16 + (hi.getUint8(4) & 0x0f),
    H5: hi.getInt8(5) * 16 + (hi.getUint8(4) >> 4),
    H6: hi.getInt8(6),
  };
}

/** Split the 8 bytes of 0xF7..0xFE into raw values (msb, lsb, xlsb[7:4]). */
export function decodeBme280Raw(data: Uint8Array): Bme280Raw {
  return {
    adcP: (data[0]! << 12) | (data[1]! << 4) | (data[2]! >> 4),
    adcT: (data[3]! << 12) | (data[4]! << 4) | (data[5]! >> 4),
    adcH: (data[6]! << 8) | data[7]!,
  };
}

/**
 * Temperature in °C, and t_fine for the pressure and humidity formulas (a 32-bit integer in
 * the datasheet's C code, hence truncated).
 */
export function compensateTemperature(adcT: number, c: Bme280Trimming): { celsius: number; tFine: number } {
  const var1 = (adcT / 16384 - c.T1 / 1024) * c.T2;
  const var2 = (adcT / 131072 - c.T1 / 8192) * (adcT / 131072 - c.T1 / 8192) * c.T3;
  return { celsius: (var1 + var2) / 5120, tFine: Math.trunc(var1 + var2) };
}

/** Pressure in Pa (0 when the trimming words would divide by zero, as in the datasheet). */
export function compensatePressure(adcP: number, tFine: number, c: Bme280Trimming): number {
  let var1 = tFine / 2 - 64000;
  let var2 = (var1 * var1 * c.P6) / 32768;
  var2 = var2 + var1 * c.P5 * 2;
  var2 = var2 / 4 + c.P4 * 65536;
  var1 = ((c.P3 * var1 * var1) / 524288 + c.P2 * var1) / 524288;
  var1 = (1 + var1 / 32768) * c.P1;
  if (var1 === 0) return 0;
  let p = 1048576 - adcP;
  p = ((p - var2 / 4096) * 6250) / var1;
  var1 = (c.P9 * p * p) / 2147483648;
  var2 = (p * c.P8) / 32768;
  return p + (var1 + var2 + c.P7) / 16;
}

/** Relative humidity in %, clamped to 0..100 as in the datasheet. */
export function compensateHumidity(adcH: number, tFine: number, c: Bme280Trimming): number {
  let h = tFine - 76800;
  h =
    (adcH - (c.H4 * 64 + (c.H5 / 16384) * h)) *
    ((c.H2 / 65536) * (1 + (c.H6 / 67108864) * h * (1 + (c.H3 / 67108864) * h)));
  h = h * (1 - (c.H1 * h) / 524288);
  return Math.min(100, Math.max(0, h));
}

export interface Bme280Measurement {
  /** °C, or null when temperature was skipped (oversampling 0). */
  temperatureC: number | null;
  /** hPa, or null when pressure (or the temperature it needs) was skipped. */
  pressureHpa: number | null;
  /** %RH, or null when humidity (or the temperature it needs) was skipped. */
  humidityPct: number | null;
}

/** Compensate one burst of raw values; skipped channels (and those that need t_fine) are null. */
export function compensateBme280(raw: Bme280Raw, c: Bme280Trimming): Bme280Measurement {
  if (raw.adcT === BME280_SKIPPED_20) return { temperatureC: null, pressureHpa: null, humidityPct: null };
  const { celsius, tFine } = compensateTemperature(raw.adcT, c);
  return {
    temperatureC: celsius,
    pressureHpa: raw.adcP === BME280_SKIPPED_20 ? null : compensatePressure(raw.adcP, tFine, c) / 100,
    humidityPct: raw.adcH === BME280_SKIPPED_16 ? null : compensateHumidity(raw.adcH, tFine, c),
  };
}
