import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame, ESV, MODEL_FAMILY } from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../simulator.js';
import { attachPty } from './pty.js';
import { isOk, LineClient, typicalSession } from './testing/line-client.js';
import { closeSerial, openSerial, type SerialPortLike } from './testing/serialport.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pty-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'ttyWISUN');
}

function clientOn(port: SerialPortLike, family: 'single-hop' | 'dual-stack'): LineClient {
  const client = new LineClient((b) => port.write(b), family);
  port.on('data', (b) => client.feed(b));
  return client;
}

describe('PTY attachment (socat) with the real serialport package', () => {
  it.each(['bp35a1', 'rl7023-dss'] as const)(
    '%s: serialport opens the device and runs a whole session',
    async (model) => {
      const sim = new Simulator({ model, rbid: RBID, password: PASSWORD, speed: 1000, seed: 9 });
      cleanup.push(() => sim.close());
      const pty = await attachPty(sim, { path: tempPath() });
      cleanup.push(() => pty.close());
      const port = await openSerial(pty.path);
      cleanup.push(() => closeSerial(port));
      const client = clientOn(port, MODEL_FAMILY[model]);
      const { reply } = await typicalSession(client, { rbid: RBID, password: PASSWORD });
      expect(decodeFrame(reply).esv).toBe(ESV.Get_Res);
      expect(client.events.filter((e) => e.type === 'error')).toEqual([]);
    },
  );

  it('survives the host closing and reopening the port', async () => {
    const sim = new Simulator({ model: 'bp35c2', rbid: RBID, password: PASSWORD, speed: 0 });
    cleanup.push(() => sim.close());
    const pty = await attachPty(sim, { path: tempPath() });
    cleanup.push(() => pty.close());
    for (let i = 0; i < 2; i++) {
      const port = await openSerial(pty.path);
      const evs = await clientOn(port, 'dual-stack').send({ name: 'SKVER' }, isOk);
      expect(evs).toContainEqual({ type: 'ever', version: '1.5.2' });
      await closeSerial(port);
    }
  });

  it('removes the device on unplug and brings it back on replug', async () => {
    const sim = new Simulator({ model: 'bp35a1', rbid: RBID, password: PASSWORD, speed: 0 });
    cleanup.push(() => sim.close());
    const path = tempPath();
    const pty = await attachPty(sim, { path });
    cleanup.push(() => pty.close());
    const port = await openSerial(path);
    const portGone = new Promise<void>((resolve) => port.once('close', () => resolve()));
    const errors: Error[] = [];
    port.on('error', (e) => errors.push(e));
    sim.unplug(10_000);
    await pty.whenGone();
    expect(existsSync(path)).toBe(false);
    // The open port is dead: the next write fails (EIO) and serialport closes it.
    port.write('SKVER\r\n');
    await portGone;
    expect(errors.map((e) => e.message).join()).toMatch(/EIO/);
    await expect(openSerial(path)).rejects.toThrow();
    sim.clock.advance(10_000);
    await pty.whenReady();
    expect(existsSync(path)).toBe(true);
    const again = await openSerial(path);
    cleanup.push(() => closeSerial(again));
    const evs = await clientOn(again, 'single-hop').send('SKSREG S2', isOk);
    expect(evs).toContainEqual({ type: 'esreg', value: '21' });
  });

  it('refuses to replace a path that is not its own symlink', async () => {
    const sim = new Simulator({ model: 'bp35a1', rbid: RBID, password: PASSWORD, speed: 0 });
    cleanup.push(() => sim.close());
    const path = tempPath();
    writeFileSync(path, 'not a device');
    await expect(attachPty(sim, { path })).rejects.toThrow(/not a symlink/);
    expect(existsSync(path)).toBe(true);
  });
});
