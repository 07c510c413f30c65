import { connect, type Socket } from 'node:net';
import { MODEL_FAMILY } from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../simulator.js';
import { serveTcp, type TcpAttachment } from './tcp.js';
import { isOk, LineClient, typicalSession } from './testing/line-client.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(model: 'rl7023-ips' | 'rs-wsuha-p', speed: number) {
  const sim = new Simulator({ model, rbid: RBID, password: PASSWORD, speed, seed: 5 });
  const tcp = await serveTcp(sim);
  cleanup.push(
    () => sim.close(),
    () => tcp.close(),
  );
  return { sim, tcp };
}

function dial(tcp: TcpAttachment): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(tcp.port, tcp.host, () => resolve(s));
    s.once('error', reject);
  });
}

/** Connects and resolves once the server has closed the connection again (refused host). */
function refused(tcp: TcpAttachment): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(tcp.port, tcp.host);
    s.on('error', () => {});
    s.once('close', () => resolve());
  });
}

async function until(test: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
}

const closed = (s: Socket) =>
  new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('TCP attachment (ser2net style)', () => {
  it.each(['rl7023-ips', 'rs-wsuha-p'] as const)(
    '%s: a TCP client runs a whole session on raw bytes',
    async (model) => {
      const { tcp } = await setup(model, 2000);
      const socket = await dial(tcp);
      cleanup.push(async () => {
        socket.destroy();
      });
      const client = new LineClient((b) => socket.write(b), MODEL_FAMILY[model]);
      socket.on('data', (b: Buffer) => client.feed(b));
      const { reply } = await typicalSession(client, { rbid: RBID, password: PASSWORD });
      expect(reply[0]).toBe(0x10);
      expect(client.events.filter((e) => e.type === 'error')).toEqual([]);
    },
  );

  it('serves one host at a time and keeps the dongle state across reconnects', async () => {
    const { tcp } = await setup('rl7023-ips', 0);
    const first = await dial(tcp);
    const client = new LineClient((b) => first.write(b), 'single-hop');
    first.on('data', (b: Buffer) => client.feed(b));
    await client.send('SKSREG S2 30', isOk);
    await refused(tcp); // the port is in use
    first.destroy();
    await closed(first);
    await until(() => !tcp.connected);
    const third = await dial(tcp);
    cleanup.push(async () => {
      third.destroy();
    });
    const again = new LineClient((b) => third.write(b), 'single-hop');
    third.on('data', (b: Buffer) => again.feed(b));
    const evs = await again.send('SKSREG S2', isOk);
    expect(evs).toContainEqual({ type: 'esreg', value: '30' });
  });

  it('closes the connection on unplug and refuses connections until replug', async () => {
    const { sim, tcp } = await setup('rs-wsuha-p', 0);
    const socket = await dial(tcp);
    sim.unplug(60_000);
    await closed(socket);
    expect(tcp.connected).toBe(false);
    await refused(tcp);
    sim.clock.advance(60_000);
    const after = await dial(tcp);
    cleanup.push(async () => {
      after.destroy();
    });
    const client = new LineClient((b) => after.write(b), 'dual-stack');
    after.on('data', (b: Buffer) => client.feed(b));
    const evs = await client.send({ name: 'SKVER' }, isOk);
    expect(evs).toContainEqual({ type: 'ever', version: '1.5.2' });
  });
});
