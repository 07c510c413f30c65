/**
 * The original power-consumption (Python) kept its database in `[routeB] db_url`, a psycopg2
 * connection string: a URL or a libpq `key=value` list. Both the poller and the graph commands
 * read it as `[database] url`, so an old power_consumption.ini opens the old database.
 */
import { ConfigError } from './config-error.js';
import type { IniDocument, IniEntry, IniSection } from './ini.js';

export interface LegacyTranslation {
  readonly doc: IniDocument;
  /** One line per legacy key read, naming the key to use instead. */
  readonly notices: readonly string[];
}

/**
 * `doc` with `[routeB] db_url` moved to `[database] url` (a libpq `key=value` string turned into
 * a URL). Unchanged when the file has no db_url.
 * @throws ConfigError 'config.invalid' when db_url and [database] url are both set and differ
 */
export function translateLegacyDatabase(doc: IniDocument, source: string): LegacyTranslation {
  const routeB = doc.get('routeb');
  const entry = routeB?.entries.get('db_url');
  if (!routeB || !entry) return { doc, notices: [] };
  const url = entry.value === '' ? '' : libpqToUrl(entry.value);
  const database = doc.get('database');
  const existing = database?.entries.get('url');
  if (existing && existing.value !== '' && url !== '' && existing.value !== url) {
    throw new ConfigError(
      'config.invalid',
      `[routeB] db_url (from power-consumption) and [database] url name different databases; keep only [database] url (${source}:${entry.line})`,
      { context: { path: source, line: entry.line, section: 'routeB', key: 'db_url' } },
    );
  }
  const out = new Map(doc);
  out.set('routeb', withoutKeys(routeB, ['db_url']));
  if (!existing || existing.value === '') {
    out.set(
      'database',
      withEntries(database ?? { name: 'database', line: entry.line, entries: new Map() }, [
        { key: 'url', value: url, line: entry.line },
      ]),
    );
  }
  return {
    doc: out,
    notices: [
      `${source}:${entry.line}: [routeB] db_url (power-consumption) read as [database] url; move it there`,
    ],
  };
}

/**
 * `host=pi dbname=power user=pc password='a b'` → postgres://pc:a%20b@pi/power. A URL is returned
 * as it is; an unknown key becomes a query parameter, which libpq (and pg) read the same way.
 */
export function libpqToUrl(dsn: string): string {
  if (/^postgres(ql)?:\/\//i.test(dsn)) return dsn;
  const pairs = new Map<string, string>();
  const re = /\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  // biome-ignore lint/suspicious/noAssignInExpressions: a scanner loop
  while ((m = re.exec(dsn)) !== null) {
    const raw = m[2]!;
    pairs.set(m[1]!.toLowerCase(), raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw);
    end = re.lastIndex;
  }
  if (pairs.size === 0 || dsn.slice(end).trim() !== '') return dsn; // not key=value: let the URL check say so
  const take = (k: string) => {
    const v = pairs.get(k);
    pairs.delete(k);
    return v;
  };
  const user = take('user');
  const password = take('password');
  const host = take('host') ?? 'localhost';
  const port = take('port');
  const dbname = take('dbname');
  const auth =
    user === undefined
      ? ''
      : `${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
  const hostPart = host.startsWith('/') ? `localhost` : host.includes(':') ? `[${host}]` : host;
  const query = new URLSearchParams([...pairs]);
  if (host.startsWith('/')) query.set('host', host);
  const q = query.toString();
  return `postgresql://${auth}${hostPart}${port ? `:${port}` : ''}/${encodeURIComponent(dbname ?? user ?? '')}${q ? `?${q}` : ''}`;
}

export function withoutKeys(section: IniSection, keys: readonly string[]): IniSection {
  const entries = new Map(section.entries);
  for (const k of keys) entries.delete(k);
  return { ...section, entries };
}

export function withEntries(section: IniSection, add: readonly IniEntry[]): IniSection {
  const entries = new Map(section.entries);
  for (const e of add) entries.set(e.key, e);
  return { ...section, entries };
}
