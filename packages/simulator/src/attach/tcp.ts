import { createServer, type Server, type Socket } from 'node:net';
import type { Simulator } from '../simulator.js';
import { type ByteEndpoint, endpointAvailable, onEndpointLifecycle, toEndpoint } from './byte-endpoint.js';

export interface TcpOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1 (use 0.0.0.0 to serve the network). */
  host?: string;
  /** Called when a host connects or disconnects (for the CLI's messages). */
  onConnection?: (event: 'connect' | 'disconnect' | 'refused', remote: string) => void;
}

export interface TcpAttachment {
  readonly host: string;
  /** The port actually listened on. */
  readonly port: number;
  /** True while a host is connected. */
  readonly connected: boolean;
  /** Stops listening and drops the host. */
  close(): Promise<void>;
}

/**
 * Serves a UART over TCP as raw bytes, the way ser2net does (`tcp://host:port`): the dongle's for
 * a `Simulator`, any device's for a `ByteEndpoint` (e.g. `mhz19Endpoint(sim)`). One host at a
 * time; a second connection is closed at once. While the device is unplugged the current
 * connection is closed and new ones are closed as they come; after replug the next connection
 * reaches the freshly booted dongle. A host disconnecting leaves the device as it is. When the
 * device closes (the simulator's `close`), the server closes.
 * @throws Error when it cannot listen (port in use, bad address).
 */
export async function serveTcp(
  target: Simulator | ByteEndpoint,
  options: TcpOptions = {},
): Promise<TcpAttachment> {
  const endpoint = toEndpoint(target);
  const host = options.host ?? '127.0.0.1';
  const notify = options.onConnection ?? (() => {});
  let client: Socket | null = null;
  let offOutput: (() => void) | null = null;

  const drop = () => {
    offOutput?.();
    offOutput = null;
    client?.destroy();
    client = null;
  };

  const server: Server = createServer((socket) => {
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    if (client !== null || !endpointAvailable(endpoint)) {
      notify('refused', remote);
      socket.destroy();
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    offOutput = endpoint.onOutput((bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => endpoint.write(Uint8Array.from(chunk)));
    socket.on('error', () => {});
    // The host hung up (FIN): free the port at once, as ser2net does.
    socket.on('end', () => socket.destroy());
    socket.on('close', () => {
      if (client === socket) {
        offOutput?.();
        offOutput = null;
        client = null;
      }
      notify('disconnect', remote);
    });
    notify('connect', remote);
  });

  const offLifecycle = onEndpointLifecycle(endpoint, (event) => {
    if (event === 'unplug') drop();
    else if (event === 'close') void close();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      offLifecycle();
      reject(e);
    });
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      offLifecycle();
      drop();
      server.close(() => resolve());
    });
    return closing;
  }

  return {
    host,
    port,
    get connected() {
      return client !== null;
    },
    close,
  };
}
