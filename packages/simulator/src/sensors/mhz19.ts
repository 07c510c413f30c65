import {
  DAY_MS,
  encodeCo2Answer,
  MHZ19_ABC_ON,
  MHZ19_CMD_ABC,
  MHZ19_CMD_RANGE,
  MHZ19_CMD_READ_CO2,
  MHZ19_CMD_ZERO_CALIBRATION,
  MHZ19_FRAME_LENGTH,
  MHZ19_START_BYTE,
  MINUTE_MS,
  mhz19Checksum,
  rangeOfCommand,
} from '@b-route/core';
import { type ClimateSource, indoorClimate } from './indoor-climate.js';
import { IndoorCo2, type IndoorCo2Options } from './indoor-co2.js';

/**
 * A virtual Winsen MH-Z19B/C NDIR CO2 sensor on its UART (9600 8N1).
 *
 * Frames are 9 bytes, both ways: `FF <b1> <cmd> <b3..b7> <checksum>` with
 * checksum = 0xFF - (b1 + … + b7) + 1 (mod 256) (Winsen MH-Z19B user manual, "Checksum
 * calculation"). Commands from the host carry sensor number 0x01 in b1; answers carry the command.
 *
 * - 0x86 read: `FF 86 HH LL TT SS U1 U2 CS`, ppm = HH·256 + LL, clipped to the detection range;
 *   TT = temperature + 40 °C (undocumented, observed on B and C units); SS, U1, U2 are 0 here.
 * - 0x79 ABC on/off: b3 = 0xA0 on, 0x00 off. No answer.
 * - 0x87 zero-point calibration: the present concentration becomes 400 ppm. No answer.
 * - 0x99 detection range: the range sits in b6·256 + b7 (the manual says b3/b4, real units read
 *   b6/b7, see revspace.nl/MHZ19). No answer.
 * Frames with a wrong checksum and unknown commands are ignored without an answer, as the sensor
 * does. After power-on the sensor preheats (3 min per the manual) and answers a fixed 500 ppm
 * (MH-Z19C; some B units answer 410).
 *
 * ABC (automatic baseline correction): every 24 h after power-on, while enabled, the lowest
 * concentration of the past 24 h becomes the 400 ppm baseline (manual, "ABC logic").
 */
export interface VirtualMhz19Options {
  /** Simulated time, epoch ms. */
  clock: () => number;
  /** Seed of the room (CO2 day plans and weather). Default 1. */
  seed?: number;
  /** The room's CO2 model, or its options. Default: `new IndoorCo2({ seed })`. */
  co2?: IndoorCo2 | IndoorCo2Options;
  /** The room's weather (its temperature feeds TT). Default: `indoorClimate({ seed })`. */
  climate?: ClimateSource;
  /** Preheat time after power-on, ms. Default 180 000. */
  warmupMs?: number;
  /** Concentration answered while preheating. Default 500. */
  warmupPpm?: number;
  /** Detection range, ppm. Default 5000. */
  rangePpm?: number;
  /** ABC at power-on (factory setting: on). Default true. */
  abc?: boolean;
  /** How much warmer the sensor's own thermistor is than the room, °C. Default 0. */
  selfHeatingC?: number;
  /** Power-on instant. Default: `clock()` at construction. */
  poweredOnAt?: number;
}

/** Fault switches; change them at any time. */
export interface Mhz19Faults {
  /** Answer nothing (unplugged TX wire, dead sensor). */
  silent: boolean;
  /** Corrupt the checksum of the next N answers (line noise). */
  corruptReplies: number;
}

export interface Mhz19Reading {
  ppm: number;
  temperatureC: number;
  warmingUp: boolean;
}

const BASELINE_PPM = 400;
const ABC_SAMPLE_MS = 5 * MINUTE_MS;
/** Commands kept in `commands` (a long-running simulator must not grow without bound). */
export const MHZ19_COMMAND_LOG_SIZE = 256;

export class VirtualMhz19 {
  readonly faults: Mhz19Faults = { silent: false, corruptReplies: 0 };
  /** The last command frames accepted (valid checksum), oldest first; at most `MHZ19_COMMAND_LOG_SIZE`. */
  readonly commands: Uint8Array[] = [];
  /** Number of frames dropped for a bad checksum. */
  rejectedFrames = 0;

  readonly #clock: () => number;
  readonly #co2: IndoorCo2;
  readonly #climate: ClimateSource;
  readonly #warmupMs: number;
  readonly #warmupPpm: number;
  readonly #selfHeating: number;
  #range: number;
  #abc: boolean;
  #poweredOnAt: number;
  /** Reading minus true concentration, set by zero calibration and ABC. */
  #offset = 0;
  /** Last ABC cycle (days since power-on) already applied. */
  #abcCycle = 0;
  #rx = new Uint8Array(0);

  constructor(options: VirtualMhz19Options) {
    const seed = options.seed ?? 1;
    this.#clock = options.clock;
    this.#co2 = options.co2 instanceof IndoorCo2 ? options.co2 : new IndoorCo2({ seed, ...options.co2 });
    this.#climate = options.climate ?? indoorClimate({ seed });
    this.#warmupMs = options.warmupMs ?? 180_000;
    this.#warmupPpm = options.warmupPpm ?? 500;
    this.#range = options.rangePpm ?? 5000;
    this.#abc = options.abc ?? true;
    this.#selfHeating = options.selfHeatingC ?? 0;
    this.#poweredOnAt = options.poweredOnAt ?? this.#clock();
  }

  get abcEnabled(): boolean {
    return this.#abc;
  }

  get rangePpm(): number {
    return this.#range;
  }

  /** Reading minus true concentration after calibrations (0 until the first calibration). */
  get calibrationOffsetPpm(): number {
    this.#applyAbc(this.#clock());
    return this.#offset;
  }

  /** The room as it is: true CO2 (unrounded) and air temperature at `at`. */
  groundTruth(at: number = this.#clock()): { co2Ppm: number; temperatureC: number } {
    return { co2Ppm: this.#co2.ppmAt(at), temperatureC: this.#climate(at).temperatureC };
  }

  /** What a 0x86 read would answer at the present simulated time. */
  reading(): Mhz19Reading {
    const now = this.#clock();
    this.#applyAbc(now);
    const truth = this.groundTruth(now);
    const warmingUp = now - this.#poweredOnAt < this.#warmupMs;
    const measured = Math.round(truth.co2Ppm + this.#offset);
    const ppm = warmingUp ? this.#warmupPpm : Math.min(this.#range, Math.max(0, measured));
    const temperatureC = Math.round(truth.temperatureC + this.#selfHeating);
    return { ppm, temperatureC, warmingUp };
  }

  /** Power the sensor off and on: preheating starts again; ABC, range and calibration persist. */
  powerCycle(): void {
    this.#applyAbc(this.#clock());
    this.#poweredOnAt = this.#clock();
    this.#abcCycle = 0;
    this.#rx = new Uint8Array(0);
  }

  /**
   * Feed bytes received on the sensor's RX line; returns the bytes it transmits in answer
   * (possibly empty). Partial frames are kept for the next call.
   */
  handleBytes(chunk: Uint8Array): Uint8Array {
    const buf = new Uint8Array(this.#rx.length + chunk.length);
    buf.set(this.#rx, 0);
    buf.set(chunk, this.#rx.length);
    const answers: Uint8Array[] = [];
    let i = 0;
    while (i < buf.length) {
      if (buf[i] !== MHZ19_START_BYTE) {
        i++;
        continue;
      }
      if (buf.length - i < MHZ19_FRAME_LENGTH) break;
      const frame = buf.slice(i, i + MHZ19_FRAME_LENGTH);
      if (mhz19Checksum(frame) !== frame[8]) {
        // Resynchronise on the next start byte rather than skipping a whole frame.
        this.rejectedFrames++;
        i++;
        continue;
      }
      i += MHZ19_FRAME_LENGTH;
      this.commands.push(frame);
      if (this.commands.length > MHZ19_COMMAND_LOG_SIZE) this.commands.shift();
      const answer = this.#execute(frame);
      if (answer && !this.faults.silent) answers.push(answer);
    }
    this.#rx = buf.slice(i);
    const total = answers.reduce((n, a) => n + a.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const a of answers) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  }

  #execute(frame: Uint8Array): Uint8Array | null {
    const now = this.#clock();
    this.#applyAbc(now);
    switch (frame[2]) {
      case MHZ19_CMD_READ_CO2:
        return this.#readAnswer();
      case MHZ19_CMD_ABC:
        if (frame[3] === MHZ19_ABC_ON) this.#abc = true;
        else if (frame[3] === 0x00) this.#abc = false;
        return null;
      case MHZ19_CMD_ZERO_CALIBRATION:
        this.#offset = BASELINE_PPM - this.#co2.ppmAt(now);
        return null;
      case MHZ19_CMD_RANGE: {
        const range = rangeOfCommand(frame);
        if (range > 0) this.#range = range;
        return null;
      }
      default:
        return null;
    }
  }

  #readAnswer(): Uint8Array {
    const out = encodeCo2Answer(this.reading());
    if (this.faults.corruptReplies > 0) {
      this.faults.corruptReplies--;
      out[8] = (out[8]! + 1) & 0xff;
    }
    return out;
  }

  /** Apply the ABC corrections due up to `now` (each 24 h after power-on while enabled). */
  #applyAbc(now: number): void {
    const cycle = Math.floor((now - this.#poweredOnAt) / DAY_MS);
    if (cycle <= this.#abcCycle) return;
    this.#abcCycle = cycle;
    if (!this.#abc) return;
    // Only the latest cycle matters: each correction replaces the previous baseline.
    const end = this.#poweredOnAt + cycle * DAY_MS;
    let lowest = Number.POSITIVE_INFINITY;
    for (let t = end - DAY_MS; t <= end; t += ABC_SAMPLE_MS) lowest = Math.min(lowest, this.#co2.ppmAt(t));
    this.#offset = BASELINE_PPM - lowest;
  }
}
