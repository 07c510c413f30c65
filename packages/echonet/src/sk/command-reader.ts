/**
 * Dongle-side streaming reader of SK command lines: what a Wi-SUN dongle's UART sees from the
 * host. Used by the simulator's virtual dongle. No I/O: bytes in, commands out.
 *
 * Lines end with CRLF (a lone CR or LF is accepted too; empty lines are skipped). `SKSENDTO` is
 * the exception: DATALEN raw bytes follow its DATALEN token and ONE space, with no line end
 * after them (see `data-start.ts` for how DATALEN is found without knowing the family).
 */
import {
  ascii,
  ByteQueue,
  DEFAULT_MAX_LINE_LENGTH,
  ERROR_RAW_PREFIX,
  escapeRaw,
  firstNonPrintable,
} from './bytes.js';
import { findDataStart } from './data-start.js';
import { redactCommand } from './redact.js';

export type SkCommandInput =
  | {
      readonly type: 'command';
      /** First word of the line, as sent (`SKSENDTO`). */
      readonly name: string;
      /** The remaining words; for SKSENDTO up to and including DATALEN. */
      readonly args: readonly string[];
      /** SKSENDTO only: the DATALEN raw bytes. */
      readonly data?: Uint8Array;
      /** The whole command as received (SKSENDTO data included), without the line end. */
      readonly raw: Uint8Array;
    }
  | {
      readonly type: 'error';
      readonly code: 'sk.malformed' | 'sk.overflow';
      readonly reason: string;
      /** Printable rendering (`\xNN` escapes), with SKSETPWD/SKSETRBID arguments masked. */
      readonly raw: string;
    };

export interface SkCommandReaderOptions {
  /** Longest accepted command line in bytes, SKSENDTO data included. Default 4096. */
  readonly maxLineLength?: number;
}

export class SkCommandReader {
  private readonly queue = new ByteQueue();
  private readonly maxLineLength: number;
  /** After an overflow: drop bytes up to the next line end. */
  private discarding = false;

  constructor(options: SkCommandReaderOptions = {}) {
    this.maxLineLength = Math.max(16, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  }

  /** Feeds bytes as they arrive (split anywhere). Never throws. */
  push(chunk: Uint8Array): SkCommandInput[] {
    const out: SkCommandInput[] = [];
    try {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('push expects a Uint8Array');
      this.queue.append(chunk);
      while (this.step(out)) {
        // each step consumes input or returns false to wait for more
      }
    } catch (cause) {
      this.queue.clear();
      this.discarding = false;
      out.push({
        type: 'error',
        code: 'sk.malformed',
        reason: `reader failure: ${cause instanceof Error ? cause.message : String(cause)}`,
        raw: '',
      });
    }
    return out;
  }

  private step(out: SkCommandInput[]): boolean {
    if (this.discarding) {
      const end = this.queue.indexOfLineEnd();
      if (end === -1) {
        this.queue.clear();
        return false;
      }
      this.queue.take(end);
      this.discarding = false;
    }
    this.queue.skipLineEnds();
    const bytes = this.queue.view();
    if (bytes.length === 0) return false;

    const start = findDataStart(bytes, ['SKSENDTO']);
    if (start.status === 'found') {
      // The same verdict as while the header was still arriving without a line end.
      if (start.dataStart > this.maxLineLength)
        return this.overflow(out, bytes.subarray(0, ERROR_RAW_PREFIX));
      const end = start.dataStart + start.length;
      if (end > this.maxLineLength)
        return this.overflow(out, bytes.subarray(0, Math.min(start.dataStart - 1, 4 * ERROR_RAW_PREFIX)));
      if (bytes.length < end) return false;
      const raw = this.queue.take(end);
      this.emit(out, raw.subarray(0, start.dataStart - 1), raw, raw.slice(start.dataStart));
      return true;
    }
    const end = this.queue.indexOfLineEnd();
    if (end === -1 || end > this.maxLineLength) {
      return bytes.length > this.maxLineLength
        ? this.overflow(out, bytes.subarray(0, ERROR_RAW_PREFIX))
        : false;
    }
    const line = this.queue.take(end);
    this.emit(out, line, line);
    return true;
  }

  /** `shown`: what of the line goes into `raw` (the same bytes however the input was split). */
  private overflow(out: SkCommandInput[], shown: Uint8Array): boolean {
    out.push({
      type: 'error',
      code: 'sk.overflow',
      reason: `command line longer than ${this.maxLineLength} bytes`,
      raw: redactCommand(escapeRaw(shown)),
    });
    this.discarding = true;
    return true;
  }

  private emit(out: SkCommandInput[], header: Uint8Array, raw: Uint8Array, data?: Uint8Array): void {
    const bad = firstNonPrintable(header);
    if (bad !== -1) {
      out.push({
        type: 'error',
        code: 'sk.malformed',
        reason: `non-printable byte 0x${header[bad]!.toString(16).padStart(2, '0')} at column ${bad}`,
        raw: redactCommand(escapeRaw(header.subarray(0, ERROR_RAW_PREFIX))),
      });
      return;
    }
    const words = ascii(header)
      .split(/[ \t]+/)
      .filter((w) => w !== '');
    const name = words[0];
    if (name === undefined) return;
    out.push(
      data === undefined
        ? { type: 'command', name, args: words.slice(1), raw }
        : { type: 'command', name, args: words.slice(1), data, raw },
    );
  }
}
