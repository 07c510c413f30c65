import { Duplex } from 'node:stream';
import type { VirtualMhz19 } from './mhz19.js';

/**
 * Byte-stream plumbing for the virtual MH-Z19: wire it to any duplex (a TCP socket, a PTY, or
 * the in-process pair below) exactly as the sensor's UART would be wired to a host.
 */

/**
 * Let `sensor` answer on `stream`: bytes read from the stream are the sensor's RX, its answers
 * are written back. Returns a function that detaches the sensor again.
 */
export function attachMhz19(sensor: VirtualMhz19, stream: Duplex): () => void {
  const onData = (chunk: Buffer) => {
    const answer = sensor.handleBytes(chunk);
    if (answer.length > 0 && stream.writable) stream.write(Buffer.from(answer));
  };
  stream.on('data', onData);
  return () => {
    stream.off('data', onData);
  };
}

export interface Mhz19Port {
  /** The host's end, to hand to a driver in place of a `SerialPort`. */
  host: Duplex;
  /** The sensor's end: reads what the host sent, writes what the host receives. */
  device: Duplex;
  /** Detach the sensor and end both streams. */
  close(): void;
}

/** An in-process serial line with `sensor` on the far end. */
export function createMhz19Port(sensor: VirtualMhz19): Mhz19Port {
  const [host, device] = duplexPair();
  const detach = attachMhz19(sensor, device);
  return {
    host,
    device,
    close() {
      detach();
      host.destroy();
      device.destroy();
    },
  };
}

/**
 * Two connected duplex streams: what one writes, the other reads. Delivery is deferred with
 * `setImmediate`, as bytes from a real port arrive in a later I/O turn.
 */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peerIndex: number) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        setImmediate(() => {
          const peer = ends[peerIndex]!;
          if (!peer.destroyed) peer.push(chunk);
          callback();
        });
      },
      final(callback) {
        const peer = ends[peerIndex]!;
        if (!peer.destroyed) peer.push(null);
        callback();
      },
    });
  ends.push(make(1), make(0));
  return [ends[0]!, ends[1]!];
}
