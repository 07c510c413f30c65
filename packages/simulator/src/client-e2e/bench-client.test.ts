import { describe, expect, it } from 'vitest';
import { benchClient } from './bench-client.js';

describe('benchClient', () => {
  it('reports cold and warm first readings, one frame per poll and a sustained rate', async () => {
    const results = await benchClient({ polls: 5, sustainMinutes: 2 });
    const value = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!.value;
    expect(results.map((r) => r.unit)).toEqual(['s', 's', 'frames', 'readings/min', 'frames/min']);
    expect(value('client.first-reading.warm-start')).toBeLessThan(value('client.first-reading.cold-start'));
    expect(value('client.frames-per-poll')).toBe(1);
    expect(value('client.readings-per-minute')).toBeCloseTo(4 * value('client.frames-per-minute'), 0);
    // At most one frame per second leaves the client.
    expect(value('client.frames-per-minute')).toBeLessThanOrEqual(60);
  });
});
