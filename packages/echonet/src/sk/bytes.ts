/**
 * Byte-level helpers shared by the SK line reader and parser: a pending-bytes queue, character
 * classes of the SK line protocol, and a reversible escape for showing raw bytes in error events.
 */

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
const TAB = 0x09;

/** Default bound of one line (data of SKSENDTO/ERXUDP included) for the reader and parser. */
export const DEFAULT_MAX_LINE_LENGTH = 4096;

/** How much of an over-long or broken line is kept in an error event's `raw`. */
export const ERROR_RAW_PREFIX = 64;

/** CR or LF: each ends a line (`OK 01\r` on some firmware ends with CR alone). */
export function isLineEnd(b: number | undefined): boolean {
  return b === CR || b === LF;
}

export function isHexByte(b: number | undefined): boolean {
  return (
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66))
  );
}

/** Printable for an SK text line: ASCII 0x20–0x7E, and TAB. */
export function isPrintableByte(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || b === TAB;
}

/** Index of the first byte that is not printable, or -1. */
export function firstNonPrintable(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (!isPrintableByte(bytes[i]!)) return i;
  return -1;
}

/** ASCII text of bytes already known to be printable. */
export function ascii(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/** Bytes of an ASCII/latin-1 string (one byte per char code, masked to 8 bits). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/**
 * Printable rendering of any bytes: 0x20–0x7E as themselves except `\`, everything else as
 * `\xNN`. Reversible with {@link unescapeRaw}.
 */
export function escapeRaw(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b <= 0x7e && b !== 0x5c) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function unescapeRaw(text: string): Uint8Array {
  return asciiBytes(
    text.replace(/\\x([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
  );
}

/** Value of a hex token of 1..maxDigits digits, or undefined. */
export function parseHexToken(token: string | undefined, maxDigits: number): number | undefined {
  if (token === undefined || token.length === 0 || token.length > maxDigits) return undefined;
  if (!/^[0-9A-Fa-f]+$/.test(token)) return undefined;
  return Number.parseInt(token, 16);
}

/** Bytes of an even-length hex string, or undefined if it is not one. */
export function hexToBytes(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Upper-case hex of a number, zero-padded to `width` digits. */
export function hexNum(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes received but not consumed yet. Chunks are appended, consumed bytes dropped. */
export class ByteQueue {
  private bytes: Uint8Array = new Uint8Array(0);

  get length(): number {
    return this.bytes.length;
  }

  /** The pending bytes (a view: valid until the next append or drop). */
  view(): Uint8Array {
    return this.bytes;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.bytes = this.bytes.length === 0 ? Uint8Array.from(chunk) : concatBytes([this.bytes, chunk]);
  }

  /** Drops the first `n` bytes and returns a copy of them. */
  take(n: number): Uint8Array {
    const head = this.bytes.slice(0, n);
    this.bytes = this.bytes.subarray(Math.min(n, this.bytes.length));
    return head;
  }

  clear(): void {
    this.bytes = new Uint8Array(0);
  }

  /** Drops leading CR/LF bytes: what is left of a previous line end, or an empty line. */
  skipLineEnds(): void {
    let i = 0;
    while (i < this.bytes.length && isLineEnd(this.bytes[i])) i++;
    if (i > 0) this.bytes = this.bytes.subarray(i);
  }

  /** Index of the first CR or LF at or after `from`, or -1. */
  indexOfLineEnd(from = 0): number {
    for (let i = from; i < this.bytes.length; i++) if (isLineEnd(this.bytes[i])) return i;
    return -1;
  }
}
