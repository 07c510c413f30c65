import { DAY_MS, floorTo, MINUTE_MS } from '@b-route/core';
import { countToKwh, ENERGY_UNITS } from '@b-route/echonet';

/**
 * Cumulative energy of the simulated meter: normal direction (bought, E0) and reverse
 * direction (sold, E3) as the exact integral of the power the meter reports. The power
 * function is constant over steps of `stepMs` (see household.ts), so summing steps is exact.
 *
 * A per-minute table of the running integral (in W·s) is built incrementally from `origin`;
 * any instant is a table lookup plus at most one minute of steps. Counts follow the meter's
 * registers: count = kWh / (D3 coefficient × E1 unit), wrapping at 10^D7 (Appendix §3.3.25,
 * E0: "0 … 99 999 999", D7 effective digits).
 */

export interface CounterOptions {
  /** D3 coefficient. Default 1. */
  readonly coefficient?: number;
  /** E1 unit code. Default 0x01 (0.1 kWh). */
  readonly unitCode?: number;
  /** D7 effective digits, 1–8: counts wrap at 10^digits. Default 6. */
  readonly digits?: number;
  /** Normal-direction count at `anchor` (e.g. a meter in service for years). Default 0. */
  readonly initialNormal?: number;
  /** Reverse-direction count at `anchor`. Default 0. */
  readonly initialReverse?: number;
  /** The instant at which the initial counts hold. Default `origin`. */
  readonly anchor?: number;
  /** Keep table rows for this long behind the newest one (older instants have no data). Default 60 days. */
  readonly retainMs?: number;
}

export interface EnergyWs {
  /** W·s bought since `origin`. */
  readonly normal: number;
  /** W·s sold since `origin`. */
  readonly reverse: number;
}

export interface Counts {
  readonly normal: number;
  readonly reverse: number;
}

export class EnergyCounters {
  readonly origin: number;
  readonly stepMs: number;
  readonly coefficient: number;
  readonly unitCode: number;
  readonly digits: number;
  /** kWh per count (D3 × E1). */
  readonly kwhPerCount: number;
  /** kWh per count of E1 alone. */
  readonly unitKwh: number;
  readonly #power: (t: number) => number;
  readonly #wsPerCount: number;
  readonly #modulus: number;
  readonly #initial: Counts;
  readonly #anchor: number;
  /** Energy at the anchor, computed on first use (it needs the table up to the anchor). */
  #anchorWs: EnergyWs | null = null;
  readonly #retainRows: number;
  // Row i holds the integral from `origin` to `origin + (#first + i) minutes`.
  #normal: number[] = [0];
  #reverse: number[] = [0];
  #first = 0;

  /**
   * @param power net power in W at an instant, constant over `stepMs` steps aligned to the epoch.
   * @param origin first instant with data; rounded down to a whole minute.
   * @throws RangeError for an unknown unit code, digits outside 1–8, a coefficient < 1, or a
   *   step that does not divide one minute.
   */
  constructor(power: (t: number) => number, stepMs: number, origin: number, options: CounterOptions = {}) {
    if (!(stepMs >= 1) || MINUTE_MS % stepMs !== 0)
      throw new RangeError(`stepMs must divide one minute, got ${stepMs}`);
    this.#power = power;
    this.stepMs = stepMs;
    this.origin = floorTo(origin, MINUTE_MS);
    this.coefficient = options.coefficient ?? 1;
    this.unitCode = options.unitCode ?? 0x01;
    this.digits = options.digits ?? 6;
    const unitKwh = ENERGY_UNITS.get(this.unitCode);
    if (unitKwh === undefined) throw new RangeError(`unknown E1 unit code ${this.unitCode}`);
    if (!Number.isInteger(this.digits) || this.digits < 1 || this.digits > 8) {
      throw new RangeError(`digits must be 1–8, got ${this.digits}`);
    }
    if (!Number.isInteger(this.coefficient) || this.coefficient < 1) {
      throw new RangeError(`coefficient must be a positive integer, got ${this.coefficient}`);
    }
    this.unitKwh = unitKwh;
    this.kwhPerCount = this.coefficient * unitKwh;
    // Every unit is a whole number of W·s per count (0.0001 kWh = 360 W·s).
    this.#wsPerCount = Math.round(3_600_000 * this.coefficient * unitKwh);
    this.#modulus = 10 ** this.digits;
    this.#initial = {
      normal: mod(options.initialNormal ?? 0, this.#modulus),
      reverse: mod(options.initialReverse ?? 0, this.#modulus),
    };
    this.#retainRows = Math.ceil((options.retainMs ?? 60 * DAY_MS) / MINUTE_MS);
    this.#anchor = Math.max(options.anchor ?? this.origin, this.origin);
  }

  /** Modulus of the counts (10^digits). */
  get modulus(): number {
    return this.#modulus;
  }

  /** Earliest instant still answered (moves forward as old rows are dropped). */
  get firstAvailable(): number {
    return this.origin + this.#first * MINUTE_MS;
  }

  /** Energy from `origin` to `t`, or null before the data kept. */
  energyWs(t: number): EnergyWs | null {
    if (t < this.firstAvailable) return null;
    const minute = Math.floor((t - this.origin) / MINUTE_MS);
    this.#extendTo(minute);
    const i = minute - this.#first;
    let normal = this.#normal[i]!;
    let reverse = this.#reverse[i]!;
    const from = this.origin + minute * MINUTE_MS;
    for (let s = from; s < t; s += this.stepMs) {
      const w = this.#power(s);
      const dt = (Math.min(s + this.stepMs, t) - s) / 1000;
      if (w > 0) normal += w * dt;
      else reverse -= w * dt;
    }
    return { normal, reverse };
  }

  /** Register counts at `t` (wrapped at 10^digits), or null before the data kept. */
  countsAt(t: number): Counts | null {
    const e = this.energyWs(t);
    if (e === null) return null;
    const anchorWs = this.#anchorEnergy();
    return {
      normal: mod(
        this.#initial.normal + Math.floor((e.normal - anchorWs.normal) / this.#wsPerCount),
        this.#modulus,
      ),
      reverse: mod(
        this.#initial.reverse + Math.floor((e.reverse - anchorWs.reverse) / this.#wsPerCount),
        this.#modulus,
      ),
    };
  }

  /** kWh of a count in this meter's unit and coefficient. */
  countToKwh(count: number): number {
    return countToKwh(count, this.coefficient, this.unitKwh);
  }

  #anchorEnergy(): EnergyWs {
    this.#anchorWs ??= this.energyWs(this.#anchor) ?? { normal: 0, reverse: 0 };
    return this.#anchorWs;
  }

  #extendTo(minute: number): void {
    let last = this.#first + this.#normal.length - 1;
    if (minute <= last) return;
    let normal = this.#normal[this.#normal.length - 1]!;
    let reverse = this.#reverse[this.#reverse.length - 1]!;
    const dt = this.stepMs / 1000;
    while (last < minute) {
      const from = this.origin + last * MINUTE_MS;
      for (let s = from; s < from + MINUTE_MS; s += this.stepMs) {
        const w = this.#power(s);
        if (w > 0) normal += w * dt;
        else reverse -= w * dt;
      }
      this.#normal.push(normal);
      this.#reverse.push(reverse);
      last++;
    }
    const excess = this.#normal.length - this.#retainRows;
    if (excess > this.#retainRows / 8) {
      this.#anchorEnergy();
      this.#normal.splice(0, excess);
      this.#reverse.splice(0, excess);
      this.#first += excess;
    }
  }
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
