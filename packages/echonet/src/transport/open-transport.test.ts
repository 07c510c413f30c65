import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DuplexTransport } from './duplex.js';
import { createTransport } from './open-transport.js';
import { SerialTransport } from './serial.js';
import { TcpTransport } from './tcp.js';

const idle = () => new Duplex({ read() {}, write: (_c, _e, cb) => cb() });

describe('createTransport', () => {
  it('reads a tcp:// URL as a TCP bridge', () => {
    const t = createTransport('tcp://192.168.1.20:2000');
    expect(t).toBeInstanceOf(TcpTransport);
    expect(t.description).toBe('tcp://192.168.1.20:2000');
  });

  it('reads any other string as a serial device at 115200 unless told otherwise', () => {
    const t = createTransport('/dev/ttyUSB0');
    expect(t).toBeInstanceOf(SerialTransport);
    expect((t as SerialTransport).baudRate).toBe(115_200);
    expect((createTransport('COM3', { baudRate: 9600 }) as SerialTransport).baudRate).toBe(9600);
  });

  it('wraps a duplex or a duplex factory, and passes a transport through', async () => {
    expect(createTransport(idle())).toBeInstanceOf(DuplexTransport);
    const fromFactory = createTransport(() => idle());
    expect(fromFactory).toBeInstanceOf(DuplexTransport);
    await fromFactory.open();
    expect(fromFactory.isOpen).toBe(true);
    await fromFactory.close();
    const own = new DuplexTransport(idle());
    expect(createTransport(own)).toBe(own);
  });

  it('rejects malformed endpoints with config.invalid', () => {
    expect(() => createTransport('tcp://nohost')).toThrow(
      expect.objectContaining({ code: 'config.invalid' }),
    );
    expect(() => createTransport('')).toThrow(expect.objectContaining({ code: 'config.invalid' }));
  });
});
