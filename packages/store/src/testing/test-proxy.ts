/**
 * A TCP relay in front of a real PostgreSQL, for tests of database outages that must not stop
 * the server other test files share: `down()` cuts every open connection and refuses new ones
 * (what clients see when the server stops), `up()` lets them through again. `stall()` is the
 * nastier outage: connections stay open but every byte in either direction is swallowed, and new
 * connections are accepted and never answered (a cable pulled somewhere along the path).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** Port clients connect to (on 127.0.0.1). */
  readonly port: number;
  /** Rewrites a URL pointing at the target so that it goes through the proxy. */
  via(url: string): string;
  /** Resets every connection and stops listening: connects get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port; after `stall()`, resets the swallowed connections and relays new ones. */
  up(): Promise<void>;
  /** Swallows every byte from now on, without a reset or a close, until `up()`. */
  stall(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let stalled = false;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = createServer((client) => {
        if (stalled) {
          sockets.add(client);
          client.on('data', () => undefined).on('error', () => client.destroy());
          return;
        }
        const upstream = connect(targetPort, targetHost);
        sockets.add(client);
        sockets.add(upstream);
        const drop = (): void => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  const resetAll = (): void => {
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
  };

  const down = async (): Promise<void> => {
    const s = server;
    server = undefined;
    resetAll();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    via(url: string): string {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    down,
    stall() {
      stalled = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.removeAllListeners('data');
        socket.on('data', () => undefined);
      }
    },
    up: () => {
      if (stalled) {
        stalled = false;
        resetAll();
      }
      return server ? Promise.resolve() : listen();
    },
    close: down,
  };
}
