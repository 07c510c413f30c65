import { HOUR_MS, MINUTE_MS } from '@b-route/core';
import { unitHash } from '../random.js';
import { localTime } from './local-time.js';

/**
 * CO2 in one room of a home: a well-mixed box model
 *   dC/dt = G(t) / V + n(t) (C_out - C)
 * with G the CO2 exhaled (and burnt by a gas stove) in m³/h, V the room volume, n the air
 * changes per hour. Inputs change once a minute and follow a seeded day plan (wake, work,
 * weekend outings, airing the room, cooking); between minutes the equation is solved exactly.
 *
 * The concentration at any instant is a pure function of seed and time: it is integrated from
 * outdoor level far enough back (20 time constants) that where the integration starts no longer
 * shows.
 */
export interface IndoorCo2Options {
  /** Seed of the day plans. Default 1. */
  seed?: number;
  /** Local offset from UTC in minutes. Default 540 (JST). */
  utcOffsetMinutes?: number;
  /** People living in the home. Default 2. */
  residents?: number;
  /** Room volume in m³ (a 20 m² living-dining room, 2.4 m high ≈ 50 m³). Default 50. */
  roomVolumeM3?: number;
  /** Outdoor CO2 in ppm. Default 420. */
  outdoorPpm?: number;
  /**
   * Air changes per hour with windows shut. Japanese building code requires 24-hour mechanical
   * ventilation of 0.5/h in homes built since 2003. Default 0.5.
   */
  baseAirChangesPerHour?: number;
  /** Whether the residents sleep in this room. Default false (a living room). */
  sleepsInRoom?: boolean;
}

/** What drives the concentration during one minute. */
export interface Co2Conditions {
  /** People in the room. */
  people: number;
  asleep: boolean;
  /** CO2 released into the room, m³/h. */
  sourceM3PerHour: number;
  airChangesPerHour: number;
  airing: boolean;
  cooking: boolean;
}

interface DayPlan {
  wake: number;
  bed: number;
  /** Minutes of day when the home is left / re-entered (absent = nobody leaves). */
  away: { from: number; to: number; stay: number } | null;
  airing: { from: number; to: number } | null;
  cooking: { from: number; to: number };
}

/** CO2 exhaled per person, m³/h: ~0.3 L/min at rest or light activity, ~0.22 L/min asleep. */
const EXHALED_AWAKE = 0.018;
const EXHALED_ASLEEP = 0.013;
/** A gas hob burning ~1 kW of city gas (13A) releases ~0.1 m³/h CO2; most of it leaves by the hood. */
const STOVE_INTO_ROOM = 0.03;
const AIRING_ACH = 5;
const HOOD_ACH = 1.5;

const BLOCK_MS = 6 * HOUR_MS;
const CACHE_BLOCKS = 8;

export class IndoorCo2 {
  readonly #seed: number;
  readonly #offset: number;
  readonly #residents: number;
  readonly #volume: number;
  readonly #outdoor: number;
  readonly #baseAch: number;
  readonly #sleepsInRoom: boolean;
  readonly #lookbackMs: number;
  readonly #plans = new Map<number, DayPlan>();
  readonly #blocks = new Map<number, Float64Array>();

  constructor(options: IndoorCo2Options = {}) {
    this.#seed = options.seed ?? 1;
    this.#offset = options.utcOffsetMinutes ?? 540;
    this.#residents = options.residents ?? 2;
    this.#volume = options.roomVolumeM3 ?? 50;
    this.#outdoor = options.outdoorPpm ?? 420;
    this.#baseAch = options.baseAirChangesPerHour ?? 0.5;
    this.#sleepsInRoom = options.sleepsInRoom ?? false;
    if (!(this.#baseAch > 0.05))
      throw new RangeError(`baseAirChangesPerHour must be > 0.05, got ${this.#baseAch}`);
    if (!(this.#volume > 0)) throw new RangeError(`roomVolumeM3 must be > 0, got ${this.#volume}`);
    this.#lookbackMs = Math.ceil(20 / this.#baseAch) * HOUR_MS;
  }

  get outdoorPpm(): number {
    return this.#outdoor;
  }

  /** CO2 concentration in ppm at `at` (epoch ms). */
  ppmAt(at: number): number {
    const block = Math.floor(at / BLOCK_MS);
    const start = block * BLOCK_MS - this.#lookbackMs;
    const grid = this.#block(block, start);
    const minutes = (at - start) / MINUTE_MS;
    const i = Math.floor(minutes);
    return this.#step(grid[i]!, start + i * MINUTE_MS, (minutes - i) * MINUTE_MS);
  }

  /** The inputs of the model during the minute containing `at`. */
  conditionsAt(at: number): Co2Conditions {
    const lt = localTime(at, this.#offset);
    const plan = this.#plan(lt.day, lt.dayOfWeek);
    const m = lt.minuteOfDay;
    const asleep = m < plan.wake || m >= plan.bed;
    let home = this.#residents;
    if (plan.away && m >= plan.away.from && m < plan.away.to) home = plan.away.stay;
    const people = asleep ? (this.#sleepsInRoom ? home : 0) : home;
    const airing = !asleep && home > 0 && plan.airing !== null && m >= plan.airing.from && m < plan.airing.to;
    const cooking = home > 0 && m >= plan.cooking.from && m < plan.cooking.to;
    const sourceM3PerHour =
      people * (asleep ? EXHALED_ASLEEP : EXHALED_AWAKE) + (cooking ? STOVE_INTO_ROOM : 0);
    const airChangesPerHour = this.#baseAch + (airing ? AIRING_ACH : 0) + (cooking ? HOOD_ACH : 0);
    return { people, asleep, sourceM3PerHour, airChangesPerHour, airing, cooking };
  }

  /** Exact solution over `dtMs` with the inputs of the minute starting at `t`. */
  #step(c: number, t: number, dtMs: number): number {
    if (dtMs === 0) return c;
    const k = this.conditionsAt(t);
    const steady = this.#outdoor + (1e6 * k.sourceM3PerHour) / (k.airChangesPerHour * this.#volume);
    return steady + (c - steady) * Math.exp((-k.airChangesPerHour * dtMs) / HOUR_MS);
  }

  #block(block: number, start: number): Float64Array {
    const cached = this.#blocks.get(block);
    if (cached) return cached;
    const n = Math.ceil((this.#lookbackMs + BLOCK_MS) / MINUTE_MS) + 1;
    const grid = new Float64Array(n);
    let c = this.#outdoor;
    for (let i = 0; i < n; i++) {
      grid[i] = c;
      c = this.#step(c, start + i * MINUTE_MS, MINUTE_MS);
    }
    if (this.#blocks.size >= CACHE_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value!);
    this.#blocks.set(block, grid);
    return grid;
  }

  #plan(day: number, dayOfWeek: number): DayPlan {
    const cached = this.#plans.get(day);
    if (cached) return cached;
    const r = (slot: number) => unitHash(this.#seed, 0xc02, day, slot);
    const weekend = dayOfWeek === 0 || dayOfWeek === 6;
    const wake = 6 * 60 + (weekend ? 60 : 0) + r(1) * 60;
    const bed = 23 * 60 + r(2) * 59;
    let away: DayPlan['away'] = null;
    if (!weekend) {
      const from = wake + 60 + r(3) * 30;
      const to = 17 * 60 + 30 + r(4) * 120;
      away = { from, to, stay: r(5) < 0.2 ? 1 : 0 };
    } else if (r(6) < 0.5) {
      const from = 12 * 60 + r(7) * 120;
      away = { from, to: from + 120 + r(8) * 120, stay: 0 };
    }
    const airingFrom = wake + 20 + r(9) * 20;
    const airing = r(10) < 0.6 ? { from: airingFrom, to: airingFrom + 10 + r(11) * 15 } : null;
    const dinner = Math.max(away && away.stay === 0 ? away.to + 20 : 0, 18 * 60 + r(12) * 60);
    const plan: DayPlan = {
      wake,
      bed,
      away,
      airing,
      cooking: { from: dinner, to: dinner + 30 + r(13) * 15 },
    };
    if (this.#plans.size > 64) this.#plans.clear();
    this.#plans.set(day, plan);
    return plan;
  }
}
