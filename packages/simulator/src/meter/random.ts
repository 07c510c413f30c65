/**
 * Deterministic randomness for the household model. Everything is a pure function of its
 * integer inputs so that any instant can be recomputed (and replayed) without state.
 */

/** 32-bit mix of up to four integers (murmur3 finaliser over a running combination). */
export function hash32(a: number, b = 0, c = 0, d = 0): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ d, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from integer inputs. */
export function unit(a: number, b = 0, c = 0, d = 0): number {
  return hash32(a, b, c, d) / 0x1_0000_0000;
}

/** A seeded PRNG (mulberry32): returns a function giving uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/**
 * Smooth value noise in [0, 1): random values at integer positions of `x`, blended with a
 * smoothstep in between. `channel` separates independent noise sources of one seed.
 */
export function valueNoise(seed: number, channel: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const a = unit(seed, channel, i);
  const b = unit(seed, channel, i + 1);
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/** Helpers over a PRNG function. */
export function between(rand: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

export function chance(rand: () => number, p: number): boolean {
  return rand() < p;
}
