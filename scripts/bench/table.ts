/** The benchmark figures as one markdown table (figure | value | unit | notes). */

export interface BenchRow {
  readonly figure: string;
  readonly value: number | string;
  readonly unit: string;
  readonly notes: string;
}

/** Thousands separated, at most the decimals the figure came with. */
export function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** A GitHub markdown table, padded so it also reads as plain text. `|` in cells is escaped. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const header = ['figure', 'value', 'unit', 'notes'];
  const cells = rows.map((r) =>
    [r.figure, formatValue(r.value), r.unit, r.notes].map((c) => c.replaceAll('|', '\\|')),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    `| ${c.map((x, i) => (i === 1 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 1 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}
