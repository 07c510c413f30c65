/**
 * One line of a serial sensor (keilog's Arduino/XBee/TWELite sources) → named values. Two
 * layouts, as configured:
 * - `pairs`: `temp=21.5 hum=40.2` (separated by spaces, commas or semicolons; `name:value` too);
 * - `csv`: `21.5,40.2` read against the configured column names (`-` skips a column).
 * Incomplete is not invalid: the caller splits lines; a line that cannot be read is a reason,
 * never a throw. Pure.
 */

export interface SensorLineSpec {
  readonly format: 'pairs' | 'csv';
  /** csv: the name of each column, in order; '-' skips it. */
  readonly columns?: readonly string[];
  /** Unit of each name (`temp` → `°C`); a name not listed has no unit. */
  readonly units?: ReadonlyMap<string, string>;
}

export interface SensorValue {
  readonly name: string;
  readonly value: number;
  readonly unit: string | null;
}

export type SensorLineResult =
  | { readonly ok: true; readonly values: readonly SensorValue[] }
  | { readonly ok: false; readonly reason: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseSensorLine(line: string, spec: SensorLineSpec): SensorLineResult {
  const text = line.trim();
  if (text === '') return { ok: false, reason: 'empty line' };
  const unit = (name: string) => spec.units?.get(name) ?? null;
  const values: SensorValue[] = [];
  if (spec.format === 'csv') {
    const columns = spec.columns ?? [];
    const cells = text.split(',').map((c) => c.trim());
    if (cells.length !== columns.length) {
      return { ok: false, reason: `${cells.length} columns, expected ${columns.length}` };
    }
    for (const [i, name] of columns.entries()) {
      if (name === '-') continue;
      const cell = cells[i]!;
      if (!NUMBER.test(cell)) return { ok: false, reason: `column ${name} "${cell}" is not a number` };
      values.push({ name, value: Number(cell), unit: unit(name) });
    }
  } else {
    for (const token of text.split(/[\s,;]+/)) {
      const m = /^([^=:]+)[=:](.*)$/.exec(token);
      if (!m || !NAME.test(m[1]!)) return { ok: false, reason: `"${token}" is not name=value` };
      if (!NUMBER.test(m[2]!)) return { ok: false, reason: `${m[1]} "${m[2]}" is not a number` };
      values.push({ name: m[1]!, value: Number(m[2]), unit: unit(m[1]!) });
    }
  }
  return values.length > 0 ? { ok: true, values } : { ok: false, reason: 'no value' };
}

/** `temp:°C, hum:%` → map. @throws Error naming the bad item */
export function parseUnits(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of text
    .split(',')
    .map((i) => i.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*:\s*(\S.*)$/.exec(item);
    if (!m) throw new Error(`"${item}" is not name:unit`);
    out.set(m[1]!, m[2]!.trim());
  }
  return out;
}
