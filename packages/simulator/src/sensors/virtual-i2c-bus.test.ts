import { describe, expect, it } from 'vitest';
import { type I2cDevice, openVirtualI2cBus, VirtualI2cBus } from './virtual-i2c-bus.js';

/** A 256-byte register file with auto-increment, logging every transaction. */
class RegisterFile implements I2cDevice {
  readonly regs = new Uint8Array(256);
  readonly log: string[] = [];
  pointer = 0;

  i2cWrite(bytes: Uint8Array): void {
    this.log.push(`W ${Array.from(bytes).join(',')}`);
    this.pointer = bytes[0]!;
    for (let i = 1; i < bytes.length; i++) this.regs[(this.pointer + i - 1) & 0xff] = bytes[i]!;
  }

  i2cRead(length: number): Uint8Array {
    this.log.push(`R ${length}`);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.regs[(this.pointer + i) & 0xff]!;
    this.pointer = (this.pointer + length) & 0xff;
    return out;
  }
}

describe('VirtualI2cBus (PromisifiedBus)', () => {
  it('maps SMBus calls onto write-then-read transactions', async () => {
    const dev = new RegisterFile();
    dev.regs.set([0x11, 0x22, 0x33], 0x40);
    const bus = openVirtualI2cBus([[0x50, dev]]);
    expect(await bus.readByte(0x50, 0x41)).toBe(0x22);
    expect(await bus.readWord(0x50, 0x40)).toBe(0x2211);
    const { bytesRead, buffer } = await bus.readI2cBlock(0x50, 0x40, 3, Buffer.alloc(3));
    expect(bytesRead).toBe(3);
    expect(Array.from(buffer)).toEqual([0x11, 0x22, 0x33]);
    await bus.writeByte(0x50, 0x10, 0xab);
    await bus.writeWord(0x50, 0x20, 0x1234);
    await bus.writeI2cBlock(0x50, 0x30, 2, Buffer.from([1, 2]));
    expect(dev.log).toEqual([
      'W 65',
      'R 1',
      'W 64',
      'R 2',
      'W 64',
      'R 3',
      'W 16,171',
      'W 32,52,18',
      'W 48,1,2',
    ]);
  });

  it('passes raw transfers through i2cWrite/i2cRead', async () => {
    const dev = new RegisterFile();
    const bus = openVirtualI2cBus([[0x50, dev]]);
    expect((await bus.i2cWrite(0x50, 3, Buffer.from([0x05, 9, 8]))).bytesWritten).toBe(3);
    await bus.i2cWrite(0x50, 1, Buffer.from([0x05]));
    const { buffer } = await bus.i2cRead(0x50, 2, Buffer.alloc(2));
    expect(Array.from(buffer)).toEqual([9, 8]);
  });

  it('rejects a transfer to an empty address with EREMOTEIO like i2c-dev', async () => {
    const bus = openVirtualI2cBus([]);
    await expect(bus.readByte(0x76, 0xd0)).rejects.toMatchObject({
      message: 'EREMOTEIO, Remote I/O error',
      code: 'EREMOTEIO',
      errno: 121,
      syscall: 'readByte',
    });
  });

  it('rejects bad arguments with i2c-bus messages', async () => {
    const bus = openVirtualI2cBus([[0x50, new RegisterFile()]]);
    await expect(bus.readByte(0x80, 0)).rejects.toThrow('Invalid I2C address 128');
    await expect(bus.readByte(0x50, 256)).rejects.toThrow('Invalid I2C command 256');
    await expect(bus.readI2cBlock(0x50, 0, 33, Buffer.alloc(33))).rejects.toThrow('Invalid buffer length 33');
    await expect(bus.readI2cBlock(0x50, 0, 4, Buffer.alloc(2))).rejects.toThrow(
      'Buffer must contain at least 4 bytes',
    );
    await expect(bus.writeByte(0x50, 0, 300)).rejects.toThrow('Invalid byte 300');
  });

  it('scans for targets that acknowledge', async () => {
    const bus = openVirtualI2cBus([
      [0x76, new RegisterFile()],
      [0x23, new RegisterFile()],
    ]);
    expect(await bus.scan()).toEqual([0x23, 0x76]);
    expect(await bus.scan(0x76)).toEqual([0x76]);
    expect(await bus.scan(0x24, 0x75)).toEqual([]);
  });

  it('detaches a target (a loose wire) and exposes its callback bus', async () => {
    const raw = new VirtualI2cBus([[0x50, new RegisterFile()]]);
    const bus = raw.promisifiedBus();
    expect(bus.bus()).toBe(raw);
    raw.detach(0x50);
    await expect(bus.receiveByte(0x50)).rejects.toMatchObject({ code: 'EREMOTEIO' });
    await bus.close();
    expect(raw.closed).toBe(true);
  });

  it('offers the synchronous and callback forms of i2c-bus', async () => {
    const dev = new RegisterFile();
    dev.regs[0xd0] = 0x60;
    const raw = new VirtualI2cBus([[0x76, dev]]);
    expect(raw.readByteSync(0x76, 0xd0)).toBe(0x60);
    const viaCallback = await new Promise<number>((resolve, reject) =>
      raw.readByte(0x76, 0xd0, (err, byte) => (err ? reject(err) : resolve(byte))),
    );
    expect(viaCallback).toBe(0x60);
    expect(() => raw.readByteSync(0x77, 0xd0)).toThrow('EREMOTEIO');
    expect(raw.i2cFuncsSync().smbusReadI2cBlock).toBe(true);
  });
});
