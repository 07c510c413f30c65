import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator } from '../simulator.js';
import {
  answeringEndpoint,
  type ByteEndpoint,
  dongleEndpoint,
  type EndpointEvent,
  mhz19Endpoint,
} from './byte-endpoint.js';
import { attachPty } from './pty.js';
import { serveTcp } from './tcp.js';
import { MHZ19_READ_COMMAND, mhz19ChecksumValid, mhz19Ppm, nextBytes } from './testing/mhz19-host.js';
import { closeSerial, openSerial } from './testing/serialport.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
const START = Date.UTC(2026, 0, 15, 3);

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A simulator on a manual clock, 10 simulated minutes after power-on (the sensor has preheated). */
function simulator(): Simulator {
  const sim = new Simulator({ model: 'bp35a1', rbid: RBID, password: PASSWORD, speed: 0, start: START });
  cleanup.push(() => sim.close());
  sim.clock.advance(10 * 60_000);
  return sim;
}

function tempPath(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, name);
}

function outputOf(endpoint: ByteEndpoint): Uint8Array[] {
  const seen: Uint8Array[] = [];
  cleanup.push(endpoint.onOutput((b) => seen.push(b)));
  return seen;
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
    cleanup.push(() => {
      s.destroy();
    });
  });
}

const closed = (s: Socket) =>
  new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

describe('mhz19Endpoint', () => {
  it('answers a read command, split or whole, to every output listener', () => {
    const sim = simulator();
    const co2 = mhz19Endpoint(sim);
    const seen = outputOf(co2);
    const other = outputOf(co2);
    co2.write(MHZ19_READ_COMMAND.subarray(0, 4));
    expect(seen).toEqual([]);
    co2.write(MHZ19_READ_COMMAND.subarray(4));
    expect(seen).toHaveLength(1);
    expect(other).toEqual(seen);
    const answer = seen[0]!;
    expect(answer[0]).toBe(0xff);
    expect(answer[1]).toBe(0x86);
    expect(mhz19ChecksumValid(answer)).toBe(true);
    expect(mhz19Ppm(answer)).toBe(sim.sensors.mhz19.reading().ppm);
  });

  it('stays present through a dongle unplug and closes with the simulator', async () => {
    const sim = simulator();
    const co2 = mhz19Endpoint(sim);
    const events: EndpointEvent[] = [];
    co2.onLifecycle?.((e) => events.push(e));
    const seen = outputOf(co2);
    sim.unplug(60_000);
    expect(co2.present).not.toBe(false);
    co2.write(MHZ19_READ_COMMAND);
    expect(seen).toHaveLength(1);
    await sim.close();
    expect(co2.closed).toBe(true);
    co2.write(MHZ19_READ_COMMAND);
    expect(seen).toHaveLength(1);
    expect(events).toEqual(['close']);
  });

  it('answers only on the endpoint that carried the command', () => {
    const sim = simulator();
    const first = mhz19Endpoint(sim);
    const second = mhz19Endpoint(sim);
    const heardByFirst = outputOf(first);
    const heardBySecond = outputOf(second);
    second.write(MHZ19_READ_COMMAND);
    expect(heardByFirst).toEqual([]);
    expect(heardBySecond).toHaveLength(1);
  });

  it('stops delivering to a listener that unsubscribed', () => {
    const sim = simulator();
    const co2 = mhz19Endpoint(sim);
    const seen: Uint8Array[] = [];
    const off = co2.onOutput((b) => seen.push(b));
    off();
    co2.write(MHZ19_READ_COMMAND);
    expect(seen).toEqual([]);
    expect(sim.sensors.mhz19.commands).toHaveLength(1);
  });
});

describe('dongleEndpoint', () => {
  it('is absent while unplugged and reports unplug, replug and close', async () => {
    const sim = simulator();
    const dongle = dongleEndpoint(sim);
    const events: EndpointEvent[] = [];
    dongle.onLifecycle?.((e) => events.push(e));
    expect(dongle.present).toBe(true);
    sim.unplug(1000);
    expect(dongle.present).toBe(false);
    sim.clock.advance(1000);
    expect(dongle.present).toBe(true);
    await sim.close();
    expect(dongle.closed).toBe(true);
    expect(events).toEqual(['unplug', 'replug', 'close']);
  });
});

describe('serveTcp and attachPty with a byte endpoint', () => {
  it('serves the MH-Z19 over TCP, through a dongle unplug, until the simulator closes', async () => {
    const sim = simulator();
    const tcp = await serveTcp(mhz19Endpoint(sim));
    cleanup.push(() => tcp.close());
    const socket = await dial(tcp.port);
    let answer = nextBytes(socket, 9);
    socket.write(MHZ19_READ_COMMAND);
    expect(mhz19ChecksumValid(await answer)).toBe(true);
    expect(mhz19Ppm(await answer)).toBe(sim.sensors.mhz19.reading().ppm);

    sim.unplug(60_000);
    answer = nextBytes(socket, 9);
    socket.write(MHZ19_READ_COMMAND);
    expect((await answer)[1]).toBe(0x86);
    expect(tcp.connected).toBe(true);

    await sim.close();
    await closed(socket);
    expect(tcp.connected).toBe(false);
  });

  it('serialport opens the MH-Z19 PTY at 9600 8N1 and reads CO2', async () => {
    const sim = simulator();
    const path = tempPath('ttyCO2');
    const pty = await attachPty(mhz19Endpoint(sim), { path });
    cleanup.push(() => pty.close());
    const port = await openSerial(path, 9600);
    cleanup.push(() => closeSerial(port));
    const answer = nextBytes(port, 9);
    port.write(Buffer.from(MHZ19_READ_COMMAND));
    const bytes = await answer;
    expect(bytes[0]).toBe(0xff);
    expect(bytes[1]).toBe(0x86);
    expect(mhz19ChecksumValid(bytes)).toBe(true);
    expect(mhz19Ppm(bytes)).toBe(sim.sensors.mhz19.reading().ppm);
    expect(bytes[4]! - 40).toBe(sim.sensors.mhz19.reading().temperatureC);
  });

  it('keeps the sensor PTY through a dongle unplug and removes it when the simulator closes', async () => {
    const sim = simulator();
    const path = tempPath('ttyCO2');
    const pty = await attachPty(mhz19Endpoint(sim), { path });
    cleanup.push(() => pty.close());
    const port = await openSerial(path, 9600);
    cleanup.push(() => closeSerial(port));
    sim.unplug(60_000);
    const answer = nextBytes(port, 9);
    port.write(Buffer.from(MHZ19_READ_COMMAND));
    expect((await answer)[1]).toBe(0x86);
    expect(pty.ready).toBe(true);
    await sim.close();
    await pty.whenGone();
    expect(existsSync(path)).toBe(false);
  });

  it('a PTY host does not hear the answers to a TCP host of the same sensor', async () => {
    const sim = simulator();
    const path = tempPath('ttyCO2');
    const pty = await attachPty(mhz19Endpoint(sim), { path });
    cleanup.push(() => pty.close());
    const tcp = await serveTcp(mhz19Endpoint(sim));
    cleanup.push(() => tcp.close());
    const port = await openSerial(path, 9600);
    cleanup.push(() => closeSerial(port));
    const heard: number[] = [];
    port.on('data', (b: Buffer) => heard.push(...b));
    const socket = await dial(tcp.port);
    const viaTcp = nextBytes(socket, 9);
    socket.write(MHZ19_READ_COMMAND);
    expect(mhz19ChecksumValid(await viaTcp)).toBe(true);
    // The PTY host's own answer is marked (bad checksum), so anything before it would be a stray
    // answer to the TCP host: the bridge delivers in order.
    sim.sensors.mhz19.faults.corruptReplies = 1;
    const own = nextBytes(port, 9);
    port.write(Buffer.from(MHZ19_READ_COMMAND));
    expect(mhz19ChecksumValid(await own)).toBe(false);
    expect(heard).toHaveLength(9);
  });

  it('carries every byte value unchanged through the PTY (no line discipline in the way)', async () => {
    const echo = answeringEndpoint({ handleBytes: (chunk) => Uint8Array.from(chunk) });
    const path = tempPath('ttyECHO');
    const pty = await attachPty(echo, { path });
    cleanup.push(() => pty.close());
    const port = await openSerial(path, 9600);
    cleanup.push(() => closeSerial(port));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const back = nextBytes(port, all.length);
    port.write(Buffer.from(all));
    expect(await back).toEqual(all);
  });
});
