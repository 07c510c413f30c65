/**
 * `/metrics` and `/healthz` read by a plain HTTP client, then scraped by a real Prometheus
 * (Debian's `prometheus`, installed by scripts/setup.sh; skipped with a message where missing).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../app/testing/rig.js';
import { OutputHub } from './output-hub.js';
import { PrometheusExporter } from './prometheus-exporter.js';
import { freePort } from './testing/mosquitto.js';
import { ENTRIES, METER, until } from './testing/records.js';

const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));

describe('PrometheusExporter', () => {
  let hub: OutputHub;
  let port: number;
  const state = { session: 'ready' as string | undefined, db: true };
  let now = Date.parse('2026-12-06T00:01:00Z');

  beforeAll(async () => {
    hub = await OutputHub.open({
      outputs: [{ target: { name: 'file:x.csv', deliver: async () => {} } }],
      logger: memoryLogger(),
      prometheus: (h) =>
        new PrometheusExporter({
          port: 0,
          host: '127.0.0.1',
          now: () => now,
          health: {
            ...h,
            sessionState: () => state.session,
            databaseOnline: () => state.db,
            spoolRows: () => 7,
            failedRequests: () => 3,
          },
        }),
    });
    port = await hub.exporter!.listen();
    for (const e of ENTRIES) hub.entry(e);
    hub.entry({ kind: 'extra.meter_fault', row: { meter: METER, time: new Date(), fault: true } });
    hub.session({ meter: METER, state: 'recovering', time: new Date() });
    hub.session({ meter: METER, state: 'ready', time: new Date() });
  });
  afterAll(() => hub.stop(100));

  it('serves metrics in base units with HELP and TYPE, parseable line by line', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const m = `meter="${METER}"`;
    expect(text).toContain(`b_route_power_watts{${m}} 512`);
    expect(text).toContain(`b_route_current_amperes{${m},phase="r"} 3.2`);
    expect(text).toContain(`b_route_energy_imported_joules_total{${m}} ${12345.6 * 3_600_000}`);
    expect(text).toContain(`b_route_energy_exported_joules_total{${m}} ${78.9 * 3_600_000}`);
    expect(text).toContain('# TYPE b_route_energy_imported_joules_total counter');
    expect(text).toContain(`b_route_interval_energy_joules{${m},direction="import"} ${0.25 * 3_600_000}`);
    expect(text).toContain(
      `b_route_last_reading_timestamp_seconds{${m}} ${Date.parse('2026-12-06T00:00:10Z') / 1000}`,
    );
    expect(text).toContain('b_route_pressure_pascals{sensor="bme280"} 101320');
    expect(text).toContain('b_route_humidity_ratio{sensor="bme280"} 0.455');
    expect(text).toContain(`b_route_meter_fault{${m}} 1`);
    expect(text).toContain('b_route_session_reconnects_total 1');
    expect(text).toContain('b_route_meter_failed_requests_total 3');
    expect(text).toContain('b_route_spool_rows 7');
    expect(text).toContain('b_route_output_delivered_total{output="file:x.csv"}');
    for (const line of text.trim().split('\n')) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+]+)$/,
      );
    }
  });

  it('/healthz says whether the session and the database are well and how old the last reading is', async () => {
    const get = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: r.status, body: await r.json() };
    };
    expect(await get()).toEqual({
      status: 200,
      body: { ok: true, session: 'ready', database: true, lastReadingAgeS: 50 },
    });
    state.db = false;
    expect((await get()).status).toBe(503);
    state.db = true;
    state.session = 'recovering';
    expect(await get()).toMatchObject({ status: 503, body: { session: 'recovering' } });
    state.session = 'ready';
    now += 600_000;
    expect(await get()).toMatchObject({ status: 503, body: { lastReadingAgeS: 650 } });
    now -= 600_000;
  });

  it.skipIf(!PROMETHEUS)('is scraped by a real Prometheus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outputs-prometheus-'));
    const webPort = await freePort();
    await writeFile(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: b-route\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const child = spawn(
      PROMETHEUS!,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${webPort}`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const query = async (
        q: string,
      ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
        try {
          const r = await fetch(`http://127.0.0.1:${webPort}/api/v1/query?query=${encodeURIComponent(q)}`);
          const body = (await r.json()) as { data?: { result?: [] } };
          return body.data?.result ?? [];
        } catch {
          return [];
        }
      };
      await until(async () => (await query('b_route_power_watts')).length > 0, 30_000, 'a scrape');
      const [power] = await query('b_route_power_watts');
      expect(power!.metric).toMatchObject({ __name__: 'b_route_power_watts', meter: METER, job: 'b-route' });
      expect(power!.value[1]).toBe('512');
      const [kwh] = await query('b_route_energy_imported_joules_total / 3.6e6');
      expect(Number(kwh!.value[1])).toBeCloseTo(12345.6, 6);
      const [up] = await query('up{job="b-route"}');
      expect(up!.value[1]).toBe('1');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
if (!PROMETHEUS)
  console.warn(
    'prometheus-exporter.test: prometheus not installed (scripts/setup.sh installs it): real-scrape test skipped',
  );
