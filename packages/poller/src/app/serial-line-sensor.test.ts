import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import { parseSensorLine, parseUnits } from '../sensors/sensor-line.js';
import { SerialLineSensor } from './serial-line-sensor.js';
import { memorySink } from './testing/memory-sink.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const SOCAT = '/usr/bin/socat';

describe('parseSensorLine', () => {
  const units = parseUnits('temp:°C, hum:%');
  it('reads name=value pairs with their units', () => {
    expect(parseSensorLine('temp=21.5 hum=40,lux:300', { format: 'pairs', units })).toEqual({
      ok: true,
      values: [
        { name: 'temp', value: 21.5, unit: '°C' },
        { name: 'hum', value: 40, unit: '%' },
        { name: 'lux', value: 300, unit: null },
      ],
    });
  });
  it('reads CSV against the configured columns, skipping "-"', () => {
    expect(
      parseSensorLine('1234, 21.5 ,40', { format: 'csv', columns: ['-', 'temp', 'hum'], units }),
    ).toEqual({
      ok: true,
      values: [
        { name: 'temp', value: 21.5, unit: '°C' },
        { name: 'hum', value: 40, unit: '%' },
      ],
    });
  });
  it.each([
    ['temp=abc', 'pairs', /not a number/],
    ['hello', 'pairs', /not name=value/],
    ['1,2', 'csv', /2 columns, expected 3/],
    ['', 'pairs', /empty/],
  ] as const)('refuses %j (%s)', (line, format, reason) => {
    const r = parseSensorLine(line, { format, columns: ['a', 'b', 'c'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SerialLineSensor over a PTY', () => {
  it.skipIf(!existsSync(SOCAT))(
    'stores each value of each line; bad lines are counted, not fatal',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pty-'));
      const ours = join(dir, 'ttyA');
      const peerPath = join(dir, 'ttyB');
      const socat: ChildProcess = spawn(
        SOCAT,
        [`pty,raw,echo=0,link=${ours}`, `pty,raw,echo=0,link=${peerPath}`],
        {
          stdio: 'ignore',
        },
      );
      try {
        await waitFor(() => existsSync(ours) && existsSync(peerPath));
        const sink = memorySink();
        const sensor = new SerialLineSensor({
          device: ours,
          baud: 115_200,
          format: 'pairs',
          units: parseUnits('temp:°C, hum:%'),
          sensor: 'arduino',
          sink,
          clock: systemClock,
          logger: quiet,
          retryMs: 100,
        });
        sensor.start();
        await waitFor(() => sensor.stats.opens === 1);
        // The peer: an Arduino printing a line now and then, one split across two writes.
        const peer = await open(peerPath, 'w');
        await peer.write('temp=21.5 hum=40\r\n');
        await peer.write('garbage!\r\ntemp=2');
        await new Promise((r) => setTimeout(r, 50));
        await peer.write('2.0 hum=41\r\n');
        await waitFor(() => sensor.stats.lines === 3);
        await peer.close();
        await sensor.stop();
        expect(sensor.stats).toMatchObject({ lines: 3, values: 4, badLines: 1 });
        expect(sink.rows.map((r) => r.row)).toEqual([
          expect.objectContaining({ sensor: 'arduino', name: 'temp', value: 21.5, unit: '°C' }),
          expect.objectContaining({ name: 'hum', value: 40, unit: '%' }),
          expect.objectContaining({ name: 'temp', value: 22, unit: '°C' }),
          expect.objectContaining({ name: 'hum', value: 41 }),
        ]);
        expect(sink.rows.every((r) => r.kind === 'extra.sensor_reading')).toBe(true);
      } finally {
        socat.kill();
      }
    },
  );

  it('keeps trying a device that is not there, and stops when asked', async () => {
    const sensor = new SerialLineSensor({
      device: '/nonexistent/tty',
      format: 'pairs',
      sink: memorySink(),
      clock: systemClock,
      logger: quiet,
      retryMs: 10,
      open: async () => {
        throw new Error('ENOENT');
      },
    });
    sensor.start();
    await new Promise((r) => setTimeout(r, 60));
    await sensor.stop();
    expect(sensor.stats.opens).toBe(0);
  });
});
