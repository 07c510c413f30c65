import { Duplex } from 'node:stream';
import { type DuplexFactory, DuplexTransport } from './duplex.js';
import { SerialTransport, type SerialTransportOptions } from './serial.js';
import { TcpTransport, type TcpTransportOptions } from './tcp.js';
import type { Transport } from './transport.js';

/**
 * Where the dongle is: a serial device path (`/dev/ttyUSB0`, `COM3`), `tcp://host:port`, a
 * ready-made {@link Transport}, a duplex stream, or a function returning a fresh duplex per open.
 */
export type TransportSpec = string | Transport | Duplex | DuplexFactory;

export interface TransportOptions extends SerialTransportOptions, TcpTransportOptions {}

/**
 * The transport a spec names, not yet opened.
 * @throws EchonetError `config.invalid` for a malformed `tcp://` URL or an empty path.
 */
export function createTransport(spec: TransportSpec, options: TransportOptions = {}): Transport {
  if (typeof spec === 'string') {
    if (/^tcp:/i.test(spec)) return TcpTransport.fromUrl(spec, options);
    return new SerialTransport(spec, options);
  }
  if (spec instanceof Duplex) return new DuplexTransport(spec);
  if (typeof spec === 'function') return new DuplexTransport(spec);
  return spec;
}

/**
 * {@link createTransport}, then `open()`.
 * @throws EchonetError `config.invalid`, `transport.open`.
 */
export async function openTransport(spec: TransportSpec, options: TransportOptions = {}): Promise<Transport> {
  const transport = createTransport(spec, options);
  await transport.open();
  return transport;
}
