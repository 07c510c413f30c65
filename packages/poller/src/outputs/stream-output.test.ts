import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADER } from './formats.js';
import { toRecord } from './output-record.js';
import { streamOutput } from './stream-output.js';
import { ENTRIES, METER } from './testing/records.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outputs-stream-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const records = ENTRIES.map(toRecord);
const deliverAll = async (t: ReturnType<typeof streamOutput>): Promise<void> =>
  t.deliver(records.filter((r) => t.accepts?.(r) ?? true));

describe('streamOutput', () => {
  it('writes JSON lines that jq reads: timestamp, source, kind, id and unit-suffixed values', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (b: Buffer) => {
      text += b.toString();
    });
    await deliverAll(streamOutput({ format: 'json', stream }));
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(records.length);
    expect(lines[0]).toEqual({
      timestamp: '2026-12-06T00:00:10.000Z',
      source: METER,
      kind: 'power',
      id: `${METER}/power/2026-12-06T00:00:10.000Z`,
      instant_power_w: 512,
      current_r_a: 3.2,
      current_t_a: 2.1,
    });
    expect(lines[1]).toMatchObject({ cumulative_power_kwh: 12345.6, cumulative_export_kwh: 78.9 });
  });

  it("writes CSV with the HEMS collector's leading columns and one header, even across batches", async () => {
    const file = join(dir, 'readings.csv');
    const t = streamOutput({ format: 'csv', file });
    await deliverAll(t);
    await deliverAll(t);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(`${lines[0]}\n`).toBe(CSV_HEADER);
    expect(
      lines[0]!.startsWith('timestamp,cumulative_power_kwh,instant_power_w,current_r_a,current_t_a,'),
    ).toBe(true);
    expect(lines.filter((l) => l.startsWith('timestamp,'))).toHaveLength(1);
    // power, energy, two intervals, bme280 (the scan beacon has no CSV column), twice.
    expect(lines).toHaveLength(1 + 2 * 5);
    expect(lines[1]).toBe(`2026-12-06T00:00:10.000Z,,512,3.2,2.1,,,,,,,,,${METER},power`);
    expect(lines[2]).toBe(`2026-12-06T00:00:00.000Z,12345.6,,,,78.9,,,,,,,,${METER},energy`);
  });

  it('writes YAML documents a YAML parser reads back', async () => {
    const file = join(dir, 'readings.yaml');
    await deliverAll(streamOutput({ format: 'yaml', file }));
    const text = await readFile(file, 'utf8');
    const docs = text.split(/^---\n/m).filter(Boolean);
    expect(docs).toHaveLength(records.length);
    // A minimal YAML reader for the flat documents written: `key: scalar`, scalars as JSON.
    const parsed = docs.map((d) =>
      Object.fromEntries(
        d
          .trim()
          .split('\n')
          .map((l) => {
            const i = l.indexOf(': ');
            const raw = l.slice(i + 2);
            return [l.slice(0, i), /^[a-z]+$/.test(raw) && raw !== 'null' ? raw : JSON.parse(raw)];
          }),
      ),
    );
    expect(parsed[0]).toMatchObject({
      kind: 'power',
      instant_power_w: 512,
      timestamp: '2026-12-06T00:00:10.000Z',
    });
    expect(parsed[4]).toMatchObject({ kind: 'sensor', source: 'bme280', humidity_pct: 45.5 });
  });
});
