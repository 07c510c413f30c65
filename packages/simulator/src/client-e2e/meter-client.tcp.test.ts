import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MemoryPanCacheStore,
  MeterClient,
  SerialTransport,
  type SessionState,
  TcpTransport,
  type Transport,
} from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { attachPty, serveTcp } from '../index.js';
import { SimDriver } from './sim-driver.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Cold start, a reading, the dongle unplugged for a minute, a reading after the reopen. */
async function survivesUnplug(d: SimDriver, transport: Transport): Promise<SessionState[]> {
  const client = new MeterClient({
    rbid: RBID,
    password: PASSWORD,
    device: d.watch(transport),
    clock: d.clock,
    panCache: new MemoryPanCacheStore(),
  });
  const states: SessionState[] = [];
  client.on('state', (s) => states.push(s));
  await d.run(client.open());
  expect(typeof (await d.run(client.getInstantaneousPower()))).toBe('number');
  d.sim.unplug(60_000);
  const afterReplug = await d.run(client.getCumulativeEnergy());
  expect(afterReplug).toBeGreaterThan(0);
  expect(client.state).toBe('ready');
  await d.run(client.close());
  return states;
}

describe('MeterClient over real byte pipes to the simulator', () => {
  it('tcp:// (ser2net-style bridge): the bridge dropping the connection on unplug ends in a reopen', async () => {
    const d = new SimDriver({
      model: 'bp35c2',
      rbid: RBID,
      password: PASSWORD,
      seed: 3,
      meter: { counters: { initialNormal: 1000 } },
    });
    cleanups.push(() => d.close());
    const tcp = await serveTcp(d.sim);
    cleanups.push(() => tcp.close());
    const states = await survivesUnplug(d, TcpTransport.fromUrl(`tcp://127.0.0.1:${tcp.port}`));
    expect(states).toContain('recovering');
    expect(states.at(-2)).toBe('ready');
  });

  it.runIf(hasSocat())(
    'serial device (PTY made by socat) that vanishes on unplug and comes back',
    async () => {
      const d = new SimDriver({
        model: 'bp35a1',
        rbid: RBID,
        password: PASSWORD,
        seed: 4,
        meter: { counters: { initialNormal: 1000 } },
      });
      cleanups.push(() => d.close());
      const dir = await mkdtemp(join(tmpdir(), 'echonet-sim-pty-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const pty = await attachPty(d.sim, { path: join(dir, 'ttyWISUN') });
      cleanups.push(() => pty.close());
      await pty.whenReady();
      const states = await survivesUnplug(d, new SerialTransport(pty.path));
      expect(states).toContain('recovering');
    },
  );
});
