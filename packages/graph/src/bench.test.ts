import { describe, expect, it } from 'vitest';
import { benchGraph } from './bench.js';

describe('benchGraph', () => {
  it('seeds a scratch database and reports query and render figures for a day, a month and a year', async () => {
    // Three days keep the test short; the figures are shaped the same as for 365.
    const results = await benchGraph({ days: 3, runs: 1 });
    const byName = new Map(results.map((r) => [r.name, r]));
    expect(byName.get('graph.seed.rows')!.value).toBe(3 * 8640 + 3 * 288 + 2 * (3 * 48 + 1) + 3 * 1440);
    for (const range of ['day', 'month', 'year']) {
      for (const chart of ['power', 'temp']) {
        for (const part of ['query', 'render', 'total']) {
          const r = byName.get(`graph.${chart}.${range}.${part}`);
          expect(r, `graph.${chart}.${range}.${part}`).toBeDefined();
          expect(r!.unit).toBe('ms');
          expect(r!.value).toBeGreaterThan(0);
        }
      }
    }
    expect(byName.get('graph.power.day.points')!.value).toBe(8640);
    expect(results.every((r) => Number.isFinite(r.value) && r.name.startsWith('graph.'))).toBe(true);
  });
});
