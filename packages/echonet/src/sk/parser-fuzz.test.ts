import { describe, expect, it } from 'vitest';
import { asciiBytes, concatBytes } from './bytes.js';
import { SkCommandReader } from './command-reader.js';
import type { SkEvent } from './events.js';
import { formatEvent } from './format-events.js';
import { type PayloadMode, SkLineParser } from './parser.js';
import { checkSkEvent, int, pick, type Rng, randomBytes, randomEvent, seededRandom } from './test-support.js';

const SEEDS = [1, 2, 3, 42, 2024];
const ROUNDS = 600;

/** Damages bytes the way a noisy UART or a confused firmware would. */
function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  const out = Array.from(input);
  const edits = int(rng, 6);
  for (let i = 0; i < edits; i++) {
    const at = int(rng, out.length + 1);
    switch (int(rng, 6)) {
      case 0:
        out[at] = int(rng, 256);
        break;
      case 1:
        out.splice(at, 0, pick(rng, [0x0d, 0x0a, 0x20, 0x00, 0xff, 0x3a]));
        break;
      case 2:
        out.splice(at, 1 + int(rng, 8));
        break;
      case 3:
        out.splice(at, 0, ...out.slice(at, at + int(rng, 30)));
        break;
      case 4:
        out.splice(
          at,
          0,
          ...asciiBytes(pick(rng, ['0000 ', 'FFFF ', 'SKSENDTO ', 'ERXUDP ', 'EPANDESC\r\n', '  PairID:'])),
        );
        break;
      default:
        out.length = Math.min(out.length, at);
    }
  }
  return Uint8Array.from(out);
}

function randomInput(rng: Rng): Uint8Array {
  const parts: Uint8Array[] = [];
  const n = 1 + int(rng, 8);
  for (let i = 0; i < n; i++) {
    const r = rng();
    if (r < 0.15) parts.push(randomBytes(rng, int(rng, 200)));
    else if (r < 0.6) parts.push(mutate(rng, formatEvent(randomEvent(rng))));
    else parts.push(formatEvent(randomEvent(rng)));
  }
  return concatBytes(parts);
}

function chunked(rng: Rng, input: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < input.length; ) {
    const n = 1 + int(rng, 64);
    chunks.push(input.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

function run(
  options: { payload: PayloadMode; maxLineLength: number },
  chunks: readonly Uint8Array[],
): SkEvent[] {
  const parser = new SkLineParser(options);
  const out: SkEvent[] = [];
  for (const c of chunks) out.push(...parser.push(c));
  return [...out, ...parser.flush()];
}

describe('SkLineParser fuzz', () => {
  it.each(SEEDS)(
    'never throws, emits only union members, and does not depend on chunking (seed %i)',
    (seed) => {
      const rng = seededRandom(seed);
      let errors = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const input = randomInput(rng);
        const options = {
          payload: pick(rng, ['auto', 'hex', 'binary'] as const),
          maxLineLength: pick(rng, [64, 300, 4096]),
        };
        const whole = run(options, [input]);
        for (const ev of whole) {
          const problem = checkSkEvent(ev);
          if (problem !== undefined) expect.fail(`${problem}: ${JSON.stringify(ev)}`);
          if (ev.type === 'error') errors++;
        }
        const split = run(options, chunked(rng, input));
        if (JSON.stringify(split) !== JSON.stringify(whole)) expect(split).toEqual(whole);
      }
      expect(errors).toBeGreaterThan(0);
    },
  );

  it('survives input that is not a Uint8Array', () => {
    const parser = new SkLineParser();
    const events = parser.push(42 as unknown as Uint8Array);
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'sk.malformed' })]);
    expect(parser.push(asciiBytes('OK\r\n'))).toEqual([{ type: 'ok' }]);
  });
});

describe('SkCommandReader fuzz', () => {
  it.each(SEEDS)('never throws and emits commands or errors with code and reason (seed %i)', (seed) => {
    const rng = seededRandom(seed);
    for (let round = 0; round < ROUNDS; round++) {
      const reader = new SkCommandReader({ maxLineLength: pick(rng, [64, 4096]) });
      for (const chunk of chunked(rng, randomInput(rng))) {
        for (const input of reader.push(chunk)) {
          if (input.type === 'command') {
            expect(typeof input.name).toBe('string');
            expect(input.raw).toBeInstanceOf(Uint8Array);
          } else {
            expect(['sk.malformed', 'sk.overflow']).toContain(input.code);
            expect(input.reason).not.toBe('');
          }
        }
      }
    }
  });
});
