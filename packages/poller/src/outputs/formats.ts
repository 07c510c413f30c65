/**
 * Text forms of a record for files and pipes: JSON lines, CSV and YAML documents. The CSV
 * columns begin as the HEMS data collector's (`timestamp,cumulative_power_kwh,instant_power_w,
 * current_r_a,current_t_a`) so its users' scripts keep working; the columns after them carry
 * what it does not read (export, 30-minute values, sensors), empty where a record has none.
 */
import type { OutputRecord } from './output-record.js';

export const TEXT_FORMATS = ['json', 'csv', 'yaml'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

export const CSV_COLUMNS = [
  'timestamp',
  'cumulative_power_kwh',
  'instant_power_w',
  'current_r_a',
  'current_t_a',
  'cumulative_export_kwh',
  'interval_import_kwh',
  'interval_export_kwh',
  'temperature_c',
  'humidity_pct',
  'pressure_hpa',
  'co2_ppm',
  'cpu_temperature_c',
  'source',
  'kind',
] as const;

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

/** Readings only: CSV has no column for identity, link quality or session changes. */
export const CSV_KINDS: ReadonlySet<OutputRecord['kind']> = new Set([
  'power',
  'energy',
  'interval',
  'sensor',
]);

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function formatRecord(format: TextFormat, r: OutputRecord): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ timestamp: r.time, source: r.source, kind: r.kind, id: r.id, ...r.values })}\n`;
    case 'csv': {
      const row: Record<string, unknown> = { ...r.values, timestamp: r.time, source: r.source, kind: r.kind };
      return `${CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\n`;
    }
    case 'yaml': {
      // Every scalar is plain YAML: numbers as is, strings double-quoted (JSON strings are valid
      // YAML double-quoted scalars), null as `null`.
      const lines = [
        `timestamp: ${JSON.stringify(r.time)}`,
        `source: ${JSON.stringify(r.source)}`,
        `kind: ${r.kind}`,
      ];
      lines.push(`id: ${JSON.stringify(r.id)}`);
      for (const [k, v] of Object.entries(r.values))
        lines.push(`${k}: ${v === null ? 'null' : typeof v === 'number' ? String(v) : JSON.stringify(v)}`);
      return `---\n${lines.join('\n')}\n`;
    }
  }
}
