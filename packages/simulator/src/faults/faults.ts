import { seededRandom } from '@b-route/core';
import { hash32 } from '../random.js';
import { type FaultSettings, inDailyWindow, NO_FAULTS, parseFaultSpec } from './spec.js';

/**
 * The fault switches of one simulator, changeable at run time. Every random decision comes from
 * one seeded generator, so a run with the same seed, spec and client traffic repeats exactly.
 */
export class Faults {
  #settings: FaultSettings;
  readonly #random: () => number;
  #unreachableUntil = Number.NEGATIVE_INFINITY;
  readonly #listeners = new Set<(settings: FaultSettings) => void>();

  /** @throws RangeError for a bad spec string. */
  constructor(settings: Partial<FaultSettings> | string = {}, seed = 1) {
    this.#settings = typeof settings === 'string' ? parseFaultSpec(settings) : { ...NO_FAULTS, ...settings };
    this.#random = seededRandom(hash32(seed, 0xfa017));
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  /** Changes some switches from now on, e.g. `faults.set({ drop: 0.2 })` or a spec string. */
  set(patch: Partial<FaultSettings> | string): void {
    const p = typeof patch === 'string' ? parseFaultSpec(patch) : patch;
    this.#settings = { ...this.#settings, ...p };
    for (const l of this.#listeners) l(this.#settings);
  }

  /** Called after every `set` (the simulator reschedules timed faults). */
  onChange(listener: (settings: FaultSettings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Uniform number in [0, 1) from the fault generator. */
  random(): number {
    return this.#random();
  }

  #roll(p: number): boolean {
    // Draw only when the switch is on, so that turning one fault on does not reshuffle the others' runs.
    return p > 0 && this.#random() < p;
  }

  dropReply(): boolean {
    return this.#roll(this.#settings.drop);
  }

  duplicateReply(): boolean {
    return this.#roll(this.#settings.duplicate);
  }

  failEr10(): boolean {
    return this.#roll(this.#settings.failEr10);
  }

  reauthFails(): boolean {
    return this.#roll(this.#settings.reauthFail);
  }

  /** Extra delay for one reply, ms. */
  extraDelayMs(): number {
    const [lo, hi] = this.#settings.delayMs;
    return hi <= lo ? lo : lo + Math.floor(this.#random() * (hi - lo + 1));
  }

  /** With probability `corrupt`: a broken copy of `frame`; otherwise null. */
  corruptReply(frame: Uint8Array): Uint8Array | null {
    if (!this.#roll(this.#settings.corrupt)) return null;
    return corruptFrame(frame, this.#random);
  }

  /** Makes the meter unreachable until simulated time `until`. */
  setUnreachableUntil(until: number): void {
    this.#unreachableUntil = until;
  }

  /** True while the meter cannot be reached (manual period or a daily window). */
  meterUnreachable(now: number): boolean {
    return now < this.#unreachableUntil || inDailyWindow(this.#settings.unreachable, now);
  }
}

/**
 * A copy of an ECHONET Lite frame that no decoder accepts: either EHD1 is no longer 0x10, or the
 * frame loses its last byte(s), so the last property's PDC runs past the end (Part 2 §3.2).
 */
export function corruptFrame(frame: Uint8Array, random: () => number): Uint8Array {
  if (frame.length < 2 || random() < 0.5) {
    const out = frame.slice();
    if (out.length > 0) out[0] = out[0]! ^ (0x40 | Math.floor(random() * 0x30));
    return out;
  }
  const cut = 1 + Math.floor(random() * Math.min(3, frame.length - 1));
  return frame.slice(0, frame.length - cut);
}
