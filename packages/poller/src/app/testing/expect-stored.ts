/**
 * A vitest assertion over stored power samples, apart from the rig so that the rig (exported from
 * `@b-route/poller/testing` for the benchmark too) loads without vitest.
 */

import { expect } from 'vitest';
import type { PowerTruth } from './rig.js';

/**
 * Every answer the meter served was stored, once, at the time it arrived, with the values
 * served: the samples served between two stored rows are those of one answer. The meter records
 * E7 and E8 at the instant each is encoded, which on an accelerated clock can be a few simulated
 * seconds apart, but never a whole 30 s cycle. Rows whose interval overlaps `skip` (a restart,
 * when an answer in flight is dropped with the session) are not judged.
 */
export function expectEveryAnswerStored(
  rows: ReadonlyArray<{
    time: Date;
    power_w: number | null;
    current_r_a: number | null;
    current_t_a: number | null;
  }>,
  served: readonly PowerTruth[],
  skip?: readonly [number, number],
): void {
  let previous = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const t = row.time.getTime();
    const between = served.filter((p) => p.time > previous && p.time <= t);
    const judged = !skip || previous > skip[1] || t < skip[0];
    previous = t;
    if (!judged) continue;
    const at = row.time.toISOString();
    expect(between.length, `a sample served before the row at ${at}`).toBeGreaterThan(0);
    expect(between.at(-1)!.time - between[0]!.time, `one answer only before ${at}`).toBeLessThan(15_000);
    expect(
      between.map((s) => s.w),
      `power at ${at}`,
    ).toContain(row.power_w);
    expect(
      between.map((s) => `${s.r}/${s.t}`),
      `currents at ${at}`,
    ).toContain(`${row.current_r_a}/${row.current_t_a}`);
  }
}
