import { describe, expect, it } from 'vitest';
import { VirtualMhz19 } from './mhz19.js';
import { attachMhz19, createMhz19Port, duplexPair } from './mhz19-port.js';

const READ = Buffer.from([0xff, 0x01, 0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x79]);

function nextData(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk)));
}

describe('createMhz19Port', () => {
  it('carries a command to the sensor and its answer back to the host', async () => {
    let now = Date.UTC(2024, 0, 10, 12);
    const sensor = new VirtualMhz19({ clock: () => now, warmupMs: 0 });
    now += 60_000;
    const port = createMhz19Port(sensor);
    const answer = nextData(port.host);
    port.host.write(READ);
    const bytes = await answer;
    expect(bytes.length).toBe(9);
    expect(bytes[2]! * 256 + bytes[3]!).toBe(Math.round(sensor.groundTruth().co2Ppm));
    port.close();
  });
});

describe('attachMhz19', () => {
  it('stops answering once detached', async () => {
    const sensor = new VirtualMhz19({ clock: () => Date.UTC(2024, 0, 10), warmupMs: 0 });
    const [host, device] = duplexPair();
    const detach = attachMhz19(sensor, device);
    const first = nextData(host);
    host.write(READ);
    expect((await first).length).toBe(9);
    detach();
    const seen: Buffer[] = [];
    host.on('data', (c: Buffer) => seen.push(c));
    host.write(READ);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
    expect(sensor.commands.length).toBe(1);
  });
});
