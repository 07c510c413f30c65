import type { SerialPort } from 'serialport';
import { EchonetError } from '../errors.js';
import { asBuffer, TransportBase } from './transport.js';

export interface SerialTransportOptions {
  /** Default 115200, the rate of every SK dongle's UART (BP35A1/C0/C2, RL7023, RS-WSUHA-P). */
  baudRate?: number;
}

/**
 * A dongle on a serial device (`/dev/ttyUSB0`, `/dev/serial/by-id/...`, `COM3`), 8N1 without
 * flow control. Unplugging the USB dongle closes the port with a disconnect error, which is
 * reported as an unexpected `close`; `open()` works again once the device node is back.
 * serialport (and its native binding) is loaded on the first `open()`, so TCP and duplex users
 * never load it.
 */
export class SerialTransport extends TransportBase {
  readonly path: string;
  readonly baudRate: number;
  #port: SerialPort | null = null;
  /** Writes not yet confirmed: a port that closes under them never calls them back. */
  readonly #pending = new Set<(err: Error) => void>();

  constructor(path: string, options: SerialTransportOptions = {}) {
    super();
    if (!path) throw new EchonetError('config.invalid', 'empty serial device path');
    this.path = path;
    this.baudRate = options.baudRate ?? 115_200;
  }

  get description(): string {
    return this.path;
  }

  get isOpen(): boolean {
    return this.#port !== null;
  }

  async open(): Promise<void> {
    if (this.#port) return;
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({
      path: this.path,
      baudRate: this.baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) reject(new EchonetError('transport.open', `cannot open ${this.path}`, { cause: err }));
        else resolve();
      });
    });
    this.#attach(port);
  }

  close(): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.resolve();
    this.#port = null;
    return new Promise((resolve) => {
      port.close(() => {
        this.#failPending();
        port.removeAllListeners();
        // A port closed meanwhile by a disconnect may still report a late error.
        port.on('error', () => {});
        this.emitClose();
        resolve();
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(new EchonetError('transport.closed', `${this.path} is not open`));
    const wrap = (cause: Error) =>
      new EchonetError('transport.closed', `write to ${this.path} failed`, { cause });
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        this.#pending.delete(fail);
        reject(wrap(err));
      };
      this.#pending.add(fail);
      port.write(asBuffer(data), (err) => {
        if (err) return fail(err);
        port.drain((drainErr) => {
          if (drainErr) return fail(drainErr);
          this.#pending.delete(fail);
          resolve();
        });
      });
    });
  }

  #failPending(): void {
    for (const fail of [...this.#pending]) fail(new Error('port closed'));
  }

  #attach(port: SerialPort): void {
    this.#port = port;
    let error: Error | undefined;
    port.on('data', (chunk: Buffer) => this.emitData(chunk));
    port.on('error', (err: Error) => {
      error = err;
    });
    port.on('close', (err?: Error | null) => {
      if (this.#port !== port) return;
      this.#port = null;
      this.#failPending();
      port.removeAllListeners();
      port.on('error', () => {});
      const cause = err ?? error;
      this.emitClose(
        new EchonetError(
          'transport.closed',
          `${this.path} closed (device unplugged?)`,
          cause ? { cause } : {},
        ),
      );
    });
  }
}
