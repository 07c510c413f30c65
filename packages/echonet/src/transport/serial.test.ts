import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { SerialTransport } from './serial.js';

function hasSocat(): boolean {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface PtyPair {
  readonly near: string;
  readonly far: string;
  readonly proc: ChildProcess;
}

let procs: ChildProcess[] = [];
let dirs: string[] = [];

/** Two linked pseudo-terminals made by socat: a real tty on each side, like a USB serial dongle. */
async function ptyPair(reuse?: string): Promise<PtyPair> {
  const dir = reuse ?? (await mkdtemp(join(tmpdir(), 'echonet-pty-')));
  dirs.push(dir);
  const near = join(dir, 'near');
  const far = join(dir, 'far');
  const proc = spawn('socat', [`pty,raw,echo=0,link=${near}`, `pty,raw,echo=0,link=${far}`], {
    stdio: 'ignore',
  });
  procs.push(proc);
  for (let i = 0; i < 200 && !(existsSync(near) && existsSync(far)); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return { near, far, proc };
}

afterEach(async () => {
  for (const p of procs) p.kill();
  procs = [];
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe.runIf(hasSocat())('SerialTransport over a PTY', { timeout: 10_000 }, () => {
  it('opens at 115200 8N1 and carries bytes both ways', async () => {
    const { near, far } = await ptyPair();
    const dongle = new SerialTransport(far);
    const host = new SerialTransport(near);
    expect(host.baudRate).toBe(115_200);
    await dongle.open();
    await host.open();
    const atDongle = new Promise<string>((resolve) =>
      dongle.on('data', (c) => resolve(Buffer.from(c).toString())),
    );
    await host.write(new TextEncoder().encode('SKVER\r\n'));
    expect(await atDongle).toBe('SKVER\r\n');
    const atHost = new Promise<string>((resolve) =>
      host.on('data', (c) => resolve(Buffer.from(c).toString())),
    );
    await dongle.write(new TextEncoder().encode('EVER 1.2.10\r\n'));
    expect(await atHost).toBe('EVER 1.2.10\r\n');
    const closes: (Error | undefined)[] = [];
    host.on('close', (e) => closes.push(e));
    await host.close();
    await dongle.close();
    expect(closes).toEqual([undefined]);
  });

  it('reports the device vanishing (unplug) as an unexpected close and reopens once it is back', async () => {
    const first = await ptyPair();
    const dongle = new SerialTransport(first.far);
    const host = new SerialTransport(first.near);
    await dongle.open();
    await host.open();
    const atHost = new Promise((resolve) => host.on('data', resolve));
    await dongle.write(Uint8Array.of(0x0a));
    await atHost;
    const closed = new Promise<Error | undefined>((resolve) => host.on('close', resolve));
    first.proc.kill();
    // The kernel reports the hang-up on the next read or write; the client writes on every poll.
    const poke = setInterval(() => host.write(Uint8Array.of(0x0d)).catch(() => {}), 20);
    const error = await closed.finally(() => clearInterval(poke));
    expect(isEchonetError(error, 'transport.closed')).toBe(true);
    expect(host.isOpen).toBe(false);
    for (let i = 0; i < 100 && existsSync(first.near); i++) await new Promise((r) => setTimeout(r, 10));
    await expect(host.open()).rejects.toMatchObject({ code: 'transport.open' });
    // Replugged: the same device path comes back.
    await ptyPair(join(first.near, '..'));
    await host.open();
    expect(host.isOpen).toBe(true);
    await host.close();
    await dongle.close();
  });

  it('fails to open a missing device with transport.open', async () => {
    await expect(new SerialTransport('/dev/does-not-exist-echonet').open()).rejects.toMatchObject({
      code: 'transport.open',
    });
  });
});
