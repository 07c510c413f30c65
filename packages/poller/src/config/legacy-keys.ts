/**
 * An unchanged power_consumption.ini of the original power-consumption (Python) read with the
 * meaning it had there. Each legacy key is translated to ours and named in one notice line;
 * nothing is refused as unknown and nothing silently changes meaning.
 *
 * - `[routeB] db_url` → `[database] url` (in @b-route/store, shared with the graph commands).
 * - `[routeB] timeout` (seconds, a float; its default 5) → `timeout_s`, rounded up.
 * - `[routeB] debug` (a boolean) → `[log] level = debug` when true.
 * - `[bme280]` in the original's *register codes* (Bosch BME280 datasheet §5.4.3–5.4.6):
 *   osrs_x 0 skip, 1 ×1, 2 ×2, 3 ×4, 4 ×8, 5–7 ×16; filter 0 off, 1 2, 2 4, 3 8, 4–7 16;
 *   t_sb 0 0.5 ms, 1 62.5, 2 125, 3 250, 4 500, 5 1000, 6 10, 7 20. Ours are the multipliers
 *   themselves, and the two overlap (filter = 4 is coefficient 16 there, 4 here), so a section
 *   is read in codes when it has `t_sb`, when the file has a legacy [routeB] key, or when a value
 *   exists only as a code (osrs 3, 5–7; filter 1, 3, 5–7).
 */
import {
  ConfigError,
  type IniDocument,
  type IniEntry,
  translateLegacyDatabase,
  withEntries,
  withoutKeys,
} from '@b-route/store';

const OSRS_CODES = [0, 1, 2, 4, 8, 16, 16, 16] as const;
const FILTER_CODES = [0, 2, 4, 8, 16, 16, 16, 16] as const;
const T_SB_CODES = [0.5, 62.5, 125, 250, 500, 1000, 10, 20] as const;
const OSRS_KEYS = ['osrs_t', 'osrs_p', 'osrs_h'] as const;

export interface LegacyIni {
  readonly doc: IniDocument;
  readonly notices: readonly string[];
  /** The file has keys only the original power-consumption knew ([routeB] db_url/timeout/debug, t_sb). */
  readonly fromPowerConsumption: boolean;
}

/**
 * @throws ConfigError 'config.invalid' when a legacy key and its replacement are both set, or a
 *   register code is out of range
 */
export function translateLegacyKeys(input: IniDocument, source: string): LegacyIni {
  const routeB0 = input.get('routeb');
  const fromRouteB = ['db_url', 'timeout', 'debug'].some((k) => routeB0?.entries.has(k));
  const db = translateLegacyDatabase(input, source);
  const doc = new Map(db.doc);
  const notices = [...db.notices];
  const at = (e: IniEntry) => `${source}:${e.line}`;
  const invalid = (section: string, e: IniEntry, why: string): never => {
    throw new ConfigError('config.invalid', `[${section}] ${e.key} = ${e.value}: ${why} (${at(e)})`, {
      context: { path: source, line: e.line, section, key: e.key },
    });
  };

  const routeB = doc.get('routeb');
  if (routeB) {
    const add: IniEntry[] = [];
    const timeout = routeB.entries.get('timeout');
    if (timeout) {
      if (routeB.entries.has('timeout_s'))
        invalid('routeB', timeout, 'set timeout_s only (timeout is its old name)');
      const s = Number(timeout.value);
      if (timeout.value !== '' && !(Number.isFinite(s) && s > 0))
        invalid('routeB', timeout, 'must be a number of seconds > 0');
      if (timeout.value !== '')
        add.push({
          key: 'timeout_s',
          value: String(Math.min(300, Math.max(1, Math.ceil(s)))),
          line: timeout.line,
        });
      notices.push(
        `${at(timeout)}: [routeB] timeout (power-consumption) read as [routeB] timeout_s; rename it`,
      );
    }
    const debug = routeB.entries.get('debug');
    if (debug) {
      const on = /^(1|yes|true|on)$/i.test(debug.value);
      if (!on && !/^(0|no|false|off|)$/i.test(debug.value)) invalid('routeB', debug, 'must be on or off');
      const log = doc.get('log');
      if (on && !log?.entries.get('level')?.value) {
        doc.set(
          'log',
          withEntries(log ?? { name: 'log', line: debug.line, entries: new Map() }, [
            { key: 'level', value: 'debug', line: debug.line },
          ]),
        );
      }
      notices.push(
        `${at(debug)}: [routeB] debug (power-consumption) read as [log] level = ${on ? 'debug' : 'info'}; use that instead`,
      );
    }
    doc.set('routeb', withEntries(withoutKeys(routeB, ['timeout', 'debug']), add));
  }

  const bme = doc.get('bme280');
  let fromBme = false;
  if (bme) {
    const tSb = bme.entries.get('t_sb');
    const codeOnly = [
      ...OSRS_KEYS.map((k) => [k, [3, 5, 6, 7]] as const),
      ['filter', [1, 3, 5, 6, 7]] as const,
    ].some(([k, only]) => only.includes(Number(bme.entries.get(k)?.value) as never));
    fromBme = tSb !== undefined || codeOnly;
    if (fromRouteB || fromBme) {
      const add: IniEntry[] = [];
      const code = (e: IniEntry, table: readonly number[]): number => {
        if (!/^\d$/.test(e.value) || Number(e.value) >= table.length)
          invalid(
            'bme280',
            e,
            `must be a register code 0–${table.length - 1} (this [bme280] is read as power-consumption's register codes)`,
          );
        return table[Number(e.value)]!;
      };
      const read: string[] = [];
      for (const [key, table] of [
        ...OSRS_KEYS.map((k) => [k, OSRS_CODES] as const),
        ['filter', FILTER_CODES] as const,
      ]) {
        const e = bme.entries.get(key);
        if (!e || e.value === '') continue;
        const v = code(e, table);
        add.push({ key, value: String(v), line: e.line });
        read.push(
          `${key} = ${e.value} as ${key === 'filter' ? (v === 0 ? 'off' : `coefficient ${v}`) : v === 0 ? 'skipped' : `×${v}`}`,
        );
      }
      if (tSb && tSb.value !== '') {
        if (bme.entries.has('standby_ms'))
          invalid('bme280', tSb, 'set standby_ms only (t_sb is the old register code)');
        const ms = code(tSb, T_SB_CODES);
        add.push({ key: 'standby_ms', value: String(ms), line: tSb.line });
        read.push(`t_sb = ${tSb.value} as standby_ms = ${ms}`);
      }
      if (read.length > 0) {
        notices.push(
          `${source}:${bme.line}: [bme280] in power-consumption's register codes: read ${read.join(', ')}; write the multipliers (and standby_ms) instead`,
        );
      }
      doc.set('bme280', withEntries(withoutKeys(bme, ['t_sb']), add));
    }
  }
  return { doc, notices, fromPowerConsumption: fromRouteB || bme?.entries.has('t_sb') === true };
}
