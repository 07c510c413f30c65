/**
 * keilog-style requests against the simulated installation on a manual clock: one frame per
 * boundary for every group due together, and properties without a table of their own stored in
 * extra.meter_property (and in the real database).
 */

import { StoreWriter } from '@b-route/store';
import { createTestDatabase } from '@b-route/store/testing';
import { describe, expect, it } from 'vitest';
import { parseRequests } from '../schedule/requests.js';
import { MeterIdentity } from './meter-identity.js';
import { MeterPoller } from './meter-poller.js';
import { createSimulation } from './simulate.js';
import { drive } from './testing/manual-clock.js';
import { memorySink } from './testing/memory-sink.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('MeterPoller with keilog requests', () => {
  it('D3,D7,E1 @ 3600; E7 @ 10; E0,E3 @ 300: one frame per boundary, E1 stored', async () => {
    const sim = createSimulation({ speed: 0, start: Date.UTC(2026, 4, 20, 0, 10, 5) });
    const { clock, client } = sim;
    const step = (ms: number, until?: () => boolean) => drive(clock, ms, 250, until);
    try {
      let opened = false;
      client.open().then(() => {
        opened = true;
      });
      await step(10 * 60_000, () => opened);
      const sink = memorySink();
      const poller = new MeterPoller({
        client,
        identity: new MeterIdentity(),
        sink,
        clock,
        logger: quiet,
        schedule: parseRequests('D3,D7,E1 @ 3600; E7 @ 10; E0,E3 @ 300'),
        pollAtStart: false,
      });
      const ac = new AbortController();
      const done = poller.run(ac.signal);
      await step(Date.UTC(2026, 4, 20, 0, 29, 59) - clock.now());
      const frames0 = client.stats.framesSent;
      const polls0 = poller.stats.polls;
      await step(3600_000);
      const frames = client.stats.framesSent - frames0;
      const polls = poller.stats.polls - polls0;
      ac.abort();
      await step(1000);
      await done;
      expect(poller.stats.failures).toBe(0);
      // 360 boundaries of 10 s in an hour; E0/E3 and D3/D7/E1 ride along.
      expect(polls).toBe(360);
      expect(frames).toBe(360);
      const props = sink.rows.filter((r) => r.kind === 'extra.meter_property');
      expect(new Set(props.map((r) => (r.row as { epc: number }).epc))).toEqual(new Set([0xd3, 0xd7, 0xe1]));
      const e1 = props.find((r) => (r.row as { epc: number }).epc === 0xe1)!.row as {
        edt: string;
        value: string;
      };
      expect(e1.edt).toMatch(/^[0-9A-F]{2}$/);
      expect(JSON.parse(e1.value)).toHaveProperty('kwh');

      // The rows go into the real table through the writer.
      const t = await createTestDatabase();
      try {
        const writer = new StoreWriter({ db: t.db });
        for (const r of props) writer.add('extra.meter_property', r.row as never);
        await writer.close();
        const { rows } = await t.pool.query('SELECT epc, value FROM extra.meter_property ORDER BY epc');
        expect(rows.map((r) => r.epc)).toEqual([0xd3, 0xd7, 0xe1]);
        expect(rows[2].value).toHaveProperty('kwh');
      } finally {
        await t.close();
      }
    } finally {
      clock.setSpeed(100);
      await sim.close();
    }
  });
});
