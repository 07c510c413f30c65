import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { DuplexTransport } from './duplex.js';

/** Two connected ends: what one writes, the other reads; ending one ends the other's input. */
function pipePair(): [Duplex, Duplex] {
  const make = () =>
    new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        peer(this).push(chunk);
        cb();
      },
      final(cb) {
        peer(this).push(null);
        cb();
      },
    });
  const a = make();
  const b = make();
  const peer = (d: Duplex) => (d === a ? b : a);
  return [a, b];
}

function nextData(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve) => stream.once('data', resolve));
}

describe('DuplexTransport', () => {
  it('carries bytes both ways', async () => {
    const [near, far] = pipePair();
    const t = new DuplexTransport(near);
    await t.open();
    const got: Uint8Array[] = [];
    t.on('data', (c) => got.push(c));
    const received = nextData(far);
    await t.write(new TextEncoder().encode('SKVER\r\n'));
    expect((await received).toString()).toBe('SKVER\r\n');
    far.write('EVER 1.2.10\r\n');
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(got).toString()).toBe('EVER 1.2.10\r\n');
  });

  it('reports a peer that ends the stream as an unexpected close, once', async () => {
    const [near, far] = pipePair();
    const t = new DuplexTransport(near);
    await t.open();
    const closes: (Error | undefined)[] = [];
    t.on('close', (e) => closes.push(e));
    far.end();
    await new Promise((r) => setTimeout(r, 20));
    expect(closes).toHaveLength(1);
    expect(isEchonetError(closes[0], 'transport.closed')).toBe(true);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'transport.closed' });
  });

  it('asks the factory for a new stream on every open and destroys it on close', async () => {
    const made: Duplex[] = [];
    const t = new DuplexTransport(() => {
      const [near] = pipePair();
      made.push(near);
      return near;
    });
    const closes: (Error | undefined)[] = [];
    t.on('close', (e) => closes.push(e));
    await t.open();
    await t.close();
    expect(made[0]!.destroyed).toBe(true);
    expect(closes).toEqual([undefined]);
    await t.open();
    expect(made).toHaveLength(2);
    expect(t.isOpen).toBe(true);
    await t.close();
    expect(made[1]!.listenerCount('data')).toBe(0);
  });

  it('turns a failing factory (device unplugged) into transport.open', async () => {
    const t = new DuplexTransport(() => {
      throw new Error('unplugged');
    });
    await expect(t.open()).rejects.toMatchObject({ code: 'transport.open' });
    expect(t.isOpen).toBe(false);
  });

  it('refuses a stream that has already ended', async () => {
    const [near] = pipePair();
    near.destroy();
    await expect(new DuplexTransport(near).open()).rejects.toMatchObject({ code: 'transport.open' });
  });

  it('keeps an injected single stream usable across close and open', async () => {
    const [near, far] = pipePair();
    const t = new DuplexTransport(near);
    await t.open();
    await t.close();
    expect(near.destroyed).toBe(false);
    expect(near.listenerCount('data')).toBe(0);
    await t.open();
    const received = nextData(far);
    await t.write(Uint8Array.of(0x41));
    expect((await received).toString()).toBe('A');
  });
});
