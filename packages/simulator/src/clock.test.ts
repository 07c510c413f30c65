import { describe, expect, it } from 'vitest';
import { type RealTimers, SimClock } from './clock.js';

/** A hand-driven real world: real time moves only when the test says so. */
class FakeReal implements RealTimers {
  t = 1_000_000;
  timers: { fn: () => void; at: number; id: number }[] = [];
  #id = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#id;
    this.timers.push({ fn, at: this.t + ms, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  /** Move real time to `t`, firing due real timers in order. */
  runTo(t: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > t) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = t;
  }
}

const START = Date.UTC(2026, 4, 20, 5, 0, 0);

describe('SimClock (manual)', () => {
  it('starts at the given time and stands still until advanced', () => {
    const clock = new SimClock({ start: new Date(START), speed: 0 });
    expect(clock.now()).toBe(START);
    clock.advance(1234);
    expect(clock.now()).toBe(START + 1234);
  });

  it('fires timers in due order, ties in creation order, each seeing its due time', () => {
    const clock = new SimClock({ start: START, speed: 0 });
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now() - START}`), 2000);
    clock.setTimeout(() => log.push(`a@${clock.now() - START}`), 1000);
    clock.setTimeout(() => log.push(`c@${clock.now() - START}`), 2000);
    clock.advance(1999);
    expect(log).toEqual(['a@1000']);
    clock.advance(1);
    expect(log).toEqual(['a@1000', 'b@2000', 'c@2000']);
  });

  it('repeats intervals and passes the due time; clearInterval stops them', () => {
    const clock = new SimClock({ start: START, speed: 0 });
    const seen: number[] = [];
    const t = clock.setInterval((due) => seen.push(due - START), 30 * 60_000);
    clock.advance(2 * 3600_000);
    expect(seen).toEqual([1, 2, 3, 4].map((i) => i * 30 * 60_000));
    clock.clearInterval(t);
    clock.advance(3600_000);
    expect(seen).toHaveLength(4);
  });

  it('fires timers created by a callback within the same advance when they fall inside it', () => {
    const clock = new SimClock({ start: START, speed: 0 });
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now() - START);
      clock.setTimeout(() => seen.push(clock.now() - START), 500);
    }, 1000);
    clock.advance(2000);
    expect(seen).toEqual([1000, 1500]);
  });

  it('sleep resolves in simulated time', async () => {
    const clock = new SimClock({ start: START, speed: 0 });
    let done = false;
    const p = clock.sleep(10_000).then(() => {
      done = true;
    });
    clock.advance(9_999);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await p;
    expect(done).toBe(true);
  });
});

describe('SimClock (accelerated)', () => {
  it('runs speed × real time and fires a 30-minute timer after 3 real seconds at speed 600', () => {
    const real = new FakeReal();
    const clock = new SimClock({ start: START, speed: 600, real });
    const fired: number[] = [];
    clock.setTimeout((due) => fired.push(due), 30 * 60_000);
    expect(real.timers.map((t) => t.at - real.t)).toEqual([3000]);
    real.runTo(real.t + 2999);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(START + 2999 * 600);
    real.runTo(real.t + 1);
    expect(fired).toEqual([START + 30 * 60_000]);
  });

  it('keeps the simulated time continuous across a speed change', () => {
    const real = new FakeReal();
    const clock = new SimClock({ start: START, speed: 10, real });
    real.runTo(real.t + 1000);
    expect(clock.now()).toBe(START + 10_000);
    clock.setSpeed(0);
    real.runTo(real.t + 5000);
    expect(clock.now()).toBe(START + 10_000);
    clock.setSpeed(2);
    real.runTo(real.t + 500);
    expect(clock.now()).toBe(START + 11_000);
  });

  it('advance() jumps ahead in accelerated mode too and re-arms the real timer', () => {
    const real = new FakeReal();
    const clock = new SimClock({ start: START, speed: 100, real });
    const fired: number[] = [];
    clock.setTimeout((due) => fired.push(due - START), 60_000);
    clock.setTimeout((due) => fired.push(due - START), 120_000);
    clock.advance(90_000);
    expect(fired).toEqual([60_000]);
    expect(real.timers.map((t) => t.at - real.t)).toEqual([300]);
    clock.dispose();
    expect(real.timers).toEqual([]);
  });
});
