import {
  type Bme280Measurement,
  type Bme280Raw,
  type Bme280Trimming,
  compensateBme280,
  decodeBme280Raw,
  parseBme280Trimming,
} from '@b-route/core';
import type { PromisifiedBus } from 'i2c-bus';
import { SensorError } from './errors.js';

/**
 * Driver for a Bosch BME280 on I2C, over the `i2c-bus` promise interface. Each `read()` runs one
 * forced-mode conversion (datasheet BST-BME280-DS002 section 3.3.3: the sensor measures once and
 * returns to sleep), the mode Bosch recommends for weather monitoring at one sample a minute
 * (section 3.5.1).
 */

/** The calls of `i2c-bus`'s `PromisifiedBus` the driver makes. */
export type Bme280Bus = Pick<PromisifiedBus, 'readByte' | 'writeByte' | 'readI2cBlock'>;

/** Oversampling factor; 0 skips the measurement (its result is null). */
export type Bme280Oversampling = 0 | 1 | 2 | 4 | 8 | 16;
/** IIR filter coefficient; 0 = off. */
export type Bme280Filter = 0 | 2 | 4 | 8 | 16;
/** Standby between normal-mode conversions, ms (table 27); written to config, unused in forced mode. */
export type Bme280StandbyMs = 0.5 | 10 | 20 | 62.5 | 125 | 250 | 500 | 1000;

export interface Bme280Options {
  /** 7-bit address: 0x76 with SDO to GND, 0x77 with SDO to VDDIO. Default 0x76. */
  address?: number;
  /** Oversampling per channel. Default ×1 each (weather monitoring, section 3.5.1). */
  oversampling?: {
    temperature?: Bme280Oversampling;
    pressure?: Bme280Oversampling;
    humidity?: Bme280Oversampling;
  };
  /** IIR filter coefficient for temperature and pressure. Default 0 (off). */
  filter?: Bme280Filter;
  /** Normal-mode standby. Default 0.5 (the reset value). */
  standbyMs?: Bme280StandbyMs;
  /** Clock for the conversion timeout, ms. Default `Date.now`. */
  now?: () => number;
  /** Wait function. Default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** Poll interval of the status register while converting, ms. Default 2. */
  pollIntervalMs?: number;
  /** Give up on a conversion after this long, ms. Default twice the datasheet's maximum conversion time + 10. */
  timeoutMs?: number;
}

export const BME280_DEFAULT_ADDRESS = 0x76;
export const BME280_CHIP_ID = 0x60;

const REG_CALIB_LOW = 0x88;
const REG_ID = 0xd0;
const REG_RESET = 0xe0;
const REG_CALIB_HIGH = 0xe1;
const REG_CTRL_HUM = 0xf2;
const REG_STATUS = 0xf3;
const REG_CTRL_MEAS = 0xf4;
const REG_CONFIG = 0xf5;
const REG_DATA = 0xf7;
const RESET_WORD = 0xb6;
const STATUS_MEASURING = 0x08;
const STATUS_IM_UPDATE = 0x01;
const MODE_FORCED = 0x01;
/** Start-up time after power-on or soft reset (table 1). */
const STARTUP_MS = 2;

const OVERSAMPLING_CODE: Record<number, number> = { 0: 0, 1: 1, 2: 2, 4: 3, 8: 4, 16: 5 };
const FILTER_CODE: Record<number, number> = { 0: 0, 2: 1, 4: 2, 8: 3, 16: 4 };
const STANDBY_CODE: Record<number, number> = {
  0.5: 0,
  62.5: 1,
  125: 2,
  250: 3,
  500: 4,
  1000: 5,
  10: 6,
  20: 7,
};

/** Chip ids of Bosch parts that answer at the BME280's addresses, for the error message. */
const KNOWN_CHIPS: Record<number, string> = {
  86: 'BMP280 (sample)',
  87: 'BMP280 (sample)',
  88: 'BMP280',
  97: 'BME680',
};

/** Maximum conversion time, ms (section 9.1): 1.25 + 2.3·T + (2.3·P + 0.575) + (2.3·H + 0.575). */
export function bme280MaxMeasureMs(t: number, p: number, h: number): number {
  return 1.25 + 2.3 * t + (p > 0 ? 2.3 * p + 0.575 : 0) + (h > 0 ? 2.3 * h + 0.575 : 0);
}

export class Bme280 {
  readonly address: number;
  readonly calibration: Readonly<Bme280Trimming>;

  readonly #bus: Bme280Bus;
  readonly #ctrlMeas: number;
  readonly #measureMs: number;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(bus: Bme280Bus, calibration: Bme280Trimming, s: Settings) {
    this.#bus = bus;
    this.address = s.address;
    this.calibration = Object.freeze(calibration);
    this.#ctrlMeas = (s.osrsT << 5) | (s.osrsP << 2);
    this.#measureMs = s.measureMs;
    this.#timeoutMs = s.timeoutMs;
    this.#pollMs = s.pollMs;
    this.#now = s.now;
    this.#sleep = s.sleep;
  }

  /**
   * Check the chip id, soft-reset, read the trimming words and write the settings.
   * @throws SensorError `sensor.config` (bad option), `sensor.chip-id` (not a BME280),
   *   `sensor.io` (bus error, e.g. nothing at the address), `sensor.timeout` (NVM copy never ends)
   */
  static async open(bus: Bme280Bus, options: Bme280Options = {}): Promise<Bme280> {
    const s = settings(options);
    const io = new BusIo(bus, s.address);
    const id = await io.readByte(REG_ID);
    if (id !== BME280_CHIP_ID) {
      const seen = KNOWN_CHIPS[id];
      throw new SensorError(
        'sensor.chip-id',
        `device at 0x${hex2(s.address)} has chip id 0x${hex2(id)}${seen ? ` (${seen})` : ''}, not a BME280 (0x60)`,
        { context: { address: s.address, expected: BME280_CHIP_ID, actual: id } },
      );
    }
    await io.writeByte(REG_RESET, RESET_WORD);
    await s.sleep(STARTUP_MS);
    const started = s.now();
    while ((await io.readByte(REG_STATUS)) & STATUS_IM_UPDATE) {
      if (s.now() - started > s.timeoutMs) {
        throw new SensorError(
          'sensor.timeout',
          'BME280 did not finish copying its trimming words after reset',
          {
            context: { address: s.address },
          },
        );
      }
      await s.sleep(s.pollMs);
    }
    const calibration = parseBme280Trimming(
      await io.readBlock(REG_CALIB_LOW, 26),
      await io.readBlock(REG_CALIB_HIGH, 7),
    );
    // config is only reliably written in sleep mode (section 5.4.6), which the reset left us in.
    await io.writeByte(REG_CONFIG, (s.standby << 5) | (s.filter << 2));
    // ctrl_hum takes effect at the next ctrl_meas write (section 5.4.3), which each read makes.
    await io.writeByte(REG_CTRL_HUM, s.osrsH);
    await io.writeByte(REG_CTRL_MEAS, (s.osrsT << 5) | (s.osrsP << 2));
    return new Bme280(bus, calibration, s);
  }

  /**
   * One forced-mode conversion, compensated. Channels with oversampling 0 come back null.
   * @throws SensorError `sensor.io`, `sensor.timeout` (the measuring bit never clears)
   */
  read(): Promise<Bme280Measurement> {
    return this.#exclusive(async () => compensateBme280(await this.#convert(), this.calibration));
  }

  /** One forced-mode conversion, uncompensated. */
  readRaw(): Promise<Bme280Raw> {
    return this.#exclusive(() => this.#convert());
  }

  async #convert(): Promise<Bme280Raw> {
    const io = new BusIo(this.#bus, this.address);
    await io.writeByte(REG_CTRL_MEAS, this.#ctrlMeas | MODE_FORCED);
    const started = this.#now();
    await this.#sleep(this.#measureMs);
    while ((await io.readByte(REG_STATUS)) & STATUS_MEASURING) {
      if (this.#now() - started > this.#timeoutMs) {
        throw new SensorError(
          'sensor.timeout',
          `BME280 conversion did not finish within ${this.#timeoutMs} ms`,
          {
            context: { address: this.address, ctrlMeas: this.#ctrlMeas | MODE_FORCED },
          },
        );
      }
      await this.#sleep(this.#pollMs);
    }
    // One burst read of all data registers: the sensor shadows them so the values belong together.
    return decodeBme280Raw(await io.readBlock(REG_DATA, 8));
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

interface Settings {
  address: number;
  osrsT: number;
  osrsP: number;
  osrsH: number;
  filter: number;
  standby: number;
  measureMs: number;
  timeoutMs: number;
  pollMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

function settings(o: Bme280Options): Settings {
  const address = o.address ?? BME280_DEFAULT_ADDRESS;
  if (address !== 0x76 && address !== 0x77) {
    throw new SensorError('sensor.config', `BME280 address must be 0x76 or 0x77, got ${address}`);
  }
  const t = o.oversampling?.temperature ?? 1;
  const p = o.oversampling?.pressure ?? 1;
  const h = o.oversampling?.humidity ?? 1;
  const measureMs = bme280MaxMeasureMs(t, p, h);
  return {
    address,
    osrsT: code(OVERSAMPLING_CODE, t, 'temperature oversampling'),
    osrsP: code(OVERSAMPLING_CODE, p, 'pressure oversampling'),
    osrsH: code(OVERSAMPLING_CODE, h, 'humidity oversampling'),
    filter: code(FILTER_CODE, o.filter ?? 0, 'filter coefficient'),
    standby: code(STANDBY_CODE, o.standbyMs ?? 0.5, 'standby time'),
    measureMs,
    timeoutMs: o.timeoutMs ?? 2 * measureMs + 10,
    pollMs: o.pollIntervalMs ?? 2,
    now: o.now ?? Date.now,
    sleep: o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

function code(table: Record<number, number>, value: number, what: string): number {
  const c = table[value];
  if (c === undefined) {
    throw new SensorError(
      'sensor.config',
      `BME280 ${what} ${value} is not one of ${Object.keys(table).join(', ')}`,
    );
  }
  return c;
}

/** Bus calls with errors turned into `sensor.io`. */
class BusIo {
  constructor(
    private readonly bus: Bme280Bus,
    private readonly address: number,
  ) {}

  readByte(register: number): Promise<number> {
    return this.#wrap(register, () => this.bus.readByte(this.address, register));
  }

  writeByte(register: number, value: number): Promise<void> {
    return this.#wrap(register, () => this.bus.writeByte(this.address, register, value));
  }

  async readBlock(register: number, length: number): Promise<Uint8Array> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.#wrap(register, () =>
      this.bus.readI2cBlock(this.address, register, length, buffer),
    );
    if (bytesRead !== length) {
      throw new SensorError(
        'sensor.io',
        `BME280 short read at 0x${hex2(register)}: ${bytesRead} of ${length} bytes`,
        {
          context: { address: this.address, register, bytesRead, length },
        },
      );
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  }

  async #wrap<T>(register: number, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new SensorError('sensor.io', `BME280 at 0x${hex2(this.address)}: ${reason}`, {
        context: { address: this.address, register },
        cause,
      });
    }
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}
