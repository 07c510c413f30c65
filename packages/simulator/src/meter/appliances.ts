import { DAY_MS, HOUR_MS, jstDayOfWeek, jstDayStart, MINUTE_MS, seededRandom } from '@b-route/core';
import { between, chance, hash32 } from '../random.js';

/**
 * The daily life of the simulated household: when people get up, leave, come back and go to
 * bed, and which appliances run when. One plan per JST day, generated from (seed, day) alone.
 *
 * Lines of a single-phase three-wire service (単相3線式): 100 V loads hang on R or T, 200 V
 * loads (IH cooktop, air conditioner, EV charger) across both.
 */
export type Line = 'R' | 'T' | 'RT';

export type Pattern =
  | { readonly kind: 'steady' }
  /** On for `duty` of every `periodMs`, otherwise `idleW`. */
  | { readonly kind: 'duty'; readonly periodMs: number; readonly duty: number; readonly idleW: number }
  /** Washing machine: fill, wash (motor bursts), drain, rinse, spin. */
  | { readonly kind: 'washer' }
  /** Rice cooker: heat for `cookMs` (thermostat cycling), then keep warm. */
  | { readonly kind: 'rice'; readonly cookMs: number };

export interface ApplianceRun {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly watts: number;
  readonly line: Line;
  readonly pattern: Pattern;
}

export interface DayPlan {
  readonly day: number;
  readonly weekend: boolean;
  readonly wake: number;
  /** Leaves home (null: someone stays at home all day). */
  readonly leave: number | null;
  readonly back: number | null;
  /** Goes to bed; may be after midnight. */
  readonly sleep: number;
  /** Dinner time, anchor of the evening cooking. */
  readonly dinner: number;
  /** Offset of the day's outdoor temperature from the seasonal mean, °C. */
  readonly weatherOffsetC: number;
  /** 0 clear … 1 overcast. */
  readonly cloudiness: number;
  readonly runs: readonly ApplianceRun[];
}

export interface PlanOptions {
  readonly seed: number;
  /** Plug-in EV charged at 200 V some nights. */
  readonly ev: boolean;
}

/** The plan of JST day number `day` (pure function of seed and day). */
export function planDay(day: number, options: PlanOptions): DayPlan {
  const rand = seededRandom(hash32(options.seed, day, 0xda7));
  const d0 = jstDayStart(day);
  const at = (hours: number): number => Math.round(d0 + hours * HOUR_MS);
  const minutes = (lo: number, hi: number): number => Math.round(between(rand, lo, hi) * MINUTE_MS);
  const dow = jstDayOfWeek(day);
  const weekend = dow === 0 || dow === 6;

  const wake = weekend ? at(between(rand, 7, 9)) : at(between(rand, 6, 7));
  let leave: number | null = null;
  let back: number | null = null;
  if (!weekend && !chance(rand, 0.12)) {
    leave = wake + minutes(70, 110);
    back = at(between(rand, 17.5, 19.5));
  } else if (weekend && chance(rand, 0.35)) {
    leave = at(between(rand, 10.5, 13));
    back = leave + minutes(150, 330);
  }
  const sleep = at(between(rand, 22.8, 24.6));
  const dinner = Math.max(at(between(rand, 18.8, 20)), (back ?? 0) + minutes(40, 70));
  const weatherOffsetC = between(rand, -3, 3);
  const cloudiness = cloudinessOf(rand());

  const runs: ApplianceRun[] = [];
  const add = (name: string, start: number, durMs: number, watts: number, line: Line, pattern?: Pattern) =>
    runs.push({ name, start, end: start + durMs, watts, line, pattern: pattern ?? { kind: 'steady' } });
  const homeAt = (t: number) => leave === null || back === null || t < leave || t >= back;

  add('kettle', wake + minutes(4, 15), minutes(3, 5), between(rand, 1150, 1300), 'T');
  add('microwave', wake + minutes(10, 30), minutes(1, 3), between(rand, 1000, 1250), 'T');
  if (chance(rand, 0.5)) add('hair dryer', wake + minutes(25, 40), minutes(4, 8), 1200, 'T');
  if (chance(rand, 0.3)) {
    add('rice cooker', wake - minutes(55, 65), minutes(90, 150), between(rand, 1000, 1250), 'R', {
      kind: 'rice',
      cookMs: 45 * MINUTE_MS,
    });
  }
  const washStart = weekend ? at(between(rand, 8.5, 10.5)) : wake + minutes(5, 20);
  if (chance(rand, weekend ? 0.85 : 0.4)) {
    add('washing machine', washStart, minutes(48, 62), between(rand, 300, 420), 'R', { kind: 'washer' });
    if (chance(rand, 0.3)) {
      add('clothes dryer', washStart + 62 * MINUTE_MS, minutes(100, 140), between(rand, 700, 900), 'R', {
        kind: 'duty',
        periodMs: 4 * MINUTE_MS,
        duty: 0.75,
        idleW: 120,
      });
    }
  }
  if (chance(rand, weekend ? 0.7 : 0.1))
    add('vacuum cleaner', at(between(rand, 10, 11.5)), minutes(12, 25), 650, 'R');
  const noon = at(between(rand, 11.9, 12.5));
  if (homeAt(noon)) {
    add('microwave', noon, minutes(2, 4), between(rand, 1000, 1250), 'T');
    if (weekend && chance(rand, 0.6)) {
      add('IH cooktop', noon - minutes(15, 25), minutes(12, 20), between(rand, 1200, 2000), 'RT', {
        kind: 'duty',
        periodMs: MINUTE_MS,
        duty: 0.7,
        idleW: 0,
      });
    }
  }

  if (chance(rand, 0.85)) {
    add('rice cooker', dinner - minutes(55, 65), minutes(180, 300), between(rand, 1000, 1300), 'R', {
      kind: 'rice',
      cookMs: 45 * MINUTE_MS,
    });
  }
  if (chance(rand, 0.8)) {
    add('IH cooktop', dinner - minutes(25, 40), minutes(18, 35), between(rand, 1400, 2400), 'RT', {
      kind: 'duty',
      periodMs: MINUTE_MS,
      duty: 0.7,
      idleW: 0,
    });
  }
  const microwaves = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < microwaves; i++) {
    add('microwave', dinner - minutes(-5, 40), minutes(1, 4), between(rand, 1000, 1250), 'T');
  }
  if (chance(rand, 0.5)) {
    add('dishwasher', dinner + minutes(40, 90), minutes(80, 100), between(rand, 1000, 1200), 'T', {
      kind: 'duty',
      periodMs: 20 * MINUTE_MS,
      duty: 0.4,
      idleW: 40,
    });
  }
  if (chance(rand, 0.7)) add('hair dryer', sleep - minutes(60, 100), minutes(6, 10), 1200, 'T');
  if (options.ev && chance(rand, 0.45)) {
    const kwh = between(rand, 4, 18);
    add('EV charger', at(between(rand, 23, 24)), Math.round((kwh / 3) * HOUR_MS), 3000, 'RT');
  }

  return { day, weekend, wake, leave, back, sleep, dinner, weatherOffsetC, cloudiness, runs };
}

/** Skewed so that about 40 % of days are clear, 30 % partly cloudy and 30 % overcast. */
function cloudinessOf(u: number): number {
  if (u < 0.4) return u / 2;
  if (u < 0.7) return 0.2 + ((u - 0.4) / 0.3) * 0.5;
  return 0.7 + ((u - 0.7) / 0.3) * 0.3;
}

/** Power of one run at `t` (0 outside the run). */
export function runPower(run: ApplianceRun, t: number): number {
  if (t < run.start || t >= run.end) return 0;
  const p = run.pattern;
  const since = t - run.start;
  switch (p.kind) {
    case 'steady':
      return run.watts;
    case 'duty':
      return since % p.periodMs < p.duty * p.periodMs ? run.watts : p.idleW;
    case 'rice':
      if (since < p.cookMs) return since % 60_000 < 48_000 ? run.watts : 30;
      // Keep-warm: a small heater on a thermostat.
      return since % (10 * MINUTE_MS) < 4 * MINUTE_MS ? 70 : 3;
    case 'washer':
      return washerPower(run.watts, since / (run.end - run.start), since);
  }
}

function washerPower(peak: number, frac: number, sinceMs: number): number {
  const agitate = sinceMs % 30_000 < 20_000;
  if (frac < 0.08) return 15; // fill
  if (frac < 0.45) return agitate ? peak * 0.6 : 20; // wash
  if (frac < 0.52) return 45; // drain
  if (frac < 0.72) return agitate ? peak * 0.5 : 20; // rinse
  if (frac < 0.92) return peak; // spin
  return 10;
}

/** Longest a run may last; plans of this many days back are consulted for runs still going. */
export const MAX_RUN_MS = DAY_MS;
