/**
 * The polling loop against the in-process simulated installation on a MANUAL clock: simulated
 * time moves only when the test advances it, so frame and poll counts are exact, whatever the
 * load on the machine.
 */
import { describe, expect, it } from 'vitest';
import { MeterIdentity } from './meter-identity.js';
import { MeterPoller } from './meter-poller.js';
import { createSimulation } from './simulate.js';
import { drive } from './testing/manual-clock.js';
import { memorySink } from './testing/memory-sink.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('MeterPoller on a manual clock', () => {
  it('asks everything due at one boundary in one frame: 120 frames and 120 polls in an hour at 30 s', async () => {
    // 00:10:05 UTC = 09:10:05 JST: the hour measured below starts at 09:20 and ends before 10:20.
    const sim = createSimulation({ speed: 0, start: Date.UTC(2026, 4, 20, 0, 10, 5) });
    const { clock, client } = sim;
    const step = (ms: number, until?: () => boolean) => drive(clock, ms, 250, until);
    try {
      let opened = false;
      client.open().then(() => {
        opened = true;
      });
      await step(10 * 60_000, () => opened);
      expect(opened).toBe(true);

      const sink = memorySink();
      const poller = new MeterPoller({ client, identity: new MeterIdentity(), sink, clock, logger: quiet });
      const ac = new AbortController();
      const done = poller.run(ac.signal);
      // Settle into the schedule, then count one simulated hour from a boundary on.
      await step(Date.UTC(2026, 4, 20, 0, 19, 59) - clock.now());
      const frames0 = client.stats.framesSent;
      const polls0 = poller.stats.polls;
      const rows0 = sink.rows.length;
      await step(3600_000);
      const frames = client.stats.framesSent - frames0;
      const polls = poller.stats.polls - polls0;
      const kinds = new Set(sink.rows.slice(rows0).map((r) => r.kind));
      ac.abort();
      await step(1000);
      await done;

      expect(poller.stats.failures).toBe(0);
      expect(polls).toBe(120);
      // The 5-minute E0+E3 and the hourly D3/D7/E1 ride in the 30 s frames, never in their own.
      // INFC_Res frames (answers to the meter's INFC) would count here too; the simulated meter sends INF.
      expect(frames).toBe(120);
      expect(kinds).toContain('power_sample');
      expect(kinds).toContain('energy_reading');
    } finally {
      // Closing ends the session (SKTERM), whose answer needs simulated time to move by itself.
      clock.setSpeed(100);
      await sim.close();
    }
  });
});
