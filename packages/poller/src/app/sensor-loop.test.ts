import { SimClock } from '@b-route/simulator';
import { describe, expect, it } from 'vitest';
import { SensorLoop, type SensorSource } from './sensor-loop.js';
import { drive } from './testing/manual-clock.js';
import { memorySink } from './testing/memory-sink.js';

const T0 = Date.UTC(2026, 4, 20, 0, 0, 5);

function memoryLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, obj: obj as Record<string, unknown>, msg: msg ?? '' });
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } as never,
  };
}

describe('SensorLoop', () => {
  it('reads at wall-clock multiples of its interval and stamps rows with the clock', async () => {
    const clock = new SimClock({ speed: 0, start: T0 });
    const sink = memorySink();
    const source: SensorSource = {
      name: 'cpu',
      sensor: 'host',
      read: async (at) => ({
        kind: 'cpu_temperature',
        row: { sensor: 'host', time: new Date(at()), celsius: 40 },
      }),
      close: async () => undefined,
    };
    const { logger } = memoryLogger();
    const loop = new SensorLoop({ source, intervalMs: 60_000, sink, clock, logger });
    const ac = new AbortController();
    const done = loop.run(ac.signal);
    await drive(clock, 185_000);
    ac.abort();
    await done;
    expect(sink.rows.map((r) => (r.row as { time: Date }).time.getTime() - Date.UTC(2026, 4, 20))).toEqual([
      60_000, 120_000, 180_000,
    ]);
  });

  it('a failing sensor is logged and retried with doubling delays up to the cap, then recovers', async () => {
    const clock = new SimClock({ speed: 0, start: T0 });
    const sink = memorySink();
    const attempts: number[] = [];
    let failUntil = T0 + 20 * 60_000;
    let closed = 0;
    const source: SensorSource = {
      name: 'co2',
      sensor: '/dev/serial0',
      read: async (at) => {
        attempts.push(at());
        if (at() < failUntil) throw new Error('MH-Z19 did not answer');
        return {
          kind: 'co2_sample',
          row: { sensor: '/dev/serial0', time: new Date(at()), ppm: 600, temperature_c: 22 },
        };
      },
      close: async () => {
        closed++;
      },
    };
    const { logger, lines } = memoryLogger();
    const loop = new SensorLoop({
      source,
      intervalMs: 60_000,
      sink,
      clock,
      logger,
      maxBackoffMs: 8 * 60_000,
    });
    const ac = new AbortController();
    const done = loop.run(ac.signal);
    await drive(clock, 40 * 60_000, 5_000);
    ac.abort();
    await done;
    const gaps = attempts.slice(1).map((t, i) => (t - attempts[i]!) / 60_000);
    // 1, 2, 4, 8, 8 minutes while failing; back to every minute once it answers.
    expect(gaps.slice(0, 5)).toEqual([1, 2, 4, 8, 8]);
    expect(gaps.slice(-3)).toEqual([1, 1, 1]);
    expect(lines.filter((l) => l.msg === 'co2 sensor reading failed').map((l) => l.obj.failures)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(lines.some((l) => l.msg === 'co2 sensor recovered')).toBe(true);
    expect(sink.rows.length).toBeGreaterThan(5);
    expect(closed).toBe(1);
    failUntil = 0;
  });

  it('stores nothing for a reading the source skips (sensor preheating)', async () => {
    const clock = new SimClock({ speed: 0, start: T0 });
    const sink = memorySink();
    const source: SensorSource = {
      name: 'co2',
      sensor: 's',
      read: async () => null,
      close: async () => undefined,
    };
    const loop = new SensorLoop({ source, intervalMs: 10_000, sink, clock, logger: memoryLogger().logger });
    const ac = new AbortController();
    const done = loop.run(ac.signal);
    await drive(clock, 60_000);
    ac.abort();
    await done;
    expect(sink.rows).toEqual([]);
    expect(loop.stats.failures).toBe(0);
  });
});
