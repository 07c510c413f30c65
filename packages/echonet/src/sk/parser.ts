/**
 * Host-side streaming parser of what an SK dongle sends: bytes in (split anywhere), SkEvents out.
 * No I/O, no clock. Incomplete input is kept; input that can never be valid becomes an `error`
 * event and parsing resumes at the next line end. `push` never throws.
 *
 * Line ends: CR, LF and CRLF each end a line (`OK 01\r` from ROPT is CR-only on some firmware);
 * empty lines produce nothing, so the LF of a CRLF is never an event of its own.
 *
 * Two kinds of line carry raw bytes that may contain CR/LF and are read by length instead:
 * - the echo of `SKSENDTO ... <DATALEN> <data>`. Real dongles end it right after DATALEN's space
 *   with CRLF and do not echo the data (RS-WSUHA-P, EVER 1.5.2: `SKSENDTO 1 FE80:…:B5FB 0E1A 1 0
 *   000E ` / `EVENT 21 …` / `OK`, fixtures/sk-corpus.json); a line end there ends the echo. Any
 *   other byte there starts echoed data, read as exactly DATALEN bytes (a line end after it is
 *   skipped as an empty line); the echo's `line` then shows the data as hex. ECHONET Lite data
 *   starts with 0x10, never CR or LF, so the two cannot be confused.
 * - `ERXUDP ... <DATALEN> <data>` in binary mode (WOPT 00): DATALEN bytes, then CRLF.
 * DATALEN is found by its token position, see `data-start.ts`.
 *
 * An echo cut short by an arriving line (`SKSENDTOERXUDP FE80:…`, same capture) becomes an echo
 * of what was printed of it, then the line that cut it, read as usual.
 */
import { toHex } from '../frame/hex.js';
import { ascii, DEFAULT_MAX_LINE_LENGTH, ERROR_RAW_PREFIX, escapeRaw, isLineEnd } from './bytes.js';
import { isSkCommandWord } from './command-words.js';
import { findDataStart } from './data-start.js';
import { decidePayload, erxudpFromHeader, type PayloadMode } from './erxudp.js';
import type { SkEvent } from './events.js';
import { malformed, parseLine } from './line-events.js';
import { LineFramer, nonPrintableError } from './line-framer.js';
import { PanDescBlock } from './pandesc-block.js';
import { redactCommand } from './redact.js';

export type { PayloadMode } from './erxudp.js';

export interface SkLineParserOptions {
  /**
   * ERXUDP payload encoding: `auto` (default) decides per datagram; `hex`/`binary` force it
   * (use them once ROPT has told which one the dongle is set to).
   */
  readonly payload?: PayloadMode;
  /** Longest accepted line in bytes, ERXUDP/SKSENDTO data included. Default 4096. */
  readonly maxLineLength?: number;
}

export class SkLineParser {
  private readonly framer: LineFramer;
  private payload: PayloadMode;
  private block: PanDescBlock | undefined;

  constructor(options: SkLineParserOptions = {}) {
    this.payload = options.payload ?? 'auto';
    this.framer = new LineFramer(Math.max(64, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH));
  }

  /** Changes how ERXUDP payloads are read from the next datagram on. */
  setPayload(mode: PayloadMode): void {
    this.payload = mode;
  }

  /** Feeds bytes as they arrive. Returns the events completed by them, in order. Never throws. */
  push(chunk: Uint8Array): SkEvent[] {
    const out: SkEvent[] = [];
    const failure = this.framer.feed(chunk, () => this.step(out));
    if (failure !== undefined) {
      this.block = undefined;
      out.push({ type: 'error', code: 'sk.malformed', reason: `parser failure: ${failure}`, raw: '' });
    }
    return out;
  }

  /**
   * Emits an EPANDESC block still waiting for its end (a block without PairID ends only at the
   * next non-indented line). Bytes of an unfinished line stay pending. Never throws.
   */
  flush(): SkEvent[] {
    const out: SkEvent[] = [];
    this.closeBlock(out);
    return out;
  }

  private step(out: SkEvent[]): boolean {
    const bytes = this.framer.next();
    if (bytes === undefined) return false;

    const start = findDataStart(bytes);
    if (start.status === 'found') {
      // The same verdict as while the header was still arriving without a line end.
      if (start.dataStart > this.framer.maxLineLength)
        return this.overflow(out, bytes.subarray(0, ERROR_RAW_PREFIX), 'line');
      return start.word === 'SKSENDTO'
        ? this.sendtoEcho(out, bytes, start.dataStart, start.length)
        : this.erxudp(out, bytes, start.dataStart, start.length);
    }
    const cut = gluedLineStart(bytes);
    if (cut !== undefined) {
      const prefix = ascii(this.framer.queue.take(cut));
      this.emit(out, { type: 'echo', command: prefix.split(' ')[0]!, line: redactCommand(prefix) });
      return true;
    }
    const line = this.framer.takeLine();
    if (line === 'more') return false;
    if (line === 'overflow') return this.overflow(out, bytes.subarray(0, ERROR_RAW_PREFIX), 'line');
    this.line(out, line);
    return true;
  }

  private sendtoEcho(out: SkEvent[], bytes: Uint8Array, dataStart: number, length: number): boolean {
    if (bytes.length <= dataStart) return false;
    if (isLineEnd(bytes[dataStart])) {
      const header = this.framer.queue.take(dataStart);
      if (this.rejectNonPrintable(out, header)) return true;
      this.emit(out, { type: 'echo', command: 'SKSENDTO', line: ascii(header) });
      return true;
    }
    const raw = this.framer.takeCounted(dataStart + length);
    if (raw === 'more') return false;
    if (raw === 'overflow')
      return this.overflow(
        out,
        bytes.subarray(0, Math.min(dataStart - 1, 4 * ERROR_RAW_PREFIX)),
        'SKSENDTO echo',
      );
    const header = raw.subarray(0, dataStart);
    if (this.rejectNonPrintable(out, header)) return true;
    this.emit(out, {
      type: 'echo',
      command: 'SKSENDTO',
      line: ascii(header) + toHex(raw.subarray(dataStart)),
    });
    return true;
  }

  private erxudp(out: SkEvent[], bytes: Uint8Array, dataStart: number, length: number): boolean {
    const decision = decidePayload(bytes, dataStart, length, this.payload, this.framer.maxLineLength);
    if (decision.kind === 'more') return false;
    const header = this.framer.queue.take(dataStart).subarray(0, dataStart - 1);
    if (decision.kind === 'bad') {
      this.emit(out, {
        type: 'error',
        code: decision.code,
        reason: decision.reason,
        raw: redactCommand(escapeRaw(header.subarray(0, 4 * ERROR_RAW_PREFIX))),
      });
      this.framer.discardLine();
      return true;
    }
    this.framer.queue.take(decision.end - dataStart);
    if (this.rejectNonPrintable(out, header)) return true;
    const text = ascii(header);
    const ev = erxudpFromHeader(text.split(' '), decision.kind, decision.data);
    this.emit(out, typeof ev === 'string' ? malformed(ev, text) : ev);
    return true;
  }

  private line(out: SkEvent[], bytes: Uint8Array): void {
    if (this.rejectNonPrintable(out, bytes)) return;
    const text = ascii(bytes);
    if (text.trim() === '') return;
    if (text.startsWith(' ') || text.startsWith('\t')) {
      if (this.block === undefined) {
        out.push({ type: 'unknown', line: redactCommand(text) });
        return;
      }
      const result = this.block.accept(text);
      if (result.unknown !== undefined) out.push(result.unknown);
      if (result.done) this.closeBlock(out);
      return;
    }
    const ev = parseLine(text);
    if (ev.type === 'epandesc-start') {
      this.closeBlock(out);
      this.block = new PanDescBlock();
    } else {
      this.emit(out, ev);
    }
  }

  private rejectNonPrintable(out: SkEvent[], bytes: Uint8Array): boolean {
    const bad = nonPrintableError(bytes, 4 * ERROR_RAW_PREFIX);
    if (bad === undefined) return false;
    this.emit(out, bad);
    return true;
  }

  private overflow(out: SkEvent[], shown: Uint8Array, what: string): boolean {
    this.emit(out, this.framer.overflow(what, shown));
    return true;
  }

  /** Emits an event of a non-indented line: any open EPANDESC block ends before it. */
  private emit(out: SkEvent[], ev: SkEvent): void {
    this.closeBlock(out);
    out.push(ev);
  }

  private closeBlock(out: SkEvent[]): void {
    if (this.block === undefined) return;
    const block = this.block;
    this.block = undefined;
    out.push(block.finish());
  }
}

/** Dongle lines that can cut an echo short, with the space that follows the keyword. */
const CUTTING_WORDS = ['ERXUDP ', 'EVENT '].map((w) => Array.from(w, (c) => c.charCodeAt(0)));

/**
 * Where a line that cut an echo short starts: `bytes` begins with (part of) a command word and one
 * of CUTTING_WORDS follows it with no space between (`SKSENDTOERXUDP …`); else undefined. Only a
 * cut inside the first word is recognised, so the verdict never depends on how input was split.
 */
function gluedLineStart(bytes: Uint8Array): number | undefined {
  for (let i = 1; i < bytes.length && bytes[i] !== 0x20 && !isLineEnd(bytes[i]); i++) {
    if (!isPrintable(bytes[i]!)) return undefined;
    if (!CUTTING_WORDS.some((w) => w.every((c, k) => bytes[i + k] === c))) continue;
    const first = ascii(bytes.subarray(0, i));
    return isSkCommandWord(first) || SK_PREFIX.test(first) ? i : undefined;
  }
  return undefined;
}

const isPrintable = (b: number) => b === 0x09 || (b >= 0x20 && b <= 0x7e);

/** A command word the dongle was still echoing when the line was cut (`SKSEND…`). */
const SK_PREFIX = /^SK[A-Z0-9]*$/;
