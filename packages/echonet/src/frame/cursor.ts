import { EchonetError } from '../errors.js';

/**
 * Big-endian reader over a byte array. Every read checks the remaining length first.
 * `what` names the field for the error message (e.g. `'OPC'`).
 * @throws EchonetError `frame.truncated` (context: offset, need, have, field) on overrun.
 */
export class Cursor {
  #offset = 0;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Offset of the next byte to read. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(what = 'u8'): number {
    return this.#take(1, what)[0]!;
  }

  u16(what = 'u16'): number {
    const b = this.#take(2, what);
    return (b[0]! << 8) | b[1]!;
  }

  u24(what = 'u24'): number {
    const b = this.#take(3, what);
    return (b[0]! << 16) | (b[1]! << 8) | b[2]!;
  }

  u32(what = 'u32'): number {
    const b = this.#take(4, what);
    return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }

  i16(what = 'i16'): number {
    const v = this.u16(what);
    return v >= 0x8000 ? v - 0x10000 : v;
  }

  i32(what = 'i32'): number {
    return this.u32(what) | 0;
  }

  /** A copy of the next `n` bytes (copies so that a reused input buffer cannot alter it). */
  bytes(n: number, what = 'bytes'): Uint8Array {
    return this.#take(n, what).slice();
  }

  #take(n: number, what: string): Uint8Array {
    const have = this.remaining;
    if (n > have) {
      throw new EchonetError(
        'frame.truncated',
        `truncated at offset ${this.#offset}: ${what} needs ${n} byte(s), ${have} left`,
        { context: { offset: this.#offset, need: n, have, field: what } },
      );
    }
    const out = this.#bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }
}
