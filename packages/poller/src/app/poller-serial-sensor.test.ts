import { EventEmitter } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@b-route/echonet';
import { createTestDatabase } from '@b-route/store/testing';
import { describe, expect, it } from 'vitest';
import { createPoller } from './create-poller.js';
import type { LineDevice } from './serial-line-sensor.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as never;

describe('createPoller with a serial sensor ([serial])', () => {
  it('stores each value of each line in extra.sensor_reading', async () => {
    const t = await createTestDatabase();
    const device = Object.assign(new EventEmitter(), { destroy: () => device.emit('close') });
    try {
      const app = await createPoller({
        clock: systemClock,
        logger: quiet,
        store: { target: { url: t.url }, spool: { dir: await mkdtemp(join(tmpdir(), 'spool-')) } },
        lineSensors: [
          {
            device: '/dev/ttyUSB9',
            format: 'csv',
            columns: ['temp', 'hum'],
            units: new Map([['temp', '°C']]),
            open: async () => device as unknown as LineDevice,
          },
        ],
      });
      app.start();
      await new Promise((r) => setTimeout(r, 50));
      device.emit('data', Buffer.from('21.5,40\nnot,a,line\n22,41\n'));
      await app.stop();
      expect(app.lineSensors[0]!.stats).toMatchObject({ lines: 3, values: 4, badLines: 1 });
      const { rows } = await t.pool.query(
        'SELECT sensor, name, value, unit FROM extra.sensor_reading ORDER BY time, name',
      );
      expect(rows).toEqual([
        { sensor: '/dev/ttyUSB9', name: 'hum', value: 40, unit: null },
        { sensor: '/dev/ttyUSB9', name: 'temp', value: 21.5, unit: '°C' },
        { sensor: '/dev/ttyUSB9', name: 'hum', value: 41, unit: null },
        { sensor: '/dev/ttyUSB9', name: 'temp', value: 22, unit: '°C' },
      ]);
    } finally {
      await t.close();
    }
  });
});
