/**
 * The byte pipe between the client and a dongle: a serial device, a TCP serial bridge or an
 * injected duplex stream. A transport can be opened again after it closed (the client reopens
 * it after an unplug/replug or a TCP reset).
 */
export interface TransportEvents {
  /** Bytes from the dongle, in arrival order. */
  data: [chunk: Uint8Array];
  /**
   * The link ended. Emitted once per open, after `close()` as well; `error` is set when the end
   * was not asked for (device unplugged, connection reset, stream ended by the peer).
   */
  close: [error?: Error];
}

export type TransportEvent = keyof TransportEvents;
export type TransportListener<E extends TransportEvent> = (...args: TransportEvents[E]) => void;

export interface Transport {
  /** Where the bytes go, for logs (`/dev/ttyUSB0`, `tcp://host:3610`, `duplex`). */
  readonly description: string;
  readonly isOpen: boolean;
  /** @throws EchonetError `transport.open` when the device or host cannot be reached. */
  open(): Promise<void>;
  /** Ends the link; resolves once it is closed. Never throws; a no-op when already closed. */
  close(): Promise<void>;
  /** @throws EchonetError `transport.closed` when not open or the write fails. */
  write(data: Uint8Array): Promise<void>;
  on<E extends TransportEvent>(event: E, listener: TransportListener<E>): this;
  off<E extends TransportEvent>(event: E, listener: TransportListener<E>): this;
}

/**
 * Listener bookkeeping shared by the transports: typed `on`/`off`, and a `closed()` helper that
 * emits `close` once per open.
 */
export abstract class TransportBase implements Transport {
  abstract readonly description: string;
  abstract readonly isOpen: boolean;
  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract write(data: Uint8Array): Promise<void>;

  readonly #listeners: { [E in TransportEvent]: Set<TransportListener<E>> } = {
    data: new Set(),
    close: new Set(),
  };

  on<E extends TransportEvent>(event: E, listener: TransportListener<E>): this {
    (this.#listeners[event] as Set<TransportListener<E>>).add(listener);
    return this;
  }

  off<E extends TransportEvent>(event: E, listener: TransportListener<E>): this {
    (this.#listeners[event] as Set<TransportListener<E>>).delete(listener);
    return this;
  }

  /** Number of listeners for `event` (lets tests prove that nothing leaks). */
  listenerCount(event: TransportEvent): number {
    return this.#listeners[event].size;
  }

  protected emitData(chunk: Uint8Array): void {
    for (const l of [...this.#listeners.data]) l(chunk);
  }

  protected emitClose(error?: Error): void {
    for (const l of [...this.#listeners.close]) l(error);
  }
}

/** A view of `data` as a Buffer without copying (streams and sockets want Buffers). */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
