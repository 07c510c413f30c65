/**
 * Dongle-side streaming reader of SK command lines: what a Wi-SUN dongle's UART sees from the
 * host. Used by the simulator's virtual dongle. No I/O: bytes in, commands out.
 *
 * Lines end with CRLF (a lone CR or LF is accepted too; empty lines are skipped). `SKSENDTO` is
 * the exception: DATALEN raw bytes follow its DATALEN token and ONE space, with no line end
 * after them (see `data-start.ts` for how DATALEN is found without knowing the family).
 */
import { ascii, DEFAULT_MAX_LINE_LENGTH, ERROR_RAW_PREFIX } from './bytes.js';
import { findDataStart } from './data-start.js';
import { LineFramer, nonPrintableError } from './line-framer.js';

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
  private readonly framer: LineFramer;

  constructor(options: SkCommandReaderOptions = {}) {
    this.framer = new LineFramer(Math.max(16, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH));
  }

  /** Feeds bytes as they arrive (split anywhere). Never throws. */
  push(chunk: Uint8Array): SkCommandInput[] {
    const out: SkCommandInput[] = [];
    const failure = this.framer.feed(chunk, () => this.step(out));
    if (failure !== undefined)
      out.push({ type: 'error', code: 'sk.malformed', reason: `reader failure: ${failure}`, raw: '' });
    return out;
  }

  private step(out: SkCommandInput[]): boolean {
    const bytes = this.framer.next();
    if (bytes === undefined) return false;

    const start = findDataStart(bytes, ['SKSENDTO']);
    if (start.status === 'found') {
      // The same verdict as while the header was still arriving without a line end.
      if (start.dataStart > this.framer.maxLineLength)
        return this.overflow(out, bytes.subarray(0, ERROR_RAW_PREFIX));
      const raw = this.framer.takeCounted(start.dataStart + start.length);
      if (raw === 'more') return false;
      if (raw === 'overflow')
        return this.overflow(out, bytes.subarray(0, Math.min(start.dataStart - 1, 4 * ERROR_RAW_PREFIX)));
      this.emit(out, raw.subarray(0, start.dataStart - 1), raw, raw.slice(start.dataStart));
      return true;
    }
    const line = this.framer.takeLine();
    if (line === 'more') return false;
    if (line === 'overflow') return this.overflow(out, bytes.subarray(0, ERROR_RAW_PREFIX));
    this.emit(out, line, line);
    return true;
  }

  private overflow(out: SkCommandInput[], shown: Uint8Array): boolean {
    out.push(this.framer.overflow('command line', shown));
    return true;
  }

  private emit(out: SkCommandInput[], header: Uint8Array, raw: Uint8Array, data?: Uint8Array): void {
    const bad = nonPrintableError(header);
    if (bad !== undefined) {
      out.push(bad);
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
