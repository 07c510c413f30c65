import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { TcpTransport } from './tcp.js';

let servers: Server[] = [];

async function listen(onSocket: (s: Socket) => void, port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

afterEach(async () => {
  await Promise.all(servers.map(closeServer));
  servers = [];
});

describe('TcpTransport', () => {
  it('parses tcp:// URLs, IPv6 included', () => {
    expect(TcpTransport.fromUrl('tcp://ser2net.local:2000').description).toBe('tcp://ser2net.local:2000');
    const v6 = TcpTransport.fromUrl('tcp://[::1]:3000');
    expect(v6.host).toBe('::1');
    expect(v6.description).toBe('tcp://[::1]:3000');
    for (const bad of ['tcp://host', 'http://host:1', 'tcp:/', 'tcp://host:99999']) {
      expect(() => TcpTransport.fromUrl(bad), bad).toThrow(
        expect.objectContaining({ code: 'config.invalid' }),
      );
    }
  });

  it('exchanges bytes with a ser2net-like server', async () => {
    const { port } = await listen((s) => s.on('data', (d) => s.write(`echo:${d.toString()}`)));
    const t = new TcpTransport('127.0.0.1', port);
    await t.open();
    const got = new Promise<string>((resolve) => t.on('data', (c) => resolve(Buffer.from(c).toString())));
    await t.write(new TextEncoder().encode('SKINFO\r\n'));
    expect(await got).toBe('echo:SKINFO\r\n');
    const closes: (Error | undefined)[] = [];
    t.on('close', (e) => closes.push(e));
    await t.close();
    expect(closes).toEqual([undefined]);
    expect(t.isOpen).toBe(false);
  });

  it('reports a reset by the bridge as an unexpected close, then reconnects', async () => {
    const sockets: Socket[] = [];
    const { port } = await listen((s) => sockets.push(s));
    const t = new TcpTransport('127.0.0.1', port);
    await t.open();
    const closed = new Promise<Error | undefined>((resolve) => t.on('close', resolve));
    await new Promise((r) => setTimeout(r, 10));
    sockets[0]!.resetAndDestroy();
    const error = await closed;
    expect(isEchonetError(error, 'transport.closed')).toBe(true);
    expect(t.isOpen).toBe(false);
    await t.open();
    expect(t.isOpen).toBe(true);
    await t.close();
  });

  it('fails to open with transport.open when nothing listens', async () => {
    const { server, port } = await listen(() => {});
    await closeServer(server);
    servers = [];
    await expect(new TcpTransport('127.0.0.1', port).open()).rejects.toMatchObject({
      code: 'transport.open',
    });
  });
});
