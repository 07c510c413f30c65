import { describe, expect, it } from 'vitest';
import { benchPoller } from './bench.js';

describe('benchPoller', () => {
  it('reports per simulated hour; everything due at one boundary travels in one frame (120 frames an hour at 30 s)', async () => {
    const results = await benchPoller({ simulatedHours: 2 });
    const value = (name: string) => results.find((r) => r.name === name)!.value;
    expect(results.map((r) => r.name)).toContain('poller.cpu_per_simulated_hour');
    expect(value('poller.cpu_per_simulated_hour')).toBeGreaterThan(0);
    expect(value('poller.peak_rss')).toBeGreaterThan(10);
    // E7+E8 every 30 s; E0+E3 and D3/D7/E1 ride in the same frames when due at the same boundary.
    expect(value('poller.frames_per_simulated_hour')).toBeGreaterThanOrEqual(119);
    expect(value('poller.frames_per_simulated_hour')).toBeLessThanOrEqual(121);
  });
});
