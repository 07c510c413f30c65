import { seededRandom } from '@b-route/core';
import { decodeFrame } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import { corruptFrame, Faults } from './faults.js';

// Get_Res E7 = 632 W (real-traffic.txt)
const FRAME = Uint8Array.from(Buffer.from('1081000102880105FF017201E70400000278', 'hex'));

describe('Faults', () => {
  it('repeats the same decisions for the same seed', () => {
    const a = new Faults('drop=0.5', 42);
    const b = new Faults({ drop: 0.5 }, 42);
    const runA = Array.from({ length: 32 }, () => a.dropReply());
    const runB = Array.from({ length: 32 }, () => b.dropReply());
    expect(runA).toEqual(runB);
    expect(runA.some((x) => x)).toBe(true);
    expect(runA.some((x) => !x)).toBe(true);
  });

  it('never fires a switch that is off and always fires one at 1', () => {
    const f = new Faults({}, 1);
    expect(Array.from({ length: 50 }, () => f.failEr10()).some((x) => x)).toBe(false);
    f.set({ failEr10: 1 });
    expect(Array.from({ length: 50 }, () => f.failEr10()).every((x) => x)).toBe(true);
    f.set('delay=100-200');
    for (let i = 0; i < 20; i++) {
      const d = f.extraDelayMs();
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
  });

  it('corrupts frames so that the echonet decoder rejects every one', () => {
    expect(() => decodeFrame(FRAME)).not.toThrow();
    const r = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const bad = corruptFrame(FRAME, r);
      expect(() => decodeFrame(bad), Buffer.from(bad).toString('hex')).toThrow();
    }
  });

  it('keeps the meter unreachable until the given time', () => {
    const f = new Faults();
    f.setUnreachableUntil(1000);
    expect(f.meterUnreachable(999)).toBe(true);
    expect(f.meterUnreachable(1000)).toBe(false);
  });
});
