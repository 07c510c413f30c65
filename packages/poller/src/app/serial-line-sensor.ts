/**
 * A serial sensor that talks by itself (keilog's Arduino, XBee or TWELite sources): lines of
 * `name=value` pairs or CSV on a USB serial port or `tcp://host:port`, each value stored as a row
 * of extra.sensor_reading. A bad line is counted and logged at debug, never fatal; a port that
 * closes or fails is reopened after `retryMs` until `stop()`.
 */
import { connect } from 'node:net';
import type { Clock } from '@b-route/echonet';
import type { StoreLogger } from '@b-route/store';
import { parseSensorLine, type SensorLineSpec } from '../sensors/sensor-line.js';
import { sleep } from './clock.js';
import { put, type RowSink } from './sink.js';

/** The bytes of an open device; `serialport` and `net.Socket` both fit. */
export interface LineDevice {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close' | 'error', listener: (err?: Error) => void): unknown;
  destroy(): void;
}

export interface SerialLineSensorOptions extends SensorLineSpec {
  /** Serial device path or tcp://host:port. */
  readonly device: string;
  /** Default 9600 (Arduino sketches, TWELite App_Uart use 115200: configure it). */
  readonly baud?: number;
  /** The `sensor` column. Default: the device. */
  readonly sensor?: string;
  readonly sink: RowSink;
  readonly clock: Clock;
  readonly logger: StoreLogger;
  /** Before reopening a closed or failed port. Default 5000. */
  readonly retryMs?: number;
  /** Opens the device (tests inject one). Default serialport or a TCP socket. */
  readonly open?: (device: string, baud: number) => Promise<LineDevice>;
}

export interface SerialLineStats {
  lines: number;
  values: number;
  badLines: number;
  opens: number;
}

/** Longest line kept; a longer one is noise on the wire and counted bad. */
const MAX_LINE = 4096;

export class SerialLineSensor {
  readonly stats: SerialLineStats = { lines: 0, values: 0, badLines: 0, opens: 0 };
  readonly #o: SerialLineSensorOptions;
  readonly #abort = new AbortController();
  #device: LineDevice | undefined;
  #done: Promise<void> | undefined;
  #lastAt = 0;

  constructor(options: SerialLineSensorOptions) {
    this.#o = options;
  }

  get sensor(): string {
    return this.#o.sensor ?? this.#o.device;
  }

  /** Starts reading; returns at once. */
  start(): void {
    this.#done ??= this.#run();
  }

  /** Closes the port and stops reopening it. Idempotent. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#device?.destroy();
    await this.#done;
  }

  async #run(): Promise<void> {
    const { logger, clock } = this.#o;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        const device = await (this.#o.open ?? openLineDevice)(this.#o.device, this.#o.baud ?? 9600);
        this.stats.opens++;
        this.#device = device;
        if (signal.aborted) device.destroy();
        await this.#read(device);
        if (!signal.aborted) logger.warn({ device: this.#o.device }, 'serial sensor closed; reopening');
      } catch (err) {
        if (!signal.aborted) logger.warn({ err, device: this.#o.device }, 'cannot open the serial sensor');
      }
      this.#device = undefined;
      await sleep(clock, this.#o.retryMs ?? 5000, signal).catch(() => undefined);
    }
  }

  /** Resolves when the device closes. */
  #read(device: LineDevice): Promise<void> {
    return new Promise((resolve) => {
      let pending = '';
      device.on('data', (chunk) => {
        pending += chunk.toString('utf8');
        const lines = pending.split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        if (pending.length > MAX_LINE) {
          this.#bad(pending.slice(0, 80), 'line too long');
          pending = '';
        }
        for (const line of lines) this.#line(line);
      });
      device.on('error', () => undefined);
      device.on('close', () => resolve());
    });
  }

  #line(line: string): void {
    if (line.trim() === '') return;
    this.stats.lines++;
    const parsed = parseSensorLine(line, this.#o);
    if (!parsed.ok) {
      this.#bad(line, parsed.reason);
      return;
    }
    // Lines that arrive in one chunk would share a millisecond, and the key (sensor, name, time):
    // each line gets a later instant than the one before.
    const at = Math.max(this.#o.clock.now(), this.#lastAt + 1);
    this.#lastAt = at;
    const time = new Date(at);
    for (const v of parsed.values) {
      put(this.#o.sink, {
        kind: 'extra.sensor_reading',
        row: { sensor: this.sensor, name: v.name, time, value: v.value, unit: v.unit },
      });
      this.stats.values++;
    }
  }

  #bad(line: string, reason: string): void {
    this.stats.badLines++;
    this.#o.logger.debug(
      { sensor: this.sensor, line: line.slice(0, 80), reason },
      'serial sensor line skipped',
    );
  }
}

/** serialport for a path, a TCP socket for tcp://host:port. */
export async function openLineDevice(device: string, baud: number): Promise<LineDevice> {
  const tcp = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/i.exec(device);
  if (tcp) {
    const socket = connect({ host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]) });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path: device, baudRate: baud, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return port;
}
