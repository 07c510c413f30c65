/**
 * The engine behind power_consumption.ini: INI text + environment → typed sections, by a table of
 * fields per section. The poller reads every section with it; the graph reads only [database].
 * Errors name `[section] key` (or the environment variable) and what is allowed, never a secret.
 */
import { ConfigError, type ConfigErrorContext } from './config-error.js';
import type { Field, FieldContext } from './fields.js';
import type { IniDocument } from './ini.js';
import { readTextFile } from './read-text-file.js';

/** Keys of one section and how each is read. */
export type SectionSpec = Readonly<Record<string, Field<unknown>>>;
export type SettingsSpec = Readonly<Record<string, SectionSpec>>;
/** Environment variable → [section, key] it overrides. */
export type EnvOverrides = Readonly<Record<string, readonly [string, string]>>;

export interface ReadSettingsOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envOverrides: EnvOverrides;
  readonly baseDir: string;
  /** File name for messages. */
  readonly source: string;
  /**
   * 'error' (default): a section or key the spec does not name is an error. 'ignore': sections
   * outside the spec are someone else's (the graph reads [database] of the poller's file).
   */
  readonly otherSections?: 'error' | 'ignore';
}

/**
 * The text of a configuration file (at most 256 KiB of UTF-8: see `readTextFile`).
 * @throws ConfigError 'config.read' (unreadable, or not a text file)
 */
export async function readConfigText(
  path: string,
  readFile: (path: string) => Promise<string> = readTextFile,
): Promise<string> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new ConfigError('config.read', `cannot read ${path}: ${(e as Error).message}`, {
      context: { path },
      cause: e,
    });
  }
}

/**
 * Every section of `spec` read from `doc` (defaults where a key is not set; the environment
 * variable wins over the file), keyed by camel-cased key names.
 * @throws ConfigError 'config.unknown-section', 'config.unknown-key', 'config.invalid'
 */
export function readSettings(
  doc: IniDocument,
  spec: SettingsSpec,
  options: ReadSettingsOptions,
): Record<string, Record<string, unknown>> {
  checkNames(doc, spec, options);
  const ctx: FieldContext = { baseDir: options.baseDir };
  const values: Record<string, Record<string, unknown>> = {};
  for (const [section, keys] of Object.entries(spec)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(keys)) {
      const envName = envFor(options.envOverrides, section, key);
      const envValue = envName ? options.env[envName] : undefined;
      const entry = doc.get(section.toLowerCase())?.entries.get(key);
      let value: unknown = field.resolveDefault ? field.resolveDefault(ctx) : field.default;
      if (envName && envValue !== undefined && envValue !== '') {
        value = parseOrThrow(field, envValue, ctx, `${envName} (environment)`, { env: envName });
      } else if (entry && entry.value !== '') {
        value = parseOrThrow(field, entry.value, ctx, `[${section}] ${key}`, {
          path: options.source,
          line: entry.line,
          section,
          key,
        });
      }
      out[camel(key)] = value;
    }
    values[section] = out;
  }
  return values;
}

function parseOrThrow(
  field: Field<unknown>,
  raw: string,
  ctx: FieldContext,
  where: string,
  context: ConfigErrorContext,
): unknown {
  const parsed = field.parse(raw, ctx);
  if (parsed.ok) return parsed.value;
  const shown = field.secret ? where : `${where} = ${field.show ? field.show(raw) : raw}`;
  const detail = parsed.detail ? ` (${parsed.detail})` : '';
  const at = context.line !== undefined ? ` (${context.path}:${context.line})` : '';
  throw new ConfigError('config.invalid', `${shown}: must be ${field.allowed}${detail}${at}`, { context });
}

function checkNames(doc: IniDocument, spec: SettingsSpec, options: ReadSettingsOptions): void {
  const source = options.source;
  const sections = Object.keys(spec);
  for (const [lower, section] of doc) {
    const known = sections.find((s) => s.toLowerCase() === lower);
    if (!known) {
      if (options.otherSections === 'ignore') continue;
      throw new ConfigError(
        'config.unknown-section',
        `[${section.name}]: unknown section${suggest(section.name, sections)}; sections are ${sections.map((s) => `[${s}]`).join(', ')} (${source}:${section.line})`,
        { context: { path: source, line: section.line, section: section.name } },
      );
    }
    const keys = Object.keys(spec[known]!);
    for (const entry of section.entries.values()) {
      if (!keys.includes(entry.key)) {
        throw new ConfigError(
          'config.unknown-key',
          `[${known}] ${entry.key}: unknown key${suggest(entry.key, keys)}; [${known}] takes ${keys.join(', ')} (${source}:${entry.line})`,
          { context: { path: source, line: entry.line, section: known, key: entry.key } },
        );
      }
    }
  }
}

function envFor(overrides: EnvOverrides, section: string, key: string): string | undefined {
  for (const [name, [s, k]] of Object.entries(overrides)) {
    if (s === section && k === key) return name;
  }
  return undefined;
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** ", did you mean x?" for a name within two edits of a known one. */
function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
