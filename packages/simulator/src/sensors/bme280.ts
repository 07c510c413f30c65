import {
  BME280_SKIPPED_16,
  BME280_SKIPPED_20,
  type Bme280Trimming,
  compensateTemperature,
} from '@b-route/core';
import {
  DEFAULT_BME280_TRIMMING,
  encodeBme280Trimming,
  rawHumidityFor,
  rawPressureFor,
  rawTemperatureFor,
} from './bme280-trimming.js';
import { type ClimateSample, type ClimateSource, indoorClimate } from './indoor-climate.js';
import type { I2cDevice } from './virtual-i2c-bus.js';

/**
 * A virtual Bosch BME280 as an I2C target, register for register (datasheet BST-BME280-DS002,
 * chapter 5 "Global memory map and register description"):
 *
 * | reg       | name                | behaviour here                                             |
 * |-----------|---------------------|------------------------------------------------------------|
 * | 0x88–0xA1 | calib00..25         | trimming words (read-only)                                 |
 * | 0xD0      | id                  | 0x60                                                       |
 * | 0xE0      | reset               | writing 0xB6 resets all registers; reads 0x00              |
 * | 0xE1–0xE7 | calib26..32         | humidity trimming words                                    |
 * | 0xF2      | ctrl_hum            | osrs_h[2:0]; takes effect only at the next ctrl_meas write |
 * | 0xF3      | status              | measuring[3] during a conversion, im_update[0] ~2 ms after reset |
 * | 0xF4      | ctrl_meas           | osrs_t[7:5] osrs_p[4:2] mode[1:0]; forced returns to sleep |
 * | 0xF5      | config              | t_sb[7:5] filter[4:2]; writes ignored in normal mode (5.4.6) |
 * | 0xF7–0xFE | press, temp, hum    | 20/20/16-bit raw; 0x80000/0x8000 when skipped (osrs = 0)   |
 *
 * Writes are register/data pairs; reads auto-increment from the last register address written
 * (datasheet 6.2). The data registers are shadowed: a burst read never mixes two conversions, and
 * they change only when a conversion ends. Conversion time is the datasheet's typical
 * t_measure = 1 + 2·T + (2·P + 0.5) + (2·H + 0.5) ms (section 9.1, oversampling factors, terms
 * of skipped measurements dropped), measured on the injected clock.
 *
 * Raw values are found by inverting the compensation formulas, so a correct driver reads back
 * the simulated truth. Resolution follows section 3.4.x: 20 bit with the IIR filter on, otherwise
 * 16 + (osrs − 1) bit for temperature and pressure; the IIR filter (3.4.4) runs on raw values.
 */
export interface VirtualBme280Options {
  /** Simulated time, epoch ms. */
  clock: () => number;
  /** Seed of the weather. Default 1. */
  seed?: number;
  /** The room's weather. Default: `indoorClimate({ seed })`. */
  climate?: ClimateSource;
  /** Trimming words burnt into this unit. Default `DEFAULT_BME280_TRIMMING`. */
  trimming?: Bme280Trimming;
  /** Value of the id register. Default 0x60 (BME280); a BMP280 answers 0x58. */
  chipId?: number;
}

/** Fault switches; change them at any time. */
export interface Bme280Faults {
  /** The conversion never ends: status.measuring stays 1 and the data registers stay as they are. */
  stuckMeasuring: boolean;
}

export const BME280_CHIP_ID = 0x60;
export const BME280_RESET_WORD = 0xb6;

/** Oversampling factor of the 3-bit osrs codes (0 = skipped, ≥5 = ×16). */
const OVERSAMPLING = [0, 1, 2, 4, 8, 16, 16, 16] as const;
/** IIR filter coefficient of the 3-bit filter codes (1 = off). */
const FILTER = [1, 2, 4, 8, 16, 16, 16, 16] as const;
/** Standby time in normal mode, ms, of the 3-bit t_sb codes (table 27). */
const STANDBY_MS = [0.5, 62.5, 125, 250, 500, 1000, 10, 20] as const;
/** NVM copy after power-on or soft reset (start-up time, table 1: 2 ms). */
const NVM_COPY_MS = 2;
/** Normal-mode cycles replayed at most when time has jumped (the IIR memory fades long before). */
const MAX_REPLAYED_CYCLES = 200;

export class VirtualBme280 implements I2cDevice {
  readonly faults: Bme280Faults = { stuckMeasuring: false };
  readonly trimming: Readonly<Bme280Trimming>;

  readonly #clock: () => number;
  readonly #climate: ClimateSource;
  readonly #chipId: number;
  readonly #calibLow: Uint8Array;
  readonly #calibHigh: Uint8Array;

  #pointer = 0;
  #ctrlHum = 0;
  #osrsH = 0;
  #ctrlMeas = 0;
  #config = 0;
  #data = new Uint8Array(8);
  #resetAt: number;
  /** Forced conversion under way (end instant), or null. */
  #forcedEnd: number | null = null;
  /** Normal mode: when it started and the last cycle committed. */
  #normal: { start: number; lastCycle: number } | null = null;
  #filterT: number | null = null;
  #filterP: number | null = null;

  constructor(options: VirtualBme280Options) {
    this.#clock = options.clock;
    this.#climate = options.climate ?? indoorClimate({ seed: options.seed ?? 1 });
    this.trimming = Object.freeze({ ...(options.trimming ?? DEFAULT_BME280_TRIMMING) });
    this.#chipId = options.chipId ?? BME280_CHIP_ID;
    const { low, high } = encodeBme280Trimming(this.trimming);
    this.#calibLow = low;
    this.#calibHigh = high;
    this.#resetAt = this.#clock();
    this.#reset();
  }

  /** The room as it is at `at`: the values a perfect driver would report. */
  groundTruth(at: number = this.#clock()): ClimateSample {
    return this.#climate(at);
  }

  /** Register value as a read would return it now, without moving the read pointer. */
  peekRegister(reg: number): number {
    this.#sync(this.#clock());
    return this.#readRegister(reg & 0xff, this.#clock());
  }

  /** Operating mode from ctrl_meas: 'sleep' | 'forced' | 'normal'. */
  get mode(): 'sleep' | 'forced' | 'normal' {
    this.#sync(this.#clock());
    const m = this.#ctrlMeas & 0x03;
    return m === 0 ? 'sleep' : m === 3 ? 'normal' : 'forced';
  }

  i2cWrite(bytes: Uint8Array): void {
    const now = this.#clock();
    this.#sync(now);
    for (let i = 0; i < bytes.length; i += 2) {
      const reg = bytes[i]!;
      this.#pointer = reg;
      if (i + 1 < bytes.length) this.#writeRegister(reg, bytes[i + 1]!, now);
    }
  }

  i2cRead(length: number): Uint8Array {
    const now = this.#clock();
    this.#sync(now);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.#readRegister(this.#pointer, now);
      this.#pointer = (this.#pointer + 1) & 0xff;
    }
    return out;
  }

  #readRegister(reg: number, now: number): number {
    if (reg >= 0x88 && reg <= 0xa1) return this.#calibLow[reg - 0x88]!;
    if (reg >= 0xe1 && reg <= 0xe7) return this.#calibHigh[reg - 0xe1]!;
    if (reg >= 0xf7 && reg <= 0xfe) return this.#data[reg - 0xf7]!;
    switch (reg) {
      case 0xd0:
        return this.#chipId;
      case 0xf2:
        return this.#ctrlHum;
      case 0xf3:
        return (this.#measuring(now) ? 0x08 : 0) | (now - this.#resetAt < NVM_COPY_MS ? 0x01 : 0);
      case 0xf4:
        return this.#ctrlMeas;
      case 0xf5:
        return this.#config;
      default:
        return 0x00;
    }
  }

  #writeRegister(reg: number, value: number, now: number): void {
    switch (reg) {
      case 0xe0:
        if (value === BME280_RESET_WORD) {
          this.#resetAt = now;
          this.#reset();
        }
        return;
      case 0xf2:
        this.#ctrlHum = value & 0x07;
        return;
      case 0xf4:
        this.#writeCtrlMeas(value, now);
        return;
      case 0xf5: {
        if ((this.#ctrlMeas & 0x03) === 0x03) return;
        const next = value & 0xfd;
        if (((next >> 2) & 0x07) !== ((this.#config >> 2) & 0x07)) this.#clearFilter();
        this.#config = next;
        return;
      }
      default:
        return;
    }
  }

  #writeCtrlMeas(value: number, now: number): void {
    if (this.#forcedEnd !== null) {
      // A write during a forced conversion changes the settings; the conversion runs on.
      this.#ctrlMeas = (value & 0xfc) | (this.#ctrlMeas & 0x03);
      return;
    }
    this.#ctrlMeas = value;
    this.#osrsH = this.#ctrlHum;
    const mode = value & 0x03;
    this.#normal = null;
    if (mode === 0x01 || mode === 0x02) this.#forcedEnd = now + this.#measureMs();
    else if (mode === 0x03) this.#normal = { start: now, lastCycle: -1 };
  }

  #reset(): void {
    this.#pointer = 0;
    this.#ctrlHum = 0;
    this.#osrsH = 0;
    this.#ctrlMeas = 0;
    this.#config = 0;
    this.#forcedEnd = null;
    this.#normal = null;
    this.#data = Uint8Array.of(0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00);
    this.#clearFilter();
  }

  #clearFilter(): void {
    this.#filterT = null;
    this.#filterP = null;
  }

  #measureMs(): number {
    const t = OVERSAMPLING[(this.#ctrlMeas >> 5) & 0x07]!;
    const p = OVERSAMPLING[(this.#ctrlMeas >> 2) & 0x07]!;
    const h = OVERSAMPLING[this.#osrsH & 0x07]!;
    return 1 + 2 * t + (p > 0 ? 2 * p + 0.5 : 0) + (h > 0 ? 2 * h + 0.5 : 0);
  }

  #measuring(now: number): boolean {
    if (this.faults.stuckMeasuring && (this.#forcedEnd !== null || this.#normal !== null)) return true;
    if (this.#forcedEnd !== null) return now < this.#forcedEnd;
    if (this.#normal !== null) {
      const period = this.#measureMs() + STANDBY_MS[(this.#config >> 5) & 0x07]!;
      return (now - this.#normal.start) % period < this.#measureMs();
    }
    return false;
  }

  /** Finish every conversion due by `now`. */
  #sync(now: number): void {
    if (this.faults.stuckMeasuring) return;
    if (this.#forcedEnd !== null && now >= this.#forcedEnd) {
      this.#commit(this.#forcedEnd);
      this.#forcedEnd = null;
      this.#ctrlMeas &= 0xfc;
    }
    if (this.#normal !== null) {
      const tMeas = this.#measureMs();
      const period = tMeas + STANDBY_MS[(this.#config >> 5) & 0x07]!;
      const last = Math.floor((now - this.#normal.start - tMeas) / period);
      const first = Math.max(this.#normal.lastCycle + 1, last - MAX_REPLAYED_CYCLES);
      for (let k = first; k <= last; k++) this.#commit(this.#normal.start + k * period + tMeas);
      if (last > this.#normal.lastCycle) this.#normal.lastCycle = last;
    }
  }

  /** Store the result of a conversion ending at `at` in the data registers. */
  #commit(at: number): void {
    const truth = this.#climate(at);
    const osrsT = (this.#ctrlMeas >> 5) & 0x07;
    const osrsP = (this.#ctrlMeas >> 2) & 0x07;
    const coefficient = FILTER[(this.#config >> 2) & 0x07]!;

    const exactT = rawTemperatureFor(truth.temperatureC, this.trimming);
    let rawT = BME280_SKIPPED_20;
    let tFine = compensateTemperature(exactT, this.trimming).tFine;
    if (osrsT > 0) {
      this.#filterT = filtered(this.#filterT, exactT, coefficient);
      rawT = quantise(this.#filterT, coefficient, osrsT);
      tFine = compensateTemperature(rawT, this.trimming).tFine;
    }

    let rawP = BME280_SKIPPED_20;
    if (osrsP > 0) {
      const exactP = rawPressureFor(truth.pressureHpa * 100, tFine, this.trimming);
      this.#filterP = filtered(this.#filterP, exactP, coefficient);
      rawP = quantise(this.#filterP, coefficient, osrsP);
    }

    const rawH =
      (this.#osrsH & 0x07) > 0 ? rawHumidityFor(truth.humidityPct, tFine, this.trimming) : BME280_SKIPPED_16;

    this.#data = Uint8Array.of(
      (rawP >> 12) & 0xff,
      (rawP >> 4) & 0xff,
      (rawP & 0x0f) << 4,
      (rawT >> 12) & 0xff,
      (rawT >> 4) & 0xff,
      (rawT & 0x0f) << 4,
      (rawH >> 8) & 0xff,
      rawH & 0xff,
    );
  }
}

/** One step of the IIR filter: (old · (c − 1) + new) / c; the first sample seeds it. */
function filtered(previous: number | null, sample: number, coefficient: number): number {
  if (previous === null || coefficient === 1) return sample;
  return (previous * (coefficient - 1) + sample) / coefficient;
}

/** A raw value as delivered: 20 bit with the filter on, else 16 + (osrs − 1) bit. */
function quantise(value: number, coefficient: number, osrsCode: number): number {
  const bits = coefficient > 1 ? 20 : Math.min(20, 16 + osrsCode - 1);
  const step = 2 ** (20 - bits);
  return Math.min(0xfffff, Math.max(0, Math.round(value / step) * step));
}
