/**
 * One simulated day of the soak in the test run: the real poller, simulator, spool and
 * PostgreSQL (a fresh database on the shared test server) through every fault.
 */

import { createTestDatabase } from '@b-route/store/testing';
import { describe, expect, it } from 'vitest';
import { SOAK_EVENT_KINDS } from './soak/fault-plan.js';
import { runSoak } from './soak/run-soak.js';

describe('soak, one simulated day with every fault', () => {
  it('loses no half hour, stores every sample that reached the host, and nothing crashes', async () => {
    const report = await runSoak({ days: 1, speed: 2880, seed: 3, database: () => createTestDatabase() });

    expect(report.failures).toEqual([]);
    expect(report.crashes).toEqual({ count: 0, messages: [] });
    // Every timed fault happened …
    expect(new Set(report.events.map((e) => e.kind))).toEqual(new Set(SOAK_EVENT_KINDS));
    // … and so did the continuous ones.
    expect(report.faults.repliesDropped).toBeGreaterThan(0);
    expect(report.faults.corruptReplies).toBeGreaterThan(0);
    expect(report.faults.duplicateReplies).toBeGreaterThan(0);
    expect(report.faults.failEr10).toBeGreaterThan(0);
    expect(report.faults.dongleReboots).toBeGreaterThan(0);
    expect(report.faults.sessionStates.recovering).toBeGreaterThan(0);
    expect(report.poller.rowsSpooled).toBeGreaterThan(0);
    expect(report.poller.stalledConnectionsCut).toBeGreaterThan(0);
    expect(report.poller.spoolFailures).toBeGreaterThan(0);
    expect(report.poller.runs).toBe(3); // the restart, and the stop on a silent database

    // Half hours: the day (48 slots, both directions) and the meter's 44 earlier days.
    expect(report.intervals.window).toBeGreaterThanOrEqual(96);
    expect(report.intervals.history).toBeGreaterThanOrEqual(44 * 48 * 2);
    expect(report.intervals.lost).toBe(0);
    expect(report.intervals.mismatched).toBe(0);
    expect(report.intervals.restartGap).toBeGreaterThanOrEqual(10);
    expect(report.intervals.restartGapFromHistory).toBe(report.intervals.restartGap);

    // Samples: expected = served − what never reached the host intact or came with no poller.
    const s = report.samples;
    expect(s.expected).toBe(s.served - s.lostOnTheWay - s.secondAnswers - s.withoutPoller);
    expect(s.unobtainable).toBe(s.served - s.expected);
    expect(s.lostOnTheWay).toBeGreaterThan(0);
    expect(s.stored).toBeGreaterThanOrEqual(s.expected);
    expect(s.missing).toBe(0);
    expect(s.unexplained).toBe(0);
    // A day of 30-second polls, less the three hours of restart and three out of reach.
    expect(s.stored).toBeGreaterThan(1000);

    // Outputs: every stored sample reached MQTT (through a broker outage) and the file, and
    // Prometheus showed the last one.
    const outputs = report.outputs!;
    console.log(
      outputs.deliveries
        .map((d) => `${d.output}: ${d.read} stored → ${d.delivered} delivered, ${d.duplicates} twice`)
        .join('; '),
    );
    expect(outputs.deliveries.map((d) => [d.output, d.lost])).toEqual(
      outputs.skipped.length > 0
        ? [
            ['file', 0],
            ['prometheus', 0],
          ]
        : [
            ['mqtt', 0],
            ['file', 0],
            ['prometheus', 0],
          ],
    );
    for (const d of outputs.deliveries) expect(d.delivered).toBe(d.read);
    if (outputs.skipped.length === 0) {
      expect(outputs.brokerOutages).toHaveLength(1);
      // Readings did flow while the broker was away: two hours of 30-second polls.
      expect(outputs.storedDuringOutages).toBeGreaterThan(100);
    }
  }, 120_000);
});
