import type { I2CBus, I2CFuncs, PromisifiedBus } from 'i2c-bus';

type BytesRead = { bytesRead: number; buffer: Buffer };
type BytesWritten = { bytesWritten: number; buffer: Buffer };
type I2CDeviceId = { manufacturer: number; product: number; name: string };

/**
 * Promise wrapper over any callback-style `I2CBus`, as `i2c-bus` builds its own `PromisifiedBus`:
 * argument errors thrown by the bus become rejections.
 */
export class PromisifiedI2cBus implements PromisifiedBus {
  readonly #bus: I2CBus;

  constructor(bus: I2CBus) {
    this.#bus = bus;
  }

  bus(): I2CBus {
    return this.#bus;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.#bus.close((err) => (err ? reject(err) : resolve())));
  }

  i2cFuncs(): Promise<I2CFuncs> {
    return new Promise((resolve, reject) => this.#bus.i2cFuncs((err, f) => (err ? reject(err) : resolve(f))));
  }

  scan(startAddr?: number, endAddr?: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const done = (err: unknown, found: number[]) => (err ? reject(err) : resolve(found));
      if (startAddr === undefined) this.#bus.scan(done);
      else if (endAddr === undefined) this.#bus.scan(startAddr, done);
      else this.#bus.scan(startAddr, endAddr, done);
    });
  }

  deviceId(address: number): Promise<I2CDeviceId> {
    return new Promise((resolve, reject) =>
      this.#bus.deviceId(address, (err, id) => (err ? reject(err) : resolve(id))),
    );
  }

  i2cRead(address: number, length: number, buffer: Buffer): Promise<BytesRead> {
    return new Promise((resolve, reject) =>
      this.#bus.i2cRead(address, length, buffer, (err, bytesRead, buf) =>
        err ? reject(err) : resolve({ bytesRead, buffer: buf }),
      ),
    );
  }

  i2cWrite(address: number, length: number, buffer: Buffer): Promise<BytesWritten> {
    return new Promise((resolve, reject) =>
      this.#bus.i2cWrite(address, length, buffer, (err, bytesWritten, buf) =>
        err ? reject(err) : resolve({ bytesWritten, buffer: buf }),
      ),
    );
  }

  readByte(address: number, command: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.#bus.readByte(address, command, (err, byte) => (err ? reject(err) : resolve(byte))),
    );
  }

  readWord(address: number, command: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.#bus.readWord(address, command, (err, word) => (err ? reject(err) : resolve(word))),
    );
  }

  readI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<BytesRead> {
    return new Promise((resolve, reject) =>
      this.#bus.readI2cBlock(address, command, length, buffer, (err, bytesRead, buf) =>
        err ? reject(err) : resolve({ bytesRead, buffer: buf }),
      ),
    );
  }

  receiveByte(address: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.#bus.receiveByte(address, (err, byte) => (err ? reject(err) : resolve(byte))),
    );
  }

  sendByte(address: number, byte: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#bus.sendByte(address, byte, (err) => (err ? reject(err) : resolve())),
    );
  }

  writeByte(address: number, command: number, byte: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#bus.writeByte(address, command, byte, (err) => (err ? reject(err) : resolve())),
    );
  }

  writeWord(address: number, command: number, word: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#bus.writeWord(address, command, word, (err) => (err ? reject(err) : resolve())),
    );
  }

  writeQuick(address: number, command: number, bit: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#bus.writeQuick(address, command, bit, (err) => (err ? reject(err) : resolve())),
    );
  }

  writeI2cBlock(address: number, command: number, length: number, buffer: Buffer): Promise<BytesWritten> {
    return new Promise((resolve, reject) =>
      this.#bus.writeI2cBlock(address, command, length, buffer, (err, bytesWritten, buf) =>
        err ? reject(err) : resolve({ bytesWritten, buffer: buf }),
      ),
    );
  }
}
