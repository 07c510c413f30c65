import { createConnection, type Socket } from 'node:net';
import { EchonetError } from '../errors.js';
import { asBuffer, TransportBase } from './transport.js';

export interface TcpTransportOptions {
  /** Give up connecting after this many ms. Default 10 000. */
  connectTimeoutMs?: number;
  /**
   * TCP keep-alive probe delay in ms, so that a bridge that vanished (Wi-Fi serial bridge
   * powered off) is noticed without traffic. Default 30 000; 0 disables.
   */
  keepAliveMs?: number;
}

/**
 * A dongle behind a TCP serial bridge (ser2net in raw mode, ESP-Link and other Wi-Fi serial
 * bridges): `tcp://host:port`. The bridge owns the line settings (115200 8N1).
 */
export class TcpTransport extends TransportBase {
  readonly host: string;
  readonly port: number;
  readonly #connectTimeoutMs: number;
  readonly #keepAliveMs: number;
  #socket: Socket | null = null;

  constructor(host: string, port: number, options: TcpTransportOptions = {}) {
    super();
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new EchonetError('config.invalid', `invalid TCP endpoint ${host}:${port}`, {
        context: { host, port },
      });
    }
    this.host = host;
    this.port = port;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#keepAliveMs = options.keepAliveMs ?? 30_000;
  }

  /**
   * @param url `tcp://host:port` (IPv6 hosts in brackets: `tcp://[::1]:2000`).
   * @throws EchonetError `config.invalid` for anything else.
   */
  static fromUrl(url: string, options?: TcpTransportOptions): TcpTransport {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new EchonetError('config.invalid', `not a URL: ${url}`, { cause });
    }
    if (parsed.protocol !== 'tcp:' || parsed.port === '') {
      throw new EchonetError('config.invalid', `expected tcp://host:port, got ${url}`);
    }
    return new TcpTransport(parsed.hostname.replace(/^\[(.*)\]$/, '$1'), Number(parsed.port), options);
  }

  get description(): string {
    return `tcp://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get isOpen(): boolean {
    return this.#socket !== null;
  }

  open(): Promise<void> {
    if (this.#socket) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.host, port: this.port });
      const fail = (cause: Error) => {
        socket.destroy();
        reject(new EchonetError('transport.open', `cannot connect to ${this.description}`, { cause }));
      };
      socket.setTimeout(this.#connectTimeoutMs, () => fail(new Error('connect timeout')));
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        socket.setTimeout(0);
        socket.setNoDelay(true);
        if (this.#keepAliveMs > 0) socket.setKeepAlive(true, this.#keepAliveMs);
        this.#attach(socket);
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return Promise.resolve();
    this.#socket = null;
    socket.removeAllListeners('data');
    return new Promise((resolve) => {
      socket.once('close', () => {
        socket.removeAllListeners();
        this.emitClose();
        resolve();
      });
      socket.destroy();
    });
  }

  write(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket)
      return Promise.reject(new EchonetError('transport.closed', `${this.description} is not open`));
    return new Promise((resolve, reject) => {
      socket.write(asBuffer(data), (err) => {
        if (err)
          reject(new EchonetError('transport.closed', `write to ${this.description} failed`, { cause: err }));
        else resolve();
      });
    });
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    let error: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.emitData(chunk));
    socket.on('error', (err) => {
      error = err;
    });
    socket.on('close', () => {
      // close() already took the socket and reports the close itself.
      if (this.#socket !== socket) return;
      this.#socket = null;
      socket.removeAllListeners();
      this.emitClose(
        new EchonetError(
          'transport.closed',
          `${this.description} closed by the peer`,
          error ? { cause: error } : {},
        ),
      );
    });
  }
}
