import { decodeFrame, ESV, MODEL_FAMILY } from '@b-route/echonet';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessDongle, type InProcessDongle } from './in-process.js';
import { isOk, LineClient, typicalSession } from './testing/line-client.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';

let opened: InProcessDongle[] = [];
afterEach(async () => {
  for (const d of opened) await d.close();
  opened = [];
});

function dongle(model: 'bp35a1' | 'bp35c2', speed: number) {
  const d = createInProcessDongle({ model, rbid: RBID, password: PASSWORD, speed, seed: 3 });
  opened.push(d);
  return d;
}

describe('in-process attachment', () => {
  it.each(['bp35a1', 'bp35c2'] as const)(
    '%s: a client scans, joins and reads power over the Duplex',
    async (model) => {
      const { port, sim } = dongle(model, 2000);
      const client = new LineClient((b) => port.write(b), MODEL_FAMILY[model]);
      port.on('data', (b: Buffer) => client.feed(b));
      const { pan, reply } = await typicalSession(client, { rbid: RBID, password: PASSWORD });
      expect(pan.pairId).toBe(RBID.slice(-8));
      expect(pan.channel).toBe(sim.radio.channel);
      const frame = decodeFrame(reply);
      expect(frame.esv).toBe(ESV.Get_Res);
      expect(frame.properties[0]?.epc).toBe(0xe7);
      expect(client.events.filter((e) => e.type === 'error')).toEqual([]);
    },
  );

  it('ends the stream on unplug, refuses to open meanwhile, and opens a freshly booted dongle after replug', async () => {
    const d = dongle('bp35a1', 0);
    const client = new LineClient((b) => d.port.write(b), 'single-hop');
    d.port.on('data', (b: Buffer) => client.feed(b));
    await client.send('SKSREG S2 2B', isOk);
    const closed = new Promise((resolve) => d.port.once('close', resolve));
    d.sim.unplug(30_000);
    await closed;
    expect(() => d.open()).toThrow(/unplugged/);
    d.sim.clock.advance(30_000);
    expect(d.sim.plugged).toBe(true);
    const port = d.open();
    const again = new LineClient((b) => port.write(b), 'single-hop');
    port.on('data', (b: Buffer) => again.feed(b));
    const evs = await again.send('SKSREG S2', isOk);
    expect(evs).toContainEqual({ type: 'esreg', value: '21' });
  });

  it('a new open() ends the previous stream (one host at a time)', async () => {
    const d = dongle('bp35c2', 0);
    const ended = new Promise((resolve) => d.port.once('close', resolve));
    const second = d.open();
    await ended;
    const client = new LineClient((b) => second.write(b), 'dual-stack');
    second.on('data', (b: Buffer) => client.feed(b));
    const evs = await client.send({ name: 'SKVER' }, isOk);
    expect(evs).toContainEqual({ type: 'ever', version: '1.5.2' });
  });
});
