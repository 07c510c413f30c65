import type { Duplex } from 'node:stream';
import { EchonetError } from '../errors.js';
import { asBuffer, TransportBase } from './transport.js';

/** Hands out a fresh stream for each open (an in-process dongle, a test peer, a socket). */
export type DuplexFactory = () => Duplex | Promise<Duplex>;

/**
 * A transport over an injected duplex stream. Given a factory, every `open()` asks it for a new
 * stream and `close()` destroys the stream; given a single stream, `close()` only lets go of it
 * (it can be opened again until the stream itself ends).
 */
export class DuplexTransport extends TransportBase {
  readonly description: string;
  readonly #source: Duplex | DuplexFactory;
  #stream: Duplex | null = null;
  #detach: (() => void) | null = null;

  constructor(source: Duplex | DuplexFactory, description = 'duplex') {
    super();
    this.#source = source;
    this.description = description;
  }

  get isOpen(): boolean {
    return this.#stream !== null;
  }

  async open(): Promise<void> {
    if (this.#stream) return;
    let stream: Duplex;
    try {
      stream = typeof this.#source === 'function' ? await this.#source() : this.#source;
    } catch (cause) {
      throw new EchonetError('transport.open', `cannot open ${this.description}`, { cause });
    }
    if (stream.destroyed || stream.writableEnded || stream.readableEnded) {
      throw new EchonetError('transport.open', `${this.description} has already ended`);
    }
    this.#attach(stream);
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    this.#release();
    if (typeof this.#source === 'function') stream.destroy();
    this.emitClose();
  }

  write(data: Uint8Array): Promise<void> {
    const stream = this.#stream;
    if (!stream)
      return Promise.reject(new EchonetError('transport.closed', `${this.description} is not open`));
    return new Promise((resolve, reject) => {
      stream.write(asBuffer(data), (err) => {
        if (err)
          reject(new EchonetError('transport.closed', `write to ${this.description} failed`, { cause: err }));
        else resolve();
      });
    });
  }

  #attach(stream: Duplex): void {
    const onData = (chunk: Buffer | string) => {
      this.emitData(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    };
    const onEnd = () => this.#lost(new EchonetError('transport.closed', `${this.description} ended`));
    const onError = (err: Error) =>
      this.#lost(new EchonetError('transport.closed', `${this.description} failed`, { cause: err }));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
    this.#stream = stream;
    this.#detach = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
    };
  }

  #release(): void {
    this.#detach?.();
    this.#detach = null;
    this.#stream = null;
  }

  /** The peer ended the stream: let go of it and tell the client. */
  #lost(error: Error): void {
    const stream = this.#stream;
    if (!stream) return;
    this.#release();
    // Swallow late errors of a stream we no longer use (an unhandled 'error' would crash).
    stream.on('error', () => {});
    stream.destroy();
    this.emitClose(error);
  }
}
