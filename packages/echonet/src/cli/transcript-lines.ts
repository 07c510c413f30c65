/**
 * Splits a dongle transcript (bytes, split anywhere) into logical lines, each tagged with the
 * 1-based number of the physical line it starts on. No I/O. Never throws.
 *
 * - A physical line ends at CR, LF or CRLF (a CRLF split between two chunks counts once).
 * - Blank lines and comment lines (`#` first) are dropped; log prefixes are removed
 *   (`log-prefix.ts`).
 * - `ERXUDP` in binary mode (WOPT 00) carries DATALEN raw bytes that may contain CR/LF: the line
 *   is read by length, with the same rule the SK line parser uses (`decidePayload`), so it comes
 *   out whole and the line counter steps over the line ends inside the data.
 * - The echo of `SKSENDTO` carries DATALEN raw bytes and no line end (the next line, usually
 *   `EVENT 21`, is glued to it). A log that wrote the data as 2×DATALEN hex digits followed by a
 *   line end is read as hex; the logical line then carries the raw bytes, as the dongle sent them.
 */
import { fromHex } from '../frame/hex.js';
import { ascii, ByteQueue, CR, concatBytes, escapeRaw, isHexByte, isLineEnd, LF } from '../sk/bytes.js';
import { findDataStart } from '../sk/data-start.js';
import { decidePayload } from '../sk/erxudp.js';
import { redactCommand } from '../sk/redact.js';
import { isCommentLine, logPrefix } from './log-prefix.js';

export type TranscriptLine =
  /** SK text or a bare frame, without log prefix and line end; `ended` is false for SKSENDTO echoes. */
  | { readonly kind: 'line'; readonly line: number; readonly content: Uint8Array; readonly ended: boolean }
  /**
   * Input that cannot be a line: too long, ERXUDP data that fits neither encoding, or data cut off
   * by the end of input. `input` is the start of the physical line.
   */
  | {
      readonly kind: 'error';
      readonly line: number;
      readonly code: 'sk.malformed' | 'sk.overflow';
      readonly reason: string;
      readonly input: string;
    };

/** Longest physical line read, log prefix and ERXUDP data included (hex data of 1232 bytes fits). */
export const DEFAULT_MAX_LINE_LENGTH = 8192;

/** Characters of a broken line kept in an error's `input`. */
export const INPUT_SNIPPET = 120;

const INDENT = new Uint8Array([0x20, 0x20]);

export class TranscriptLines {
  private readonly queue = new ByteQueue();
  private readonly maxLineLength: number;
  /** Number of the physical line that starts at the head of the queue. */
  private lineNo = 1;
  /** The last line ended with a CR at the end of a chunk: an LF that follows belongs to it. */
  private crPending = false;
  /** After an over-long line: drop bytes up to the next line end. */
  private discarding = false;

  constructor(options: { readonly maxLineLength?: number } = {}) {
    this.maxLineLength = Math.max(256, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  }

  get lineLimit(): number {
    return this.maxLineLength;
  }

  /** Feeds bytes as read. Returns the lines they complete, in order. */
  push(chunk: Uint8Array): TranscriptLine[] {
    this.queue.append(chunk);
    return this.drain(false);
  }

  /** The end of input: the last line may lack its line end; unfinished data becomes an error. */
  end(): TranscriptLine[] {
    const pending = this.queue.view();
    if (pending.length > 0 && !isLineEnd(pending[pending.length - 1]))
      this.queue.append(new Uint8Array([LF]));
    return this.drain(true);
  }

  private drain(final: boolean): TranscriptLine[] {
    const out: TranscriptLine[] = [];
    while (this.step(out, final)) {
      // each step consumes input or returns false to wait for more
    }
    return out;
  }

  private step(out: TranscriptLine[], final: boolean): boolean {
    if (this.crPending && this.queue.length > 0) {
      if (this.queue.view()[0] === LF) this.queue.take(1);
      this.crPending = false;
    }
    const bytes = this.queue.view();
    if (bytes.length === 0) return false;
    let end = this.queue.indexOfLineEnd();

    if (this.discarding) {
      if (end === -1) {
        this.queue.clear();
        return false;
      }
      this.queue.take(end);
      this.discarding = false;
      this.takeLineEnd();
      return true;
    }

    if (end === -1 || end > this.maxLineLength) {
      if (bytes.length > this.maxLineLength) return this.overflow(out, bytes);
      if (!final) return false;
      end = bytes.length;
    }

    const text = ascii(bytes.subarray(0, end));
    if (text.trim() === '' || isCommentLine(text)) {
      this.queue.take(end);
      this.takeLineEnd();
      return true;
    }
    const prefix = logPrefix(text);
    const body = bytes.subarray(prefix.length);
    const data = this.dataLine(out, body, prefix.length, final);
    if (data === 'taken') return true;
    if (data === 'wait') return false;
    if (data !== 'none') {
      out.push({
        kind: 'error',
        line: this.lineNo,
        ...data,
        input: snippet(body.subarray(0, end - prefix.length)),
      });
      this.queue.take(end);
      this.takeLineEnd();
      return true;
    }

    const content = body.slice(0, end - prefix.length);
    out.push({
      kind: 'line',
      line: this.lineNo,
      content: prefix.reindent ? concatBytes([INDENT, content]) : content,
      ended: true,
    });
    this.queue.take(end);
    this.takeLineEnd();
    return true;
  }

  /**
   * ERXUDP/SKSENDTO whose DATALEN is found: reads the line by length. `none` when `body` is not
   * such a line; the error of an ERXUDP whose data fits neither encoding (reported here, as the
   * SK parser, seeing one line only, would wait for more data and take the next lines as data).
   */
  private dataLine(
    out: TranscriptLine[],
    body: Uint8Array,
    skip: number,
    final: boolean,
  ): 'taken' | 'wait' | 'none' | { readonly code: 'sk.malformed' | 'sk.overflow'; readonly reason: string } {
    const start = findDataStart(body);
    if (start.status !== 'found') return 'none';
    const { dataStart, length } = start;

    if (start.word === 'ERXUDP') {
      const decision = decidePayload(body, dataStart, length, 'auto', this.maxLineLength);
      if (decision.kind === 'bad') return { code: decision.code, reason: decision.reason };
      if (decision.kind === 'more') return final ? this.cutOff(out, body, 'ERXUDP', length) : 'wait';
      this.emitData(out, body.slice(0, decision.end), skip + decision.end, true);
      return 'taken';
    }

    const hexEnd = dataStart + 2 * length;
    let hexShape = true;
    for (let i = dataStart; hexShape && i < Math.min(body.length, hexEnd); i++) {
      if (!isHexByte(body[i])) hexShape = false;
    }
    if (hexShape && body.length > hexEnd && !isLineEnd(body[hexEnd])) hexShape = false;
    if (hexShape && (body.length > hexEnd || (final && body.length === hexEnd))) {
      const raw = fromHex(ascii(body.subarray(dataStart, hexEnd)));
      this.emitData(out, concatBytes([body.subarray(0, dataStart), raw]), skip + hexEnd, true);
      return 'taken';
    }
    const rawEnd = dataStart + length;
    if (body.length < rawEnd || (hexShape && !final)) {
      return final ? this.cutOff(out, body, 'SKSENDTO', length) : 'wait';
    }
    this.emitData(out, body.slice(0, rawEnd), skip + rawEnd, false);
    return 'taken';
  }

  /**
   * Emits a data-bearing line and consumes `consumed` bytes of the queue, counting the line ends
   * inside them. A CR at their end followed by LF is left to the LF (CRLF counts once).
   */
  private emitData(out: TranscriptLine[], content: Uint8Array, consumed: number, ended: boolean): void {
    out.push({ kind: 'line', line: this.lineNo, content, ended });
    const view = this.queue.view();
    for (let i = 0; i < consumed; i++) {
      if (view[i] === LF || (view[i] === CR && view[i + 1] !== LF)) this.lineNo++;
    }
    const crAtChunkEnd = consumed > 0 && consumed === view.length && view[consumed - 1] === CR;
    this.queue.take(consumed);
    if (ended) this.takeLineEnd();
    else if (crAtChunkEnd) this.crPending = true;
  }

  private cutOff(out: TranscriptLine[], body: Uint8Array, word: string, length: number): 'taken' {
    out.push({
      kind: 'error',
      line: this.lineNo,
      code: 'sk.malformed',
      reason: `input ends inside ${word} data (DATALEN ${length})`,
      input: snippet(body),
    });
    this.queue.clear();
    return 'taken';
  }

  private overflow(out: TranscriptLine[], bytes: Uint8Array): boolean {
    out.push({
      kind: 'error',
      line: this.lineNo,
      code: 'sk.overflow',
      reason: `line longer than ${this.maxLineLength} bytes`,
      input: snippet(bytes),
    });
    this.discarding = true;
    return true;
  }

  /** Consumes one line end (CR, LF or CRLF) at the head of the queue, if there is one. */
  private takeLineEnd(): void {
    const head = this.queue.view();
    if (head.length === 0) return;
    if (head[0] === LF) {
      this.queue.take(1);
    } else if (head[0] === CR) {
      this.queue.take(head.length > 1 && head[1] === LF ? 2 : 1);
      this.crPending = head.length === 1;
    } else {
      return;
    }
    this.lineNo++;
  }
}

/** Printable start of a broken line for an error record; secrets of SKSETPWD/SKSETRBID masked. */
export function snippet(bytes: Uint8Array): string {
  const shown = escapeRaw(bytes.subarray(0, INPUT_SNIPPET));
  return redactCommand(bytes.length > INPUT_SNIPPET ? `${shown}…` : shown);
}
