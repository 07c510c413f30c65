import type { I2CBus, I2CFuncs, PromisifiedBus } from 'i2c-bus';
import { PromisifiedI2cBus } from './promisified-i2c-bus.js';

/**
 * An I2C bus in memory with the interface of the `i2c-bus` package (`I2CBus`, and through
 * `promisifiedBus()` its `PromisifiedBus`), so a driver written against `i2c-bus` runs unchanged
 * against virtual targets. Argument checks and error shapes follow i2c-bus 5: bad arguments throw
 * `Error('Invalid …')`; a transfer to an address nobody answers fails like the Linux i2c-dev
 * ioctl does on a Raspberry Pi, with errno EREMOTEIO ("Remote I/O error", the target NACKed).
 *
 * SMBus calls map onto I2C transactions as the kernel's i2c-core emulates them on a plain I2C
 * adapter: "read byte data" = write [cmd] then read 1 (repeated start), "write byte data" =
 * write [cmd, byte], "read I2C block" = write [cmd] then read n, words are little-endian.
 */

/** An I2C target: one call per transaction (START … STOP), bytes after the address byte. */
export interface I2cDevice {
  /** A write transaction carrying `bytes`. */
  i2cWrite(bytes: Uint8Array): void;
  /** A read transaction of `length` bytes. */
  i2cRead(length: number): Uint8Array;
}

type I2CDeviceId = { manufacturer: number; product: number; name: string };
type Done = (error: unknown) => unknown;
type Result<T> = (error: unknown, result: T) => unknown;
type BufferDone = (error: unknown, bytes: number, buffer: Buffer) => unknown;

const FIRST_SCAN_ADDR = 0x03;
const LAST_SCAN_ADDR = 0x77;
const EREMOTEIO = 121;

/** Functionality of an SMBus-emulating adapter (I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL). */
const FUNCS: I2CFuncs = Object.freeze({
  i2c: true,
  tenBitAddr: false,
  protocolMangling: false,
  smbusPec: true,
  smbusBlockProcCall: false,
  smbusQuick: true,
  smbusReceiveByte: true,
  smbusSendByte: true,
  smbusReadByte: true,
  smbusWriteByte: true,
  smbusReadWord: true,
  smbusWriteWord: true,
  smbusProcCall: true,
  smbusReadBlock: false,
  smbusWriteBlock: true,
  smbusReadI2cBlock: true,
  smbusWriteI2cBlock: true,
});

/** The error i2c-bus reports when the target does not acknowledge (node ErrnoException shape). */
export function remoteIoError(syscall: string): Error {
  const error = new Error('EREMOTEIO, Remote I/O error') as Error & {
    errno: number;
    code: string;
    syscall: string;
  };
  error.errno = EREMOTEIO;
  error.code = 'EREMOTEIO';
  error.syscall = syscall;
  return error;
}

export class VirtualI2cBus implements I2CBus {
  readonly busNumber: number;
  readonly #devices = new Map<number, I2cDevice>();
  readonly #promisified: PromisifiedI2cBus;
  #closed = false;

  constructor(devices: Iterable<readonly [number, I2cDevice]> = [], busNumber = 1) {
    this.busNumber = busNumber;
    for (const [address, device] of devices) this.attach(address, device);
    this.#promisified = new PromisifiedI2cBus(this);
  }

  /** Connect `device` at 7-bit `address`. */
  attach(address: number, device: I2cDevice): void {
    checkAddress(address);
    this.#devices.set(address, device);
  }

  /** Disconnect whatever answers at `address` (a loose wire). */
  detach(address: number): void {
    this.#devices.delete(address);
  }

  /** True after `close`/`closeSync`; like i2c-bus, later calls still work (they reopen). */
  get closed(): boolean {
    return this.#closed;
  }

  promisifiedBus(): PromisifiedBus {
    return this.#promisified;
  }

  closeSync(): void {
    this.#closed = true;
  }

  i2cFuncsSync(): I2CFuncs {
    return FUNCS;
  }

  scanSync(startAddr?: number, endAddr?: number): number[] {
    const [from, to] = scanRange(startAddr, endAddr);
    const found: number[] = [];
    // Like i2c-bus: probe each address with an SMBus "receive byte"; whoever acknowledges is there.
    for (let a = from; a <= to; a++) {
      const device = this.#devices.get(a);
      if (!device) continue;
      device.i2cRead(1);
      found.push(a);
    }
    return found;
  }

  deviceIdSync(address: number): I2CDeviceId {
    checkAddress(address);
    // Device ID is read through reserved address 0x7C; the targets simulated here do not implement it.
    throw remoteIoError('deviceIdSync');
  }

  i2cReadSync(address: number, length: number, buffer: Buffer): number {
    checkAddress(address);
    checkBufferAndLength(length, buffer);
    const bytes = this.#target(address, 'read').i2cRead(length);
    buffer.set(bytes.subarray(0, length), 0);
    return length;
  }

  i2cWriteSync(address: number, length: number, buffer: Buffer): number {
    checkAddress(address);
    checkBufferAndLength(length, buffer);
    this.#target(address, 'write').i2cWrite(Uint8Array.from(buffer.subarray(0, length)));
    return length;
  }

  readByteSync(address: number, command: number): number {
    checkAddress(address);
    checkCommand(command);
    return this.#readAt(address, command, 1, 'readByteSync')[0]!;
  }

  readWordSync(address: number, command: number): number {
    checkAddress(address);
    checkCommand(command);
    const b = this.#readAt(address, command, 2, 'readWordSync');
    return b[0]! | (b[1]! << 8);
  }

  readI2cBlockSync(address: number, command: number, length: number, buffer: Buffer): number {
    checkAddress(address);
    checkCommand(command);
    checkBufferAndLength(length, buffer, 32);
    buffer.set(this.#readAt(address, command, length, 'readI2cBlockSync'), 0);
    return length;
  }

  receiveByteSync(address: number): number {
    checkAddress(address);
    return this.#target(address, 'receiveByteSync').i2cRead(1)[0]!;
  }

  sendByteSync(address: number, byte: number): void {
    checkAddress(address);
    checkByte(byte);
    this.#target(address, 'sendByteSync').i2cWrite(Uint8Array.of(byte));
  }

  writeByteSync(address: number, command: number, byte: number): void {
    checkAddress(address);
    checkCommand(command);
    checkByte(byte);
    this.#target(address, 'writeByteSync').i2cWrite(Uint8Array.of(command, byte));
  }

  writeWordSync(address: number, command: number, word: number): void {
    checkAddress(address);
    checkCommand(command);
    checkWord(word);
    this.#target(address, 'writeWordSync').i2cWrite(Uint8Array.of(command, word & 0xff, word >> 8));
  }

  writeQuickSync(address: number, _command: number, bit: number): void {
    checkAddress(address);
    checkBit(bit);
    // SMBus quick command: only the address byte and R/W bit; the target just acknowledges.
    this.#target(address, 'writeQuickSync');
  }

  writeI2cBlockSync(address: number, command: number, length: number, buffer: Buffer): number {
    checkAddress(address);
    checkCommand(command);
    checkBufferAndLength(length, buffer, 32);
    const bytes = new Uint8Array(length + 1);
    bytes[0] = command;
    bytes.set(buffer.subarray(0, length), 1);
    this.#target(address, 'writeI2cBlockSync').i2cWrite(bytes);
    return length;
  }

  // Callback forms: checks throw synchronously, results arrive in a later turn (setImmediate).

  close(callback: Done): void {
    checkCallback(callback);
    this.#closed = true;
    setImmediate(callback, null);
  }

  i2cFuncs(callback: Result<I2CFuncs>): void {
    checkCallback(callback);
    setImmediate(callback, null, FUNCS);
  }

  scan(...args: (number | Result<number[]>)[]): void {
    const callback = args.pop() as Result<number[]>;
    checkCallback(callback);
    const [start, end] = args as number[];
    const found = this.scanSync(start, end);
    setImmediate(callback, null, found);
  }

  deviceId(address: number, callback: Result<I2CDeviceId>): void {
    checkCallback(callback);
    deferResult(() => this.deviceIdSync(address), callback);
  }

  i2cRead(address: number, length: number, buffer: Buffer, callback: BufferDone): void {
    checkAddress(address);
    checkBufferAndLength(length, buffer);
    checkCallback(callback);
    deferBuffer(() => this.i2cReadSync(address, length, buffer), buffer, callback);
  }

  i2cWrite(address: number, length: number, buffer: Buffer, callback: BufferDone): void {
    checkAddress(address);
    checkBufferAndLength(length, buffer);
    checkCallback(callback);
    deferBuffer(() => this.i2cWriteSync(address, length, buffer), buffer, callback);
  }

  readByte(address: number, command: number, callback: Result<number>): void {
    checkAddress(address);
    checkCommand(command);
    checkCallback(callback);
    deferResult(() => this.#readAt(address, command, 1, 'readByte')[0]!, callback);
  }

  readWord(address: number, command: number, callback: Result<number>): void {
    checkAddress(address);
    checkCommand(command);
    checkCallback(callback);
    deferResult(() => {
      const b = this.#readAt(address, command, 2, 'readWord');
      return b[0]! | (b[1]! << 8);
    }, callback);
  }

  readI2cBlock(address: number, command: number, length: number, buffer: Buffer, callback: BufferDone): void {
    checkAddress(address);
    checkCommand(command);
    checkBufferAndLength(length, buffer, 32);
    checkCallback(callback);
    deferBuffer(
      () => {
        buffer.set(this.#readAt(address, command, length, 'readI2cBlock'), 0);
        return length;
      },
      buffer,
      callback,
    );
  }

  receiveByte(address: number, callback: Result<number>): void {
    checkAddress(address);
    checkCallback(callback);
    deferResult(() => this.#target(address, 'receiveByte').i2cRead(1)[0]!, callback);
  }

  sendByte(address: number, byte: number, callback: Done): void {
    checkAddress(address);
    checkByte(byte);
    checkCallback(callback);
    deferDone(() => this.#target(address, 'sendByte').i2cWrite(Uint8Array.of(byte)), callback);
  }

  writeByte(address: number, command: number, byte: number, callback: Done): void {
    checkAddress(address);
    checkCommand(command);
    checkByte(byte);
    checkCallback(callback);
    deferDone(() => this.#target(address, 'writeByte').i2cWrite(Uint8Array.of(command, byte)), callback);
  }

  writeWord(address: number, command: number, word: number, callback: Done): void {
    checkAddress(address);
    checkCommand(command);
    checkWord(word);
    checkCallback(callback);
    deferDone(
      () => this.#target(address, 'writeWord').i2cWrite(Uint8Array.of(command, word & 0xff, word >> 8)),
      callback,
    );
  }

  writeQuick(address: number, _command: number, bit: number, callback: Done): void {
    checkAddress(address);
    checkBit(bit);
    checkCallback(callback);
    deferDone(() => this.#target(address, 'writeQuick'), callback);
  }

  writeI2cBlock(
    address: number,
    command: number,
    length: number,
    buffer: Buffer,
    callback: BufferDone,
  ): void {
    checkAddress(address);
    checkCommand(command);
    checkBufferAndLength(length, buffer, 32);
    checkCallback(callback);
    deferBuffer(() => this.writeI2cBlockSync(address, command, length, buffer), buffer, callback);
  }

  #target(address: number, syscall: string): I2cDevice {
    const device = this.#devices.get(address);
    if (!device) throw remoteIoError(syscall);
    return device;
  }

  /** Write the register address, then read `length` bytes (repeated start). */
  #readAt(address: number, command: number, length: number, syscall: string): Uint8Array {
    const device = this.#target(address, syscall);
    device.i2cWrite(Uint8Array.of(command));
    return device.i2cRead(length);
  }
}

/** A virtual bus with `devices` on it, promisified like `i2c-bus`'s `openPromisified()`. */
export function openVirtualI2cBus(devices: Iterable<readonly [number, I2cDevice]> = []): PromisifiedBus {
  return new VirtualI2cBus(devices).promisifiedBus();
}

function deferResult<T>(work: () => T, callback: Result<T>): void {
  setImmediate(() => {
    let result: T;
    try {
      result = work();
    } catch (error) {
      callback(error, undefined as T);
      return;
    }
    callback(null, result);
  });
}

function deferDone(work: () => unknown, callback: Done): void {
  setImmediate(() => {
    try {
      work();
    } catch (error) {
      callback(error);
      return;
    }
    callback(null);
  });
}

function deferBuffer(work: () => number, buffer: Buffer, callback: BufferDone): void {
  setImmediate(() => {
    let n: number;
    try {
      n = work();
    } catch (error) {
      callback(error, 0, buffer);
      return;
    }
    callback(null, n, buffer);
  });
}

function scanRange(startAddr?: number, endAddr?: number): [number, number] {
  const from = startAddr ?? FIRST_SCAN_ADDR;
  const to = startAddr === undefined ? LAST_SCAN_ADDR : (endAddr ?? startAddr);
  checkAddress(from);
  checkAddress(to);
  return [from, to];
}

// Argument checks with i2c-bus 5's messages.

function checkAddress(addr: number): void {
  if (!Number.isInteger(addr) || addr < 0 || addr > 0x7f) throw new Error('Invalid I2C address ' + addr);
}

function checkCommand(cmd: number): void {
  if (!Number.isInteger(cmd) || cmd < 0 || cmd > 0xff) throw new Error('Invalid I2C command ' + cmd);
}

function checkCallback(cb: unknown): void {
  if (typeof cb !== 'function') throw new Error('Invalid callback ' + cb);
}

function checkBufferAndLength(length: number, buffer: Buffer, maxLength?: number): void {
  if (!Number.isInteger(length) || length < 0 || (maxLength !== undefined && length > maxLength)) {
    throw new Error('Invalid buffer length ' + length);
  }
  if (!Buffer.isBuffer(buffer)) throw new Error('Invalid buffer ' + buffer);
  if (buffer.length < length) throw new Error('Buffer must contain at least ' + length + ' bytes');
}

function checkByte(byte: number): void {
  if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) throw new Error('Invalid byte ' + byte);
}

function checkWord(word: number): void {
  if (!Number.isInteger(word) || word < 0 || word > 0xffff) throw new Error('Invalid word ' + word);
}

function checkBit(bit: number): void {
  if (!Number.isInteger(bit) || bit < 0 || bit > 1) throw new Error('Invalid bit ' + bit);
}
