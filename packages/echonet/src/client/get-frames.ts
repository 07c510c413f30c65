import { ESV, type Frame } from '../frame/types.js';

/**
 * Pure rules for Get frames to the meter: which properties fit in one frame, and what an
 * answer means for each property asked.
 */

export interface FrameLimits {
  /** Most properties in one frame. */
  readonly maxProperties: number;
  /** Largest expected answer: sum of {@link answerSize} over the properties asked. */
  readonly maxResponseBytes: number;
}

/**
 * Largest EDT class 0x0288 answers for `epc`: E2/E4 (day + 48 counts) 194, EC (12 points) 103,
 * EE (10 points) 87; property maps and identification numbers 17, the rest less.
 */
export function answerSize(epc: number): number {
  if (epc === 0xe2 || epc === 0xe4) return 194;
  if (epc === 0xec) return 103;
  if (epc === 0xee) return 87;
  return 17;
}

/**
 * The properties of `candidates` (in order, duplicates once) that go into the next frame. The
 * first always goes; later ones are skipped, not stopped at, when they do not fit, so a small
 * property behind a large one still travels now.
 */
export function packGetFrame(candidates: Iterable<number>, limits: FrameLimits): number[] {
  const epcs: number[] = [];
  let bytes = 0;
  for (const epc of candidates) {
    if (epcs.includes(epc)) continue;
    const size = answerSize(epc);
    if (epcs.length > 0 && (epcs.length >= limits.maxProperties || bytes + size > limits.maxResponseBytes))
      continue;
    epcs.push(epc);
    bytes += size;
  }
  return epcs;
}

/** What an answer to a Get of `asked` says. */
export type GetAnswer =
  /**
   * No value at all for several properties: some meters refuse a whole frame for one property
   * they lack (Get_SNA, every PDC 0). Ask the halves again.
   */
  | { readonly kind: 'split'; readonly halves: readonly [number[], number[]] }
  | {
      readonly kind: 'values';
      readonly values: ReadonlyMap<number, Uint8Array>;
      /** PDC 0 in the answer, or a single property left out of it: the meter lacks them. */
      readonly unsupported: readonly number[];
      /** Left out of an answer to several properties: to be asked again on their own. */
      readonly missing: readonly number[];
    };

/** Reads a Get_Res or Get_SNA to a Get of `asked` (Part 2 §4.2.3.2: PDC 0 = not available). */
export function readGetAnswer(asked: readonly number[], frame: Frame): GetAnswer {
  const got = new Map(frame.properties.map((p) => [p.epc, p.edt] as const));
  const empty = asked.every((e) => (got.get(e)?.length ?? 0) === 0);
  if (asked.length > 1 && empty && (frame.esv === ESV.Get_SNA || asked.every((e) => !got.has(e)))) {
    const half = Math.ceil(asked.length / 2);
    return { kind: 'split', halves: [asked.slice(0, half), asked.slice(half)] };
  }
  const values = new Map<number, Uint8Array>();
  const unsupported: number[] = [];
  const missing: number[] = [];
  for (const epc of asked) {
    const edt = got.get(epc);
    if (edt === undefined && asked.length > 1) missing.push(epc);
    else if (edt === undefined || edt.length === 0) unsupported.push(epc);
    else values.set(epc, edt);
  }
  return { kind: 'values', values, unsupported, missing };
}
