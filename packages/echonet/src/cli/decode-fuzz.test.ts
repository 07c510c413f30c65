import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from '../sk/bytes.js';
import { int, pick, type Rng, randomBytes, seededRandom } from '../sk/test-support.js';
import { createDecoder } from './decode-stream.js';
import type { DecodedRecord } from './records.js';

/**
 * Seeded fuzz of the decoder: random bytes, and real/realistic transcript lines mutated byte by
 * byte, fed in random chunks. The decoder must never throw, every record must be plain JSON data,
 * and the records must not depend on how the input was chunked.
 */

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const B = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';
const PASSWORD = '0123456789AB';
const E7_632 = '1081000102880105FF017201E70400000278';
const VALID_E7 = `ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 ${E7_632}`;

const fixtureLines = readFileSync(new URL('../../../../fixtures/real-traffic.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '');

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const text = (s: string): Uint8Array => asciiBytes(s);

/** Transcript pieces of every kind the decoder reads, each with its line end. */
const CORPUS: readonly Uint8Array[] = [
  ...fixtureLines.map((l) => text(`${l}\r\n`)),
  text('SKVER\r\nEVER 1.2.10\r\nOK\r\n'),
  text(`EINFO ${B} 001D129000057476 21 8888 FFFE\r\n`),
  text(`EVENT 21 ${A} 0 00\r\nEVENT 25 ${A}\r\nEVENT C0\r\n`),
  text('EPANDESC\r\n  Channel:21\r\n  Channel Page:09\r\n  Pan ID:8888\r\n  Addr:001C6400601421A3\r\n'),
  text('  LQI:E1\r\n  Side:0\r\n  PairID:AABBCCDD\r\n'),
  text(`${A}\r\nESREG 01\r\nOK 01\rFAIL ER06\r\n`),
  text(`ERXUDP ${A} ${B} 02CC 02CC ${LLA} 0 0004 00000004\r\n`),
  text(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 9C 1 0 0012 ${E7_632}\r\n`),
  concatBytes([
    text(`ERXUDP ${A} ${B} 0E1A 0E1A ${LLA} 1 0012 `),
    hex('1081000A02880105FF017201E70400000D0A'),
    text('\r\n'),
  ]),
  concatBytes([
    text(`SKSENDTO 1 ${A} 0E1A 1 000E `),
    hex('1081000105FF010288016201E700'),
    text(`EVENT 21 ${A} 00\r\n`),
  ]),
  text(`[2026-05-20 14:26:00] RX: ${VALID_E7}\n> SKSENDTO 1 ${A} 0E1A 1 000E 1081000105FF010288016201E700\n`),
  text(`${E7_632}\n10 81 00 01 02 88 01 05 FF 01 62 01 E7 00\n# comment\n\n`),
  text(`SKSETPWD C ${PASSWORD}\r\nSKSETRBID 00112233445566778899AABBCCDDEEFF\r\n`),
];

function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  const bytes = Array.from(input);
  const edits = 1 + int(rng, 4);
  for (let e = 0; e < edits && bytes.length > 0; e++) {
    const at = int(rng, bytes.length);
    switch (int(rng, 7)) {
      case 0:
        bytes[at] = int(rng, 256);
        break;
      case 1:
        bytes.splice(at, 1 + int(rng, 8));
        break;
      case 2:
        bytes.splice(at, 0, ...bytes.slice(at, at + 1 + int(rng, 16)));
        break;
      case 3:
        bytes.splice(at, 0, pick(rng, [0x0d, 0x0a, 0x20, 0x09, 0x23, 0x5b, 0x5d]));
        break;
      case 4:
        bytes.length = at;
        break;
      case 5:
        bytes[at] = pick(rng, Array.from(text('0123456789ABCDEFXZ :')));
        break;
      default:
        bytes.splice(at, 0, ...randomBytes(rng, 1 + int(rng, 6)));
    }
  }
  return Uint8Array.from(bytes);
}

function document(rng: Rng): Uint8Array {
  if (rng() < 0.15) return randomBytes(rng, int(rng, 3000));
  const parts: Uint8Array[] = [];
  const n = 1 + int(rng, 24);
  for (let i = 0; i < n; i++) {
    const piece = pick(rng, CORPUS);
    parts.push(rng() < 0.5 ? mutate(rng, piece) : piece);
  }
  return concatBytes(parts);
}

function decodeChunked(input: Uint8Array, rng?: Rng): DecodedRecord[] {
  const decoder = createDecoder({ maxLineLength: 1024 });
  const out: DecodedRecord[] = [];
  let at = 0;
  while (at < input.length) {
    const size = rng === undefined ? input.length : 1 + int(rng, 64);
    out.push(...decoder.push(input.subarray(at, at + size)));
    at += size;
  }
  out.push(...decoder.end());
  return out;
}

const TYPES = new Set([
  'erxudp',
  'frame',
  'sendto',
  'event',
  'ok',
  'fail',
  'ever',
  'eappver',
  'einfo',
  'esreg',
  'epandesc',
  'ipv6',
  'echo',
  'error',
]);

/** Undefined when `v` is plain JSON data (finite numbers, no undefined, no typed arrays); else where not. */
function notJson(v: unknown, path = '$'): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = notJson(v[i], `${path}[${i}]`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return path;
  for (const [k, x] of Object.entries(v)) {
    const bad = notJson(x, `${path}.${k}`);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** True when every copy of the password in `input` follows `SKSETPWD` on its line (a mutation can break that). */
function secretOnlyInCommand(input: Uint8Array): boolean {
  const s = Buffer.from(input).toString('latin1');
  for (let at = s.indexOf(PASSWORD); at !== -1; at = s.indexOf(PASSWORD, at + 1)) {
    const lineStart = Math.max(s.lastIndexOf('\n', at), s.lastIndexOf('\r', at)) + 1;
    if (!s.slice(lineStart, at).includes('SKSETPWD ')) return false;
  }
  return true;
}

function physicalLines(input: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < input.length; i++)
    if (input[i] === 0x0a || (input[i] === 0x0d && input[i + 1] !== 0x0a)) n++;
  return n;
}

describe('decode fuzz', () => {
  it('never throws on 3000 seeded documents; every record is plain JSON with a valid line number', () => {
    const rng = seededRandom(0x5eed);
    let records = 0;
    let errors = 0;
    for (let doc = 0; doc < 3000; doc++) {
      const input = document(rng);
      const out = decodeChunked(input, rng);
      const maxLine = physicalLines(input);
      let lastLine = 0;
      for (const r of out) {
        records++;
        if (r.type === 'error') errors++;
        const where = `doc ${doc}: ${JSON.stringify(r).slice(0, 200)}`;
        expect(TYPES.has(r.type), where).toBe(true);
        expect(notJson(r), where).toBeUndefined();
        expect(JSON.parse(JSON.stringify(r)), where).toEqual(r);
        expect(Number.isInteger(r.line) && r.line >= 1 && r.line <= maxLine, where).toBe(true);
        // an EPANDESC block (or its error) is placed at its first line, emitted at its last
        if (r.type !== 'epandesc' && !(r.type === 'error' && r.input.startsWith('EPANDESC'))) {
          expect(r.line, where).toBeGreaterThanOrEqual(lastLine);
          lastLine = r.line;
        }
        if (r.type === 'error') expect(r.reason.length, where).toBeGreaterThan(0);
      }
      if (secretOnlyInCommand(input)) expect(JSON.stringify(out)).not.toContain(PASSWORD);
    }
    // the corpus must exercise both paths, not only errors
    expect(records).toBeGreaterThan(10_000);
    expect(errors).toBeGreaterThan(500);
    expect(records - errors).toBeGreaterThan(5_000);
  });

  it('gives the same records however the input is chunked', () => {
    const rng = seededRandom(0xc4a7);
    for (let doc = 0; doc < 1000; doc++) {
      const input = document(rng);
      expect(decodeChunked(input, seededRandom(doc)), `doc ${doc}`).toEqual(decodeChunked(input));
    }
  });

  it('goes on decoding after any garbage line: the valid line that follows is read', () => {
    const rng = seededRandom(0x9a7b);
    for (let i = 0; i < 2000; i++) {
      let junk = '';
      const n = int(rng, 200);
      for (let k = 0; k < n; k++) junk += String.fromCharCode(0x20 + int(rng, 0x5f));
      if (junk.includes('ERXUDP') || junk.includes('SKSENDTO')) continue;
      const out = decodeChunked(text(`${junk}\r\n${VALID_E7}\r\n`), rng);
      const last = out.at(-1);
      expect(last, JSON.stringify(junk)).toMatchObject({
        type: 'erxudp',
        echonet: { properties: [{ epc: 'E7', value: 632 }] },
      });
    }
  });
});
