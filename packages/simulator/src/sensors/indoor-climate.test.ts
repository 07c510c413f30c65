import { describe, expect, it } from 'vitest';
import { indoorClimate } from './indoor-climate.js';

const DAY = 86_400_000;

describe('indoorClimate', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const at = Date.UTC(2024, 6, 10, 3);
    expect(indoorClimate({ seed: 5 })(at)).toEqual(indoorClimate({ seed: 5 })(at));
    expect(indoorClimate({ seed: 5 })(at).pressureHpa).not.toBe(indoorClimate({ seed: 6 })(at).pressureHpa);
  });

  it('stays within what a Japanese living room sees over a year', () => {
    const climate = indoorClimate({ seed: 2 });
    const start = Date.UTC(2024, 0, 1);
    for (let t = start; t < start + 365 * DAY; t += 3 * 3_600_000) {
      const s = climate(t);
      expect(s.temperatureC).toBeGreaterThan(10);
      expect(s.temperatureC).toBeLessThan(32);
      expect(s.pressureHpa).toBeGreaterThan(980);
      expect(s.pressureHpa).toBeLessThan(1035);
      expect(s.humidityPct).toBeGreaterThanOrEqual(10);
      expect(s.humidityPct).toBeLessThanOrEqual(95);
    }
  });

  it('is warmer and more humid in August than in January', () => {
    const climate = indoorClimate({ seed: 3 });
    const mean = (from: number, key: 'temperatureC' | 'humidityPct') => {
      let sum = 0;
      for (let i = 0; i < 14 * 24; i++) sum += climate(from + i * 3_600_000)[key];
      return sum / (14 * 24);
    };
    expect(
      mean(Date.UTC(2024, 7, 1), 'temperatureC') - mean(Date.UTC(2024, 0, 15), 'temperatureC'),
    ).toBeGreaterThan(3);
    expect(mean(Date.UTC(2024, 7, 1), 'humidityPct')).toBeGreaterThan(
      mean(Date.UTC(2024, 0, 15), 'humidityPct'),
    );
  });

  it('lowers station pressure with altitude (~0.12 hPa per metre near sea level)', () => {
    const at = Date.UTC(2024, 3, 1);
    const low = indoorClimate({ seed: 1, altitudeM: 0 })(at).pressureHpa;
    const high = indoorClimate({ seed: 1, altitudeM: 100 })(at).pressureHpa;
    expect(low - high).toBeGreaterThan(11);
    expect(low - high).toBeLessThan(13);
  });
});
