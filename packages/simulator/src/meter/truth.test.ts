import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendFileTruthWriter, readTruthFile, TruthRecorder } from './truth.js';

const T = Date.UTC(2026, 4, 20, 5, 0, 0); // 14:00 JST

describe('TruthRecorder', () => {
  it('writes power samples and half-hour counts as JSON lines', () => {
    const lines: string[] = [];
    const truth = new TruthRecorder((l) => lines.push(l));
    truth.power({ time: T + 10_000, powerW: -812, currentR: -4.3, currentT: -3.9 });
    truth.halfHour({ slot: T, normal: 65128, reverse: 12, normalKwh: 6512.8, reverseKwh: 1.2 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        type: 'power',
        time: '2026-05-20T05:00:10.000Z',
        jst: '2026-05-20T14:00:10+09:00',
        w: -812,
        r: -4.3,
        t: -3.9,
      },
      {
        type: 'half-hour',
        slot: '2026-05-20T05:00:00.000Z',
        jst: '2026-05-20T14:00:00+09:00',
        normal: 65128,
        reverse: 12,
        normalKwh: 6512.8,
        reverseKwh: 1.2,
      },
    ]);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('appends to a file, keeping what was there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'truth-'));
    try {
      const path = join(dir, 'truth.jsonl');
      for (const w of [100, 200]) {
        const file = appendFileTruthWriter(path);
        new TruthRecorder(file.write).power({ time: T, powerW: w, currentR: 1, currentT: null });
        await file.close();
      }
      const rows = (await readFile(path, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows.map((r) => [r.w, r.t])).toEqual([
        [100, null],
        [200, null],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('readTruthFile', () => {
  it('reads back what the recorder wrote: power by time, one record per slot (the last wins)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'truth-read-'));
    try {
      const file = join(dir, 'truth.jsonl');
      const writer = appendFileTruthWriter(file);
      const truth = new TruthRecorder(writer.write);
      truth.power({ time: T + 40_000, powerW: 300, currentR: 3, currentT: null });
      truth.power({ time: T + 10_000, powerW: -812, currentR: -4.3, currentT: -3.9 });
      truth.halfHour({ slot: T + 1_800_000, normal: 65130, reverse: 12, normalKwh: 6513, reverseKwh: 1.2 });
      truth.halfHour({ slot: T, normal: 65127, reverse: 12, normalKwh: 6512.7, reverseKwh: 1.2 });
      truth.halfHour({ slot: T, normal: 65128, reverse: 12, normalKwh: 6512.8, reverseKwh: 1.2 });
      await writer.close();
      expect(await readTruthFile(file)).toEqual({
        power: [
          { time: T + 10_000, w: -812, r: -4.3, t: -3.9 },
          { time: T + 40_000, w: 300, r: 3, t: null },
        ],
        halfHours: [
          { slot: T, normal: 65128, reverse: 12, normalKwh: 6512.8, reverseKwh: 1.2 },
          { slot: T + 1_800_000, normal: 65130, reverse: 12, normalKwh: 6513, reverseKwh: 1.2 },
        ],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
