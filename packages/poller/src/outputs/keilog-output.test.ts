import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keilogOutput } from './keilog-output.js';
import { toRecord } from './output-record.js';
import { METER } from './testing/records.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outputs-keilog-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const power = (iso: string, w: number, r: number, t: number) =>
  toRecord({
    kind: 'power_sample',
    row: { meter: METER, time: new Date(iso), power_w: w, current_r_a: r, current_t_a: t },
  });

describe('keilogOutput', () => {
  it("writes keilog's daily raw lines and 10-minute averages in JST, split at JST midnight", async () => {
    const out = keilogOutput({ dir, name: 'home' });
    // 14:55 and 14:59 UTC are 23:55 and 23:59 JST on 12/06; 15:01 UTC is 00:01 JST on 12/07.
    await out.deliver([
      power('2026-12-06T14:55:05Z', 300, 3, 1),
      power('2026-12-06T14:59:35Z', 500, 5, 2),
      toRecord({
        kind: 'energy_reading',
        row: {
          meter: METER,
          time: new Date('2026-12-06T14:59:40Z'),
          normal_kwh: 1234.5,
          reverse_kwh: null,
          normal_count: 12345,
          reverse_count: null,
          coefficient: 1,
          unit_kwh: 0.1,
        },
      }),
    ]);
    await out.deliver([power('2026-12-06T15:01:00Z', 1000, 10, 0)]);
    await out.close?.();
    expect((await readdir(dir)).sort()).toEqual([
      '20261206-home.txt',
      '20261207-home.txt',
      'sum20261206-home.txt',
      'sum20261207-home.txt',
    ]);
    expect(await readFile(join(dir, '20261206-home.txt'), 'utf8')).toBe(
      [
        '2026/12/06 23:55:05,BR,E7,300,x',
        '2026/12/06 23:55:05,BR,E8,3/1,x',
        '2026/12/06 23:59:35,BR,E7,500,x',
        '2026/12/06 23:59:35,BR,E8,5/2,x',
        '2026/12/06 23:59:40,BR,E0,1234.5,x',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(dir, 'sum20261206-home.txt'), 'utf8')).toBe(
      [
        '2026/12/06 23:50,BR,E7,400',
        '2026/12/06 23:50,BR,E8,4/1.5',
        '2026/12/06 23:50,BR,E0,1234.5',
        '',
      ].join('\n'),
    );
    expect(await readFile(join(dir, 'sum20261207-home.txt'), 'utf8')).toBe(
      ['2026/12/07 00:00,BR,E7,1000', '2026/12/07 00:00,BR,E8,10/0', ''].join('\n'),
    );
  });
});
