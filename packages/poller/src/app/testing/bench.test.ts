import { describe, expect, it } from 'vitest';
import { benchPoller } from './bench.js';

// The figures depend on the machine's load (an accelerated clock skips a boundary whose answer
// came late), so only what load cannot change is asserted here; exact frame and poll counts are
// asserted on a manual clock in meter-poller.test.ts.
describe('benchPoller', () => {
  it('reports CPU, memory, frames and polls per simulated hour', async () => {
    const results = await benchPoller({ simulatedHours: 2 });
    const value = (name: string) => results.find((r) => r.name === name)!.value;
    expect(value('poller.cpu_per_simulated_hour')).toBeGreaterThan(0);
    expect(value('poller.peak_rss')).toBeGreaterThan(10);
    expect(value('poller.polls_per_simulated_hour')).toBeGreaterThan(0);
    // A 30 s schedule has 120 boundaries an hour: a loaded machine can lose polls, never add them.
    expect(value('poller.polls_per_simulated_hour')).toBeLessThanOrEqual(120.5);
    expect(value('poller.frames_per_simulated_hour')).toBeGreaterThan(0);
  });
});
