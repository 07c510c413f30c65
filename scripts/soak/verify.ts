/**
 * Stored rows against the simulated meter's ground truth (its `--truth` JSON lines, see
 * packages/simulator/src/meter/truth.ts). Pure functions over plain arrays.
 */
import { type HalfHourTruth, readTruthFile } from '@b-route/simulator';
import type { DeliveredPower } from './dongle-tap.js';

export interface TruthPower {
  /** When the meter computed the answer (served), epoch ms. */
  readonly time: number;
  readonly w: number;
}

export type TruthSlot = HalfHourTruth;

export interface Truth {
  readonly power: TruthPower[];
  /** One record per slot (the last written wins), sorted by slot. */
  readonly slots: TruthSlot[];
}

export async function readTruth(path: string): Promise<Truth> {
  const truth = await readTruthFile(path);
  return { power: truth.power.map(({ time, w }) => ({ time, w })), slots: truth.halfHours };
}

export interface StoredSlot {
  readonly direction: 'normal' | 'reverse';
  readonly slot: number;
  readonly kwh: number;
  readonly count: number;
  readonly source: string;
}

export interface IntervalProblem {
  readonly slot: string;
  readonly direction: 'normal' | 'reverse';
  readonly expected: { readonly count: number; readonly kwh: number };
  /** Absent when the slot was not stored at all. */
  readonly stored?: { readonly count: number; readonly kwh: number; readonly source: string };
}

export interface IntervalCheck {
  /** Slot values (slot × direction) the truth holds. */
  readonly expected: number;
  readonly present: number;
  readonly lost: IntervalProblem[];
  readonly mismatched: IntervalProblem[];
  /** Stored values by source ('history', 'fixed-time', 'poll'). */
  readonly bySource: Readonly<Record<string, number>>;
}

/** Every truth slot, both directions, must be stored with the meter's count and kWh. */
export function checkIntervals(truth: readonly TruthSlot[], stored: readonly StoredSlot[]): IntervalCheck {
  const byKey = new Map(stored.map((s) => [`${s.direction}:${s.slot}`, s]));
  const lost: IntervalProblem[] = [];
  const mismatched: IntervalProblem[] = [];
  const bySource: Record<string, number> = {};
  let present = 0;
  for (const t of truth) {
    for (const direction of ['normal', 'reverse'] as const) {
      const expected =
        direction === 'normal'
          ? { count: t.normal, kwh: t.normalKwh }
          : { count: t.reverse, kwh: t.reverseKwh };
      const s = byKey.get(`${direction}:${t.slot}`);
      const slot = new Date(t.slot).toISOString();
      if (!s) {
        lost.push({ slot, direction, expected });
        continue;
      }
      present++;
      bySource[s.source] = (bySource[s.source] ?? 0) + 1;
      // kWh is numeric(…) in the database and a double in the truth: compare to a micro-kWh.
      if (s.count !== expected.count || Math.abs(s.kwh - expected.kwh) > 1e-6) {
        mismatched.push({
          slot,
          direction,
          expected,
          stored: { count: s.count, kwh: s.kwh, source: s.source },
        });
      }
    }
  }
  return { expected: truth.length * 2, present, lost, mismatched, bySource };
}

export interface StoredPower {
  readonly time: number;
  readonly powerW: number | null;
}

export interface SampleMatch {
  /** Stored rows paired with the delivered reply they were made from. */
  readonly matched: number;
  /** Delivered but not stored. */
  readonly missing: DeliveredPower[];
  /** Stored rows that no delivered reply explains (should not exist). */
  readonly unexplained: StoredPower[];
}

/**
 * Pairs each stored row with the latest unpaired delivered reply of the same power at most
 * `windowMs` before it (the poller stamps a row once it has processed the reply; 1 s of slack
 * for clocks that tick coarsely at high speed). Both lists must be sorted by time.
 */
export function matchSamples(
  delivered: readonly DeliveredPower[],
  stored: readonly StoredPower[],
  windowMs = 120_000,
): SampleMatch {
  const used = new Uint8Array(delivered.length);
  const unexplained: StoredPower[] = [];
  let hi = 0;
  let matched = 0;
  for (const row of stored) {
    while (hi < delivered.length && delivered[hi]!.at <= row.time + 1000) hi++;
    let hit = -1;
    for (let i = hi - 1; i >= 0 && delivered[i]!.at >= row.time - windowMs; i--) {
      if (!used[i] && delivered[i]!.powerW === row.powerW) {
        hit = i;
        break;
      }
    }
    if (hit < 0) unexplained.push(row);
    else {
      used[hit] = 1;
      matched++;
    }
  }
  return { matched, missing: delivered.filter((_, i) => !used[i]), unexplained };
}
