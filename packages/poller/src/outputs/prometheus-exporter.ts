/**
 * `/metrics` (Prometheus text format 0.0.4) and `/healthz` on one HTTP port. Not a queued
 * output: it keeps the latest value of each reading, and a scrape reads them, so it cannot fall
 * behind or block anything. Names follow the Prometheus naming guide: base units (watts,
 * amperes, joules, seconds, pascals, ratios), `_total` on counters.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutputRecord } from './output-record.js';
import type { OutputStats } from './output-runner.js';

/** What the poller knows about itself; read at each scrape. */
export interface HealthSource {
  /** Meter session state, or undefined without a meter. */
  sessionState(): string | undefined;
  databaseOnline(): boolean;
  /** Rows waiting in the spool for the database. */
  spoolRows(): number;
  /** Failed meter requests so far. */
  failedRequests(): number;
  outputs(): readonly OutputStats[];
}

export interface PrometheusOptions {
  /** The port; 0 picks a free one. The config has no default: the exporter is off unless set. */
  readonly port: number;
  /** Default '0.0.0.0'. */
  readonly host?: string;
  /** `/healthz` fails when the last reading is older than this. Default 300 s. */
  readonly staleAfterS?: number;
  readonly health: HealthSource;
  readonly now?: () => number;
}

const KWH_J = 3_600_000;

type Sample = { labels: Record<string, string>; value: number };
interface Family {
  help: string;
  type: 'gauge' | 'counter';
  samples: Map<string, Sample>;
}

const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (l: Record<string, string>): string => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export class PrometheusExporter {
  readonly #o: PrometheusOptions;
  readonly #families = new Map<string, Family>();
  readonly #server: Server;
  #lastReading: number | undefined;
  #reconnects = 0;
  #lastState: string | undefined;

  constructor(options: PrometheusOptions) {
    this.#o = options;
    this.#server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(this.metrics());
      } else if (path === '/healthz') {
        const h = this.health();
        res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify(h)}\n`);
      } else {
        res.writeHead(404).end();
      }
    });
  }

  /** Listens; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#o.port, this.#o.host ?? '0.0.0.0', () => {
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  #set(
    name: string,
    type: Family['type'],
    help: string,
    labels: Record<string, string>,
    value: unknown,
  ): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    let f = this.#families.get(name);
    if (!f) {
      f = { help, type, samples: new Map() };
      this.#families.set(name, f);
    }
    f.samples.set(labelText(labels), { labels, value });
  }

  /** Takes the latest values of a record. Never throws. */
  observe(r: OutputRecord): void {
    const v = r.values;
    const m = { meter: r.source };
    const t = Date.parse(r.time) / 1000;
    switch (r.kind) {
      case 'power':
        this.#set('b_route_power_watts', 'gauge', 'Instantaneous power (EPC E7).', m, v.instant_power_w);
        this.#set(
          'b_route_current_amperes',
          'gauge',
          'Instantaneous current per phase (EPC E8).',
          { ...m, phase: 'r' },
          v.current_r_a,
        );
        this.#set(
          'b_route_current_amperes',
          'gauge',
          'Instantaneous current per phase (EPC E8).',
          { ...m, phase: 't' },
          v.current_t_a,
        );
        this.#reading(m, t);
        break;
      case 'energy':
        if (typeof v.cumulative_power_kwh === 'number')
          this.#set(
            'b_route_energy_imported_joules_total',
            'counter',
            'Cumulative energy bought from the grid (EPC E0), in joules (kWh × 3.6e6).',
            m,
            v.cumulative_power_kwh * KWH_J,
          );
        if (typeof v.cumulative_export_kwh === 'number')
          this.#set(
            'b_route_energy_exported_joules_total',
            'counter',
            'Cumulative energy sold to the grid (EPC E3), in joules.',
            m,
            v.cumulative_export_kwh * KWH_J,
          );
        this.#reading(m, t);
        break;
      case 'interval': {
        const kwh = v.interval_import_kwh ?? v.interval_export_kwh;
        if (typeof kwh === 'number')
          this.#set(
            'b_route_interval_energy_joules',
            'gauge',
            'Energy of the last 30-minute slot (EA/EB, E2/E4), in joules.',
            { ...m, direction: v.direction === 'reverse' ? 'export' : 'import' },
            kwh * KWH_J,
          );
        break;
      }
      case 'link':
        this.#set('b_route_link_quality', 'gauge', "LQI of the meter's last beacon (0–255).", m, v.lqi);
        this.#set(
          'b_route_link_rssi_dbm',
          'gauge',
          "RSSI of the meter's last beacon, dBm (from LQI).",
          m,
          v.rssi_dbm,
        );
        break;
      case 'session':
        if (v.state === 'ready' && this.#lastState !== undefined && this.#lastState !== 'ready')
          this.#reconnects++;
        if (typeof v.state === 'string') this.#lastState = v.state;
        break;
      case 'sensor': {
        const s = { sensor: r.source };
        this.#set('b_route_temperature_celsius', 'gauge', 'Air temperature.', s, v.temperature_c);
        this.#set('b_route_cpu_temperature_celsius', 'gauge', 'CPU temperature.', s, v.cpu_temperature_c);
        if (typeof v.humidity_pct === 'number')
          this.#set('b_route_humidity_ratio', 'gauge', 'Relative humidity, 0–1.', s, v.humidity_pct / 100);
        if (typeof v.pressure_hpa === 'number')
          this.#set('b_route_pressure_pascals', 'gauge', 'Air pressure.', s, v.pressure_hpa * 100);
        this.#set(
          'b_route_co2_ppm',
          'gauge',
          'CO2 concentration, parts per million (no base unit exists).',
          s,
          v.co2_ppm,
        );
        break;
      }
      case 'fault':
        this.#set(
          'b_route_meter_fault',
          'gauge',
          'Fault status the meter reports (EPC 88): 1 fault, 0 none.',
          m,
          v.fault,
        );
        break;
      case 'meter':
        break;
    }
  }

  #reading(m: Record<string, string>, t: number): void {
    if (!Number.isFinite(t)) return;
    // Rows arrive out of time order (an E0 asked before an E7 answer is handled after it; the
    // backfill adds old slots): the gauge only moves forward.
    const previous = this.#families
      .get('b_route_last_reading_timestamp_seconds')
      ?.samples.get(labelText(m))?.value;
    if (previous !== undefined && previous >= t) return;
    this.#set(
      'b_route_last_reading_timestamp_seconds',
      'gauge',
      "Unix time of the meter's last reading.",
      m,
      t,
    );
    this.#lastReading = Math.max(this.#lastReading ?? 0, t * 1000);
  }

  /** The exposition text. */
  metrics(): string {
    const h = this.#o.health;
    const out: string[] = [];
    const emit = (name: string, f: Family): void => {
      out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      for (const s of f.samples.values()) out.push(`${name}${labelText(s.labels)} ${s.value}`);
    };
    for (const [name, f] of this.#families) emit(name, f);
    const one = (
      type: Family['type'],
      help: string,
      value: number,
      labels: Record<string, string> = {},
    ): Family => ({
      help,
      type,
      samples: new Map([[labelText(labels), { labels, value }]]),
    });
    const state = h.sessionState();
    emit('b_route_session_up', one('gauge', '1 when the meter session is ready.', state === 'ready' ? 1 : 0));
    emit(
      'b_route_session_reconnects_total',
      one('counter', 'Times the session came back to ready after losing it.', this.#reconnects),
    );
    emit(
      'b_route_meter_failed_requests_total',
      one('counter', 'Meter requests that got no valid answer.', h.failedRequests()),
    );
    emit(
      'b_route_database_up',
      one('gauge', '1 when the last write reached PostgreSQL.', h.databaseOnline() ? 1 : 0),
    );
    emit(
      'b_route_spool_rows',
      one('gauge', 'Rows waiting in the on-disk spool for the database.', h.spoolRows()),
    );
    const outputs = h.outputs();
    if (outputs.length > 0) {
      const fam = (help: string, type: Family['type'], pick: (s: OutputStats) => number): Family => ({
        help,
        type,
        samples: new Map(outputs.map((s) => [s.name, { labels: { output: s.name }, value: pick(s) }])),
      });
      emit(
        'b_route_output_delivered_total',
        fam('Records an output delivered.', 'counter', (s) => s.delivered),
      );
      emit(
        'b_route_output_pending_records',
        fam("Records waiting in an output's queue.", 'gauge', (s) => s.pending),
      );
      emit(
        'b_route_output_dropped_total',
        fam('Records an output gave up (queue full).', 'counter', (s) => s.dropped),
      );
      emit(
        'b_route_output_failures_total',
        fam('Failed delivery attempts.', 'counter', (s) => s.failures),
      );
    }
    return `${out.join('\n')}\n`;
  }

  /** What `/healthz` answers; `ok` needs the session ready, the database up and a fresh reading. */
  health(): { ok: boolean; session: string | null; database: boolean; lastReadingAgeS: number | null } {
    const now = (this.#o.now ?? Date.now)();
    const state = this.#o.health.sessionState();
    const age =
      this.#lastReading === undefined ? null : Math.max(0, Math.round((now - this.#lastReading) / 1000));
    const database = this.#o.health.databaseOnline();
    const fresh = age !== null && age <= (this.#o.staleAfterS ?? 300);
    // Without a meter (sensors only) there is no session to be ready and no meter reading to age.
    const meterOk = state === undefined || (state === 'ready' && fresh);
    return { ok: meterOk && database, session: state ?? null, database, lastReadingAgeS: age };
  }
}
