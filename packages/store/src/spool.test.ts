import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreLogger } from './logger.js';
import { encodeEntry, type StoreEntry } from './rows.js';
import { Spool } from './spool.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spool-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const sample = (i: number): StoreEntry => ({
  kind: 'power_sample',
  row: {
    meter: 'M',
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    power_w: i,
    current_r_a: 1.5,
    current_t_a: null,
  },
});

async function drain(spool: Spool, batchSize = 500): Promise<StoreEntry[]> {
  const out: StoreEntry[] = [];
  const outcome = await spool.replay(async (batch) => {
    out.push(...batch);
  }, batchSize);
  expect(outcome.error).toBeUndefined();
  return out;
}

function capture(): { logger: StoreLogger; records: { level: string; obj: unknown; msg: string }[] } {
  const records: { level: string; obj: unknown; msg: string }[] = [];
  const at =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      records.push({ level, obj, msg: msg ?? '' });
    };
  return {
    records,
    logger: {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
    } as unknown as StoreLogger,
  };
}

describe('Spool', () => {
  it('gives back what was appended, in order, across segments, with Dates restored, then is empty', async () => {
    const spool = await Spool.open({ dir, segmentBytes: 600 });
    for (let i = 0; i < 30; i += 3) await spool.append([sample(i), sample(i + 1), sample(i + 2)]);
    expect(spool.pendingRows).toBe(30);
    expect((await readdir(dir)).filter((f) => f.endsWith('.jsonl')).length).toBeGreaterThan(2);

    const out = await drain(spool, 7);
    expect(out).toEqual(Array.from({ length: 30 }, (_, i) => sample(i)));
    expect((out[0]!.row as { time: unknown }).time).toBeInstanceOf(Date);
    expect(spool.pendingRows).toBe(0);
    expect(await readdir(dir)).toEqual([]);

    await spool.append([sample(99)]);
    expect(await drain(spool)).toEqual([sample(99)]);
    await spool.close();
  });

  it('keeps the batch a handler rejected, and a reopened spool resumes after the last good batch', async () => {
    const spool = await Spool.open({ dir });
    await spool.append(Array.from({ length: 10 }, (_, i) => sample(i)));
    const seen: number[] = [];
    const outcome = await spool.replay(async (batch) => {
      if (seen.length >= 4) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      seen.push(...batch.map((e) => (e.row as { power_w: number }).power_w));
    }, 4);
    expect(outcome.rows).toBe(4);
    expect((outcome.error as { code: string }).code).toBe('ECONNREFUSED');
    expect(spool.pendingRows).toBe(6);
    await spool.close();

    const reopened = await Spool.open({ dir });
    expect(reopened.pendingRows).toBe(6);
    expect(await drain(reopened)).toEqual(Array.from({ length: 6 }, (_, i) => sample(i + 4)));
    await reopened.close();
  });

  it('ignores a line torn by a crash and never appends after it', async () => {
    const lines = [sample(1), sample(2)].map(encodeEntry).join('\n');
    await writeFile(
      join(dir, 'spool-000000000007.jsonl'),
      `${lines}\n${encodeEntry(sample(3)).slice(0, 25)}`,
    );
    const spool = await Spool.open({ dir });
    expect(spool.pendingRows).toBe(2);
    await spool.append([sample(4)]);
    expect((await readdir(dir)).sort()).toEqual(['spool-000000000007.jsonl', 'spool-000000000008.jsonl']);
    expect(await drain(spool)).toEqual([sample(1), sample(2), sample(4)]);
    expect(spool.skippedLines).toBe(0);
    await spool.close();
  });

  it('skips and counts a corrupt line in the middle', async () => {
    const { logger, records } = capture();
    const text = [
      encodeEntry(sample(1)),
      '{"k":"power_sample","r":{"meter":"M"',
      'garbage',
      encodeEntry(sample(2)),
    ].join('\n');
    await writeFile(join(dir, 'spool-000000000001.jsonl'), `${text}\n`);
    const spool = await Spool.open({ dir, logger });
    expect(await drain(spool)).toEqual([sample(1), sample(2)]);
    expect(spool.skippedLines).toBe(2);
    expect(records.some((r) => r.level === 'warn' && (r.obj as { skipped: number }).skipped === 2)).toBe(
      true,
    );
  });

  it('when full, drops the oldest rows, says how many, and keeps the newest', async () => {
    const { logger, records } = capture();
    const one = Buffer.byteLength(`${encodeEntry(sample(0))}\n`);
    const spool = await Spool.open({ dir, maxBytes: one * 40, segmentBytes: one * 10, logger });
    for (let i = 0; i < 100; i += 5) await spool.append([0, 1, 2, 3, 4].map((k) => sample(i + k)));
    expect(spool.bytes).toBeLessThanOrEqual(one * 40);
    expect(spool.droppedRows + spool.pendingRows).toBe(100);
    expect(spool.droppedRows).toBeGreaterThan(0);
    const dropped = records
      .filter((r) => r.level === 'error')
      .map((r) => (r.obj as { dropped: number }).dropped);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(spool.droppedRows);

    const out = await drain(spool);
    expect(out).toEqual(Array.from({ length: out.length }, (_, k) => sample(100 - out.length + k)));
    await spool.close();
  });

  it('counts a partially replayed oldest segment correctly when it is dropped', async () => {
    const one = Buffer.byteLength(`${encodeEntry(sample(0))}\n`);
    // Lines of rows ≥ 10 are a byte longer than `one`: room for two and a half segments.
    const spool = await Spool.open({ dir, maxBytes: one * 25, segmentBytes: one * 10 });
    await spool.append(Array.from({ length: 10 }, (_, i) => sample(i)));
    let first = true;
    await spool.replay(async () => {
      if (!first) throw new Error('down');
      first = false;
    }, 4);
    expect(spool.pendingRows).toBe(6);
    await spool.append(Array.from({ length: 10 }, (_, i) => sample(10 + i)));
    await spool.append(Array.from({ length: 10 }, (_, i) => sample(20 + i)));
    expect(spool.droppedRows).toBe(6);
    expect((await drain(spool)).map((e) => (e.row as { power_w: number }).power_w)).toEqual(
      Array.from({ length: 20 }, (_, i) => 10 + i),
    );
    await spool.close();
  });

  it('writes one JSON object per line', async () => {
    const spool = await Spool.open({ dir });
    await spool.append([sample(1), { kind: 'meter', row: { meter: 'M', seen: new Date(0), serial: 'S1' } }]);
    await spool.close();
    const [file] = await readdir(dir);
    const text = await readFile(join(dir, file!), 'utf8');
    expect(text.split('\n')).toEqual([
      '{"k":"power_sample","r":{"meter":"M","time":"2025-01-01T00:00:01.000Z","power_w":1,"current_r_a":1.5,"current_t_a":null}}',
      '{"k":"meter","r":{"meter":"M","seen":"1970-01-01T00:00:00.000Z","serial":"S1"}}',
      '',
    ]);
  });
});
