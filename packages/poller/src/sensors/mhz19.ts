import {
  abcCommand,
  findMhz19Answer,
  MHZ19_CMD_READ_CO2,
  rangeCommand,
  readCo2Command,
  zeroCalibrationCommand,
} from '@b-route/core';
import { SensorError } from './errors.js';
import { decodeCo2Answer, sensorHex } from './mhz19-frame.js';

/**
 * Driver for a Winsen MH-Z19B/C CO2 sensor on a UART at 9600 8N1. It talks over any byte
 * duplex: a `serialport` `SerialPort`, a TCP socket, or the simulator's in-process port.
 */

/** The part of a `SerialPort` (or any `stream.Duplex`) the driver uses. */
export interface Mhz19Transport {
  write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

export interface Mhz19Options {
  /** Clock for the preheat window, epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Preheat time after power-on during which answers are not real measurements (the manual
   * gives 3 min; a MH-Z19C answers a fixed 500 ppm meanwhile). Default 180 000 ms.
   */
  warmupMs?: number;
  /** When the sensor was powered on. Default: `now()` when the driver is created. */
  poweredOnAt?: number;
  /** Longest wait for an answer, ms (9 bytes take ~10 ms at 9600 baud). Default 1000. */
  timeoutMs?: number;
}

/** A CO2 reading, or the reason there is none yet. */
export type Co2Reading =
  | { ppm: number; temperatureC: number; skipped?: undefined }
  | { ppm: null; temperatureC: null; skipped: 'warming-up'; readyInMs: number };

export class Mhz19 {
  readonly #port: Mhz19Transport;
  readonly #now: () => number;
  readonly #warmupMs: number;
  readonly #poweredOnAt: number;
  readonly #timeoutMs: number;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(port: Mhz19Transport, options: Mhz19Options = {}) {
    this.#port = port;
    this.#now = options.now ?? Date.now;
    this.#warmupMs = options.warmupMs ?? 180_000;
    this.#poweredOnAt = options.poweredOnAt ?? this.#now();
    this.#timeoutMs = options.timeoutMs ?? 1000;
  }

  /**
   * Read the CO2 concentration (command 0x86). During the preheat window nothing is sent and
   * the result says `skipped: 'warming-up'`.
   * @throws SensorError `sensor.checksum` (bad answer), `sensor.timeout` (no answer in
   *   `timeoutMs`), `sensor.io` (the port failed to write).
   */
  async readCo2(): Promise<Co2Reading> {
    const warm = this.#now() - this.#poweredOnAt;
    if (warm < this.#warmupMs) {
      return { ppm: null, temperatureC: null, skipped: 'warming-up', readyInMs: this.#warmupMs - warm };
    }
    const frame = await this.#exclusive(() => this.#request(readCo2Command(), MHZ19_CMD_READ_CO2));
    return decodeCo2Answer(frame);
  }

  /**
   * Switch automatic baseline correction on or off (command 0x79; no answer). With ABC on, the
   * sensor takes the lowest value of each 24 h as 400 ppm: right for rooms aired daily, wrong for
   * rooms that never see outdoor air.
   * @throws SensorError `sensor.io`
   */
  setAbc(enabled: boolean): Promise<void> {
    return this.#exclusive(() => this.#send(abcCommand(enabled)));
  }

  /**
   * Zero-point calibration (command 0x87; no answer): the present concentration becomes
   * 400 ppm. Only send it after the sensor has stood in outdoor air for 20 minutes.
   * @throws SensorError `sensor.io`
   */
  calibrateZero(): Promise<void> {
    return this.#exclusive(() => this.#send(zeroCalibrationCommand()));
  }

  /**
   * Detection range (command 0x99; no answer). Readings are clipped to it.
   * @throws SensorError `sensor.config` for a range outside 1..65535, `sensor.io`
   */
  setRange(ppm: number): Promise<void> {
    if (!Number.isInteger(ppm) || ppm < 1 || ppm > 0xffff) {
      return Promise.reject(new SensorError('sensor.config', `MH-Z19 range ${ppm} ppm is out of 1..65535`));
    }
    return this.#exclusive(() => this.#send(rangeCommand(ppm)));
  }

  /** Run one exchange at a time: a second command must not read the first one's answer. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #send(frame: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        this.#port.write(Buffer.from(frame), (error) => {
          if (error) reject(writeError(frame, error));
          else resolve();
        });
      } catch (error) {
        reject(writeError(frame, error));
      }
    });
  }

  #request(frame: Uint8Array, command: number): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      let received = new Uint8Array(0);
      let done = false;
      const finish = (error: SensorError | null, answer?: Uint8Array) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#port.off('data', onData);
        if (error) reject(error);
        else resolve(answer!);
      };
      const onData = (chunk: Buffer) => {
        const next = new Uint8Array(received.length + chunk.length);
        next.set(received, 0);
        next.set(chunk, received.length);
        received = next;
        const found = findMhz19Answer(received, command);
        if (found) finish(null, found.frame);
      };
      const timer = setTimeout(() => {
        finish(
          new SensorError('sensor.timeout', `MH-Z19 did not answer within ${this.#timeoutMs} ms`, {
            context: { command: sensorHex(frame), received: sensorHex(received) },
          }),
        );
      }, this.#timeoutMs);
      this.#port.on('data', onData);
      try {
        this.#port.write(Buffer.from(frame), (error) => {
          if (error) finish(writeError(frame, error));
        });
      } catch (error) {
        finish(writeError(frame, error));
      }
    });
  }
}

function writeError(frame: Uint8Array, cause: unknown): SensorError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SensorError('sensor.io', `MH-Z19 command could not be written: ${reason}`, {
    context: { command: sensorHex(frame) },
    cause,
  });
}
