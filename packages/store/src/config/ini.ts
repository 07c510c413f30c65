/**
 * A small INI reader for power_consumption.ini, strict so that typos do not pass silently:
 *
 * - `[section]` headers; every key belongs to one. Section and key names are matched without
 *   regard to case (`[routeB]` = `[routeb]`), as Python's configparser did for keys.
 * - `key = value`; the value is trimmed. An empty value means "not set".
 * - Whole-line comments start with `;` or `#`. After an unquoted value, ` ;` or ` #` (preceded by
 *   white space) starts a comment; a `#` inside a value (`pa#ss`) does not.
 * - A value in double quotes may hold anything, comment characters included; `\"` and `\\` are
 *   escapes. Single quotes take the text literally.
 * - A repeated section or key is an error, as is a line that is none of the above.
 */
import { ConfigError } from './config-error.js';

export interface IniEntry {
  /** The key in lower case. */
  readonly key: string;
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

export interface IniSection {
  /** The name as written. */
  readonly name: string;
  readonly line: number;
  /** By lower-case key, in file order. */
  readonly entries: ReadonlyMap<string, IniEntry>;
}

/** Sections by lower-case name, in file order. */
export type IniDocument = ReadonlyMap<string, IniSection>;

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * @param source file name for messages
 * @throws ConfigError 'config.syntax' naming the line
 */
export function parseIni(text: string, source = 'config'): IniDocument {
  const doc = new Map<string, { name: string; line: number; entries: Map<string, IniEntry> }>();
  let current: { name: string; line: number; entries: Map<string, IniEntry> } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const fail = (why: string): never => {
      throw new ConfigError('config.syntax', `${source}:${line}: ${why}`, {
        context: { path: source, line },
      });
    };
    const trimmed = lines[index]!.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('[')) {
      const m = /^\[([^\]]*)\]\s*(?:[;#].*)?$/.exec(trimmed);
      if (!m) fail('a section header is [name] alone on its line');
      const name = m![1]!.trim();
      if (!NAME.test(name)) fail(`[${name}] is not a valid section name (letters, digits, _ . -)`);
      if (doc.has(name.toLowerCase())) fail(`[${name}] appears twice; put all its keys in one section`);
      current = { name, line, entries: new Map() };
      doc.set(name.toLowerCase(), current);
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq < 0) fail('expected key = value, a [section] or a comment (; or #)');
    const key = trimmed.slice(0, eq).trim();
    if (!NAME.test(key)) fail(`"${key}" is not a valid key name (letters, digits, _ . -)`);
    if (!current) return fail(`${key} is outside any [section]`);
    const lower = key.toLowerCase();
    if (current.entries.has(lower)) fail(`[${current.name}] ${key} is set twice`);
    const value = parseValue(trimmed.slice(eq + 1).trim(), fail);
    current.entries.set(lower, { key: lower, value, line });
  }
  return doc;
}

function parseValue(text: string, fail: (why: string) => never): string {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    let out = '';
    let i = 1;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === quote) break;
      if (quote === '"' && c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        out += text[i + 1];
        i++;
        continue;
      }
      out += c;
    }
    if (i >= text.length) return fail(`unterminated ${quote} quote`);
    const rest = text.slice(i + 1).trim();
    if (rest !== '' && !rest.startsWith(';') && !rest.startsWith('#')) {
      return fail('only a comment may follow a quoted value');
    }
    return out;
  }
  const comment = /\s[;#]/.exec(text);
  return (comment ? text.slice(0, comment.index) : text).trim();
}
