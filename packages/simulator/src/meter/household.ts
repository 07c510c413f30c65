import { floorTo, HOUR_MS, jstDayNumber, jstDayOfYear, jstDayStart, MINUTE_MS } from '@b-route/core';
import { unit, valueNoise } from '../random.js';
import { type DayPlan, planDay, runPower } from './appliances.js';

/**
 * A household load model for the simulated meter. `powerAt(t)` is a pure function of the seed
 * and `t`: it is constant over each `stepMs` step (a real meter refreshes E7 every few
 * seconds), so its integral is exact at step resolution and any instant can be replayed.
 *
 * Loads: standby, a fridge compressor cycling, lights/TV/PC following the occupants' day,
 * appliance runs from the day plan (appliances.ts), an air conditioner or heater by season and
 * outdoor temperature, an optional EV charger. Optional rooftop solar follows a daylight bell
 * by season with clouds; net power is negative while solar exceeds the load (reverse flow).
 */
export interface HouseholdOptions {
  /** Seed of everything random. */
  readonly seed: number;
  /** Rooftop solar of `peakW` (inverter AC peak) or none. Default none. */
  readonly solar?: { readonly peakW: number } | null;
  /** An EV charged at 3 kW some nights. Default false. */
  readonly ev?: boolean;
  /** Service wiring: single-phase three-wire 100/200 V (T current reported) or two-wire 100 V (T = no data). Default 'three-wire'. */
  readonly wiring?: 'three-wire' | 'two-wire';
  /** Power is constant over steps of this length. Default 10 000 ms. */
  readonly stepMs?: number;
}

/** What the meter measures at one step. Currents in A, rounded to 0.1 A like E8. */
export interface PowerSample {
  /** Start of the step (epoch ms). */
  readonly t: number;
  /** Net power in W (load − solar), an integer; negative while selling. */
  readonly powerW: number;
  readonly loadW: number;
  readonly solarW: number;
  readonly currentR: number;
  /** null on two-wire service (E8 T = 7FFE). */
  readonly currentT: number | null;
}

/** Loads are mostly motors and electronics; currents follow power with this power factor. */
const POWER_FACTOR = 0.95;
const DAY_CACHE_SIZE = 8;

interface DayInfo {
  readonly plan: DayPlan;
  readonly seasonal: number;
  readonly meanTempC: number;
}

// Noise channels: independent sources of one seed.
const CH_ACTIVITY = 1;
const CH_CLIMATE = 2;
const CH_CLOUD = 3;
const CH_JITTER = 4;

export class Household {
  readonly seed: number;
  readonly stepMs: number;
  readonly wiring: 'three-wire' | 'two-wire';
  readonly solarPeakW: number;
  readonly ev: boolean;
  readonly #standbyW: number;
  readonly #activityScale: number;
  readonly #fridge: { periodMs: number; phaseMs: number; onW: number; dutyBase: number; defrostHour: number };
  readonly #days = new Map<number, DayInfo>();
  #cachedDay = Number.NaN;
  #today: DayInfo | undefined;
  #yesterday: DayInfo | undefined;

  constructor(options: HouseholdOptions) {
    this.seed = options.seed >>> 0;
    this.stepMs = options.stepMs ?? 10_000;
    if (!(this.stepMs >= 1000) || MINUTE_MS % this.stepMs !== 0) {
      throw new RangeError(`stepMs must divide one minute and be ≥ 1000, got ${this.stepMs}`);
    }
    this.wiring = options.wiring ?? 'three-wire';
    this.solarPeakW = options.solar?.peakW ?? 0;
    this.ev = options.ev ?? false;
    const s = this.seed;
    this.#standbyW = 35 + 45 * unit(s, 0x51);
    this.#activityScale = 0.8 + 0.5 * unit(s, 0x52);
    this.#fridge = {
      periodMs: Math.round((42 + 20 * unit(s, 0x53)) * MINUTE_MS),
      phaseMs: Math.round(unit(s, 0x54) * 60 * MINUTE_MS),
      onW: 105 + 50 * unit(s, 0x55),
      dutyBase: 0.36 + 0.08 * unit(s, 0x56),
      defrostHour: 1 + 3 * unit(s, 0x57),
    };
  }

  /** Net power in W at `t` (integer; negative while selling). */
  powerAt(t: number): number {
    return this.sampleAt(t).powerW;
  }

  /** Power, its parts and the line currents at `t`. */
  sampleAt(t: number): PowerSample {
    const ts = floorTo(t, this.stepMs);
    const day = jstDayNumber(ts);
    if (day !== this.#cachedDay) {
      this.#cachedDay = day;
      this.#today = this.#day(day);
      this.#yesterday = this.#day(day - 1);
    }
    const info = this.#today!;
    const plan = info.plan;
    const prev = this.#yesterday!.plan;
    const hour = (ts - jstDayStart(day)) / HOUR_MS;
    const jitter = 1 + 0.04 * (unit(this.seed, CH_JITTER, ts / this.stepMs) - 0.5);

    // Watts per line: R and T carry 100 V loads, RT the 200 V ones.
    let r = this.#standbyW * 0.5 * jitter + this.#fridgePower(ts, info.seasonal, hour);
    let tl = this.#standbyW * 0.5 * jitter;
    let rt = 0;
    const occ = occupancy(ts, plan, prev);
    if (occ.awakeAtHome) {
      const a = this.#activityPower(ts, occ.hour, occ.plan.weekend) * jitter;
      r += a * 0.6;
      tl += a * 0.4;
    }
    for (let i = 0; i < 2; i++) {
      for (const run of i === 0 ? prev.runs : plan.runs) {
        if (ts < run.start || ts >= run.end) continue;
        const w = runPower(run, ts) * jitter;
        if (run.line === 'R') r += w;
        else if (run.line === 'T') tl += w;
        else rt += w;
      }
    }
    rt += this.#climatePower(ts, this.#temp(info, hour), occ);

    const loadW = r + tl + rt;
    const solarW = this.solarPeakW > 0 ? this.#solarPower(ts, info, hour) : 0;
    const powerW = Math.round(loadW - solarW);

    let currentR: number;
    let currentT: number | null;
    if (this.wiring === 'two-wire') {
      currentR = round1(loadW / (100 * POWER_FACTOR) - solarW / 100);
      currentT = null;
    } else {
      currentR = round1((r + rt / 2) / (100 * POWER_FACTOR) - solarW / 200);
      currentT = round1((tl + rt / 2) / (100 * POWER_FACTOR) - solarW / 200);
    }
    return { t: ts, powerW, loadW, solarW, currentR, currentT };
  }

  /** Outdoor temperature in °C at `t` (Kanto-like climate). */
  outdoorTempAt(t: number): number {
    const day = jstDayNumber(t);
    return this.#temp(this.#day(day), (t - jstDayStart(day)) / HOUR_MS);
  }

  /** The day plan of JST day number `day` (a pure function of seed and day). */
  plan(day: number): DayPlan {
    return this.#day(day).plan;
  }

  /** Per-day constants, memoised for the few most recent days. */
  #day(day: number): DayInfo {
    let info = this.#days.get(day);
    if (!info) {
      const doy = jstDayOfYear(day);
      info = {
        plan: planDay(day, { seed: this.seed, ev: this.ev }),
        // +1 at the summer solstice, −1 at the winter solstice.
        seasonal: Math.cos((2 * Math.PI * (doy - 172)) / 365),
        meanTempC: 16.5 - 10.5 * Math.cos((2 * Math.PI * (doy - 20)) / 365),
      };
      if (this.#days.size >= DAY_CACHE_SIZE) this.#days.delete(this.#days.keys().next().value as number);
      this.#days.set(day, info);
    }
    return info;
  }

  #fridgePower(t: number, summer: number, hour: number): number {
    const f = this.#fridge;
    if (hour >= f.defrostHour && hour < f.defrostHour + 1 / 3) return 180;
    const duty = f.dutyBase + 0.08 * summer;
    const pos = ((t + f.phaseMs) % f.periodMs) / f.periodMs;
    return pos < duty ? f.onW : 2;
  }

  #activityPower(t: number, hour: number, weekend: boolean): number {
    let base: number;
    if (hour < 10) base = 220;
    else if (hour < 17) base = weekend ? 180 : 110;
    else base = 300 + 220 * Math.exp(-(((hour - 20.5) / 1.6) ** 2));
    const noise = 0.7 + 0.6 * valueNoise(this.seed, CH_ACTIVITY, t / (5 * MINUTE_MS));
    return base * this.#activityScale * noise;
  }

  #temp(info: DayInfo, hour: number): number {
    return info.meanTempC + 4 * Math.cos((2 * Math.PI * (hour - 14.5)) / 24) + info.plan.weatherOffsetC;
  }

  #climatePower(t: number, temp: number, occ: Occupancy): number {
    let w = 0;
    if (temp > 26.5 && occ.awakeAtHome) w = Math.min(1500, 250 + 120 * (temp - 25));
    else if (temp > 25 && occ.asleepAtHome) w = 0.6 * Math.min(1500, 250 + 120 * (temp - 25));
    else if (temp < 14 && occ.awakeAtHome) w = Math.min(2000, 400 + 90 * (20 - temp));
    if (w === 0) return 0;
    // Inverter compressors run hard for the first minutes after being switched on.
    if (occ.awakeAtHome && t - occ.since < 20 * MINUTE_MS) w = Math.min(2200, w * 1.6);
    return w * (0.8 + 0.4 * valueNoise(this.seed, CH_CLIMATE, t / (3 * MINUTE_MS)));
  }

  #solarPower(t: number, info: DayInfo, hour: number): number {
    const s = info.seasonal;
    const plan = info.plan;
    const halfDay = 6.1 + 1.2 * s; // 9.8 h of daylight at the winter solstice, 14.6 h at the summer one
    const x = (hour - 11.7) / halfDay; // solar noon ≈ 11:40 JST in Kanto
    if (x <= -1 || x >= 1) return 0;
    const bell = Math.cos((Math.PI * x) / 2) ** 1.6;
    const season = 0.85 + 0.15 * s;
    const passing = valueNoise(this.seed, CH_CLOUD, t / (7 * MINUTE_MS)) - 0.5;
    const cloud = Math.min(1, Math.max(0, plan.cloudiness + passing * (0.2 + plan.cloudiness)));
    return this.solarPeakW * 0.9 * bell * season * (1 - 0.85 * cloud);
  }
}

interface Occupancy {
  readonly awakeAtHome: boolean;
  readonly asleepAtHome: boolean;
  /** Hour of the occupants' day (past 24 after midnight before they sleep). */
  readonly hour: number;
  /** When the current awake-at-home period began. */
  readonly since: number;
  readonly plan: DayPlan;
}

function occupancy(t: number, plan: DayPlan, prev: DayPlan): Occupancy {
  if (t < plan.wake) {
    if (t < prev.sleep) {
      const since = prev.back !== null && prev.back <= t ? prev.back : prev.wake;
      return { awakeAtHome: true, asleepAtHome: false, hour: hourOf(t, prev), since, plan: prev };
    }
    return { awakeAtHome: false, asleepAtHome: true, hour: hourOf(t, plan), since: t, plan };
  }
  if (t >= plan.sleep)
    return { awakeAtHome: false, asleepAtHome: true, hour: hourOf(t, plan), since: t, plan };
  const out = plan.leave !== null && plan.back !== null && t >= plan.leave && t < plan.back;
  const since = plan.back !== null && plan.back <= t ? plan.back : plan.wake;
  return { awakeAtHome: !out, asleepAtHome: false, hour: hourOf(t, plan), since, plan };
}

function hourOf(t: number, p: DayPlan): number {
  return (t - jstDayStart(p.day)) / HOUR_MS;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
