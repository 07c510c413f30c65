/**
 * The framing both SK stream readers share, the host-side `SkLineParser` and the dongle-side
 * `SkCommandReader`: pending bytes, CR/LF/CRLF line ends (empty lines skipped), the line-length
 * limit, and the resync at the next line end after a line that can never be valid. No I/O.
 */
import { ByteQueue, ERROR_RAW_PREFIX, escapeRaw, firstNonPrintable } from './bytes.js';
import { redactCommand } from './redact.js';

/** An error of either reader (`SkEvent` and `SkCommandInput` errors have this shape). */
export interface SkStreamError {
  readonly type: 'error';
  readonly code: 'sk.malformed' | 'sk.overflow';
  readonly reason: string;
  /** Printable rendering (`\xNN` escapes), with SKSETPWD/SKSETRBID arguments masked. */
  readonly raw: string;
}

export class LineFramer {
  readonly queue = new ByteQueue();
  /** After an overflow or a broken line: drop bytes up to the next line end. */
  private discarding = false;

  constructor(readonly maxLineLength: number) {}

  /**
   * Appends `chunk` and calls `step` until it returns false (each step consumes input or returns
   * false to wait for more). Never throws: when anything does, the pending input is dropped and
   * the message is returned for the caller's error event; otherwise undefined.
   */
  feed(chunk: Uint8Array, step: () => boolean): string | undefined {
    try {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('push expects a Uint8Array');
      this.queue.append(chunk);
      while (step()) {
        // each step consumes input or returns false to wait for more
      }
      return undefined;
    } catch (cause) {
      this.queue.clear();
      this.discarding = false;
      return cause instanceof Error ? cause.message : String(cause);
    }
  }

  /**
   * The pending bytes from the start of the next line, after dropping the rest of a discarded
   * line and the line ends before it; undefined when nothing is pending.
   */
  next(): Uint8Array | undefined {
    if (this.discarding) {
      const end = this.queue.indexOfLineEnd();
      if (end === -1) {
        this.queue.clear();
        return undefined;
      }
      this.queue.take(end);
      this.discarding = false;
    }
    this.queue.skipLineEnds();
    const bytes = this.queue.view();
    return bytes.length === 0 ? undefined : bytes;
  }

  /** The next line without its line end; `more` while it may still fit; `overflow` once it cannot. */
  takeLine(): Uint8Array | 'more' | 'overflow' {
    const end = this.queue.indexOfLineEnd();
    if (end === -1 || end > this.maxLineLength) {
      return this.queue.length > this.maxLineLength ? 'overflow' : 'more';
    }
    return this.queue.take(end);
  }

  /**
   * The next `end` bytes, for a line read by length (SKSENDTO and its echo end with their data,
   * no line end); `more` until they are all here; `overflow` when `end` is over the limit.
   */
  takeCounted(end: number): Uint8Array | 'more' | 'overflow' {
    if (end > this.maxLineLength) return 'overflow';
    if (this.queue.length < end) return 'more';
    return this.queue.take(end);
  }

  /**
   * The error for `what` (`line`, `command line` …) over the limit; the rest of it is then
   * discarded. `shown`: what of it goes into `raw` (the same bytes however the input was split).
   */
  overflow(what: string, shown: Uint8Array): SkStreamError {
    this.discarding = true;
    return {
      type: 'error',
      code: 'sk.overflow',
      reason: `${what} longer than ${this.maxLineLength} bytes`,
      raw: redactCommand(escapeRaw(shown)),
    };
  }

  /** Drops the input up to the next line end (after a line that can never be valid). */
  discardLine(): void {
    this.discarding = true;
  }
}

/**
 * The error for the first byte of `bytes` that is not printable ASCII, or undefined when there is
 * none. `raw` shows at most `shownBytes` bytes (default `ERROR_RAW_PREFIX`).
 */
export function nonPrintableError(
  bytes: Uint8Array,
  shownBytes = ERROR_RAW_PREFIX,
): SkStreamError | undefined {
  const bad = firstNonPrintable(bytes);
  if (bad === -1) return undefined;
  return {
    type: 'error',
    code: 'sk.malformed',
    reason: `non-printable byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at column ${bad}`,
    raw: redactCommand(escapeRaw(bytes.subarray(0, shownBytes))),
  };
}
