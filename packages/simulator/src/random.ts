/**
 * Deterministic randomness for the simulator (household, appliances, dongle, faults, sensors).
 * Everything is a pure function of a seed and integer inputs, so any instant can be recomputed
 * (and replayed) without state, and two parts built with one seed agree.
 *
 * Stateful streams use core's `seededRandom` (mulberry32). The hashes here are
 * murmur3-style: a running combination of 32-bit words, alternately mixed with the two murmur3
 * constants, then the murmur3 finaliser. `hash32` and `hashInts` feed their words in differently
 * and so give different numbers; seeded outputs and recorded transcripts rely on both sequences,
 * so neither may change.
 */

const TWO_32 = 0x1_0000_0000;

function begin(first: number): number {
  return Math.imul(first ^ 0x9e3779b9, 0x85ebca6b);
}

/** Mixes in the 1st, 3rd, … word after `begin`. */
function mixOdd(h: number, word: number): number {
  return Math.imul(h ^ (h >>> 13) ^ word, 0xc2b2ae35);
}

/** Mixes in the 2nd, 4th, … word after `begin`. */
function mixEven(h: number, word: number): number {
  return Math.imul(h ^ (h >>> 16) ^ word, 0x85ebca6b);
}

/** The murmur3 32-bit finaliser, as an unsigned integer. */
function finish(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** 32-bit mix of up to four integers (each taken modulo 2^32). */
export function hash32(a: number, b = 0, c = 0, d = 0): number {
  return finish(mixOdd(mixEven(mixOdd(begin(a), b), c), d));
}

/** Uniform in [0, 1) from integer inputs. */
export function unit(a: number, b = 0, c = 0, d = 0): number {
  return hash32(a, b, c, d) / TWO_32;
}

/** 32-bit hash of a seed and a list of integers (each may exceed 32 bits, e.g. a time index). */
export function hashInts(seed: number, ...values: number[]): number {
  let h = begin(seed | 0);
  for (const v of values) {
    h = mixEven(mixOdd(h, v | 0), Math.floor(v / TWO_32) | 0);
  }
  return finish(h);
}

/** Uniform number in [0, 1) from a seed and integers. */
export function unitHash(seed: number, ...values: number[]): number {
  return hashInts(seed, ...values) / TWO_32;
}

/** `a` at `f` = 0 to `b` at `f` = 1, along a smoothstep (flat at both ends). */
function smoothBlend(a: number, b: number, f: number): number {
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/**
 * Smooth value noise in [0, 1): random values at integer positions of `x`, blended with a
 * smoothstep in between. `channel` separates independent noise sources of one seed.
 */
export function valueNoise(seed: number, channel: number, x: number): number {
  const i = Math.floor(x);
  return smoothBlend(unit(seed, channel, i), unit(seed, channel, i + 1), x - i);
}

/**
 * Smooth noise in [-1, 1] over time: independent random values every `periodMs`, blended with a
 * smoothstep in between (continuous, so a sensor never jumps). `channel` keeps sources apart.
 */
export function smoothNoise(seed: number, channel: number, t: number, periodMs: number): number {
  const x = t / periodMs;
  const i = Math.floor(x);
  return smoothBlend(unitHash(seed, channel, i) * 2 - 1, unitHash(seed, channel, i + 1) * 2 - 1, x - i);
}

/** Two octaves of `smoothNoise` (period and period/3), still within [-1, 1]. */
export function fractalNoise(seed: number, channel: number, t: number, periodMs: number): number {
  return (
    0.7 * smoothNoise(seed, channel, t, periodMs) + 0.3 * smoothNoise(seed, channel + 1000, t, periodMs / 3)
  );
}

/** Uniform in [lo, hi) from a PRNG function. */
export function between(rand: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

/** True with probability `p` from a PRNG function. */
export function chance(rand: () => number, p: number): boolean {
  return rand() < p;
}
