/**
 * Where the data of an `SKSENDTO` command (or its echo) or an `ERXUDP` event starts.
 *
 * Both carry DATALEN (always 4 hex digits) followed by ONE space and the data, and the data may
 * contain any byte including CR and LF, so a reader has to find DATALEN before it looks for a line
 * end. The family (and so the field count) is not known to the reader; it is decided by the
 * position of DATALEN, counting the keyword as token 0:
 *
 * - `SKSENDTO <handle> <ipv6> <port> <sec> <len>`: DATALEN is token 5 (single-hop);
 *   `SKSENDTO <handle> <ipv6> <port> <sec> <side> <len>`: token 6 (dual-stack).
 * - `ERXUDP <sender> <dest> <rport> <lport> <lla> <secured> <len>`: token 7 (single-hop);
 *   `... <lla> <secured> <side> <len>`: token 8 (dual-stack);
 *   `... <lla> <rssi> <secured> <side> <len>`: token 9 (dual-stack with register SA2=1).
 *
 * Rule: DATALEN is the FIRST token at one of those positions that is exactly 4 hex digits and is
 * followed by a space. It is unambiguous because the token before each later candidate position
 * (SEC/SIDE of SKSENDTO, SECURED/SIDE of ERXUDP) is a single digit, never 4 hex digits.
 */
import { isHexByte, isLineEnd, SP } from './bytes.js';

export type DataWord = 'ERXUDP' | 'SKSENDTO';

/** Token positions where DATALEN may stand. */
export const DATALEN_POSITIONS: Readonly<Record<DataWord, readonly number[]>> = {
  SKSENDTO: [5, 6],
  ERXUDP: [7, 8, 9],
};

export type DataStart =
  /** DATALEN found: the data starts at `dataStart`; `position` is DATALEN's token index. */
  | {
      readonly status: 'found';
      readonly word: DataWord;
      readonly dataStart: number;
      readonly length: number;
      readonly position: number;
    }
  /** No line end yet and DATALEN not seen: wait for more bytes. */
  | { readonly status: 'more' }
  /** Not a data-bearing line, or the line ended before DATALEN: read it as a plain line. */
  | { readonly status: 'none' };

function startsWithWord(bytes: Uint8Array, word: string): boolean {
  if (bytes.length < word.length + 1) return false;
  for (let i = 0; i < word.length; i++) if (bytes[i] !== word.charCodeAt(i)) return false;
  return bytes[word.length] === SP;
}

/**
 * Looks for the data start of a line that begins at index 0 of `bytes`; `words` limits which
 * keywords are considered. Scanning stops at the first line end.
 */
export function findDataStart(
  bytes: Uint8Array,
  words: readonly DataWord[] = ['ERXUDP', 'SKSENDTO'],
): DataStart {
  const word = words.find((w) => startsWithWord(bytes, w));
  if (word === undefined) return { status: 'none' };
  const positions = DATALEN_POSITIONS[word];
  const last = positions[positions.length - 1]!;
  let index = 0;
  let tokenStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (isLineEnd(b)) return { status: 'none' };
    if (b !== SP) continue;
    if (positions.includes(index) && i - tokenStart === 4 && isHexToken(bytes, tokenStart, i)) {
      const length = Number.parseInt(String.fromCharCode(...bytes.subarray(tokenStart, i)), 16);
      return { status: 'found', word, dataStart: i + 1, length, position: index };
    }
    index++;
    tokenStart = i + 1;
    if (index > last) return { status: 'none' };
  }
  return { status: 'more' };
}

function isHexToken(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isHexByte(bytes[i])) return false;
  return true;
}
