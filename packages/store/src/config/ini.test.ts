import { describe, expect, it } from 'vitest';
import { isConfigError } from './config-error.js';
import { parseIni } from './ini.js';

const values = (text: string): Record<string, Record<string, string>> => {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, section] of parseIni(text)) {
    out[name] = Object.fromEntries([...section.entries].map(([k, e]) => [k, e.value]));
  }
  return out;
};

function syntaxError(text: string): string {
  try {
    parseIni(text, 'power_consumption.ini');
  } catch (e) {
    expect(isConfigError(e, 'config.syntax')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseIni', () => {
  it('reads sections and keys, case-insensitively, with comments and blank lines', () => {
    const text = [
      '; a comment',
      '# another',
      '',
      '[routeB]',
      'Device = /dev/ttyUSB0',
      '  baud=115200  ',
      '[Schedule]   ; trailing comment',
      'instantaneous = 30 ; every half minute',
      'meta = 3600 # hourly',
      'empty =',
    ].join('\r\n');
    expect(values(text)).toEqual({
      routeb: { device: '/dev/ttyUSB0', baud: '115200' },
      schedule: { instantaneous: '30', meta: '3600', empty: '' },
    });
    const doc = parseIni(text);
    expect(doc.get('schedule')?.name).toBe('Schedule');
    expect(doc.get('schedule')?.entries.get('meta')?.line).toBe(9);
  });

  it('keeps # and ; inside a value unless a space precedes them', () => {
    expect(values('[a]\npassword = ab#cd;ef\nurl = postgres://u:p@h/db#x')).toEqual({
      a: { password: 'ab#cd;ef', url: 'postgres://u:p@h/db#x' },
    });
  });

  it('takes quoted values literally, with \\" and \\\\ escapes in double quotes', () => {
    expect(
      values(
        [
          '[a]',
          'x = "a ;b # c"  ; comment',
          "y = 'a\\b'",
          'z = "say \\"hi\\" \\\\ done"',
          'w = "  padded  "',
        ].join('\n'),
      ),
    ).toEqual({ a: { x: 'a ;b # c', y: 'a\\b', z: 'say "hi" \\ done', w: '  padded  ' } });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(values('\uFEFF[a]\nk = v')).toEqual({ a: { k: 'v' } });
  });

  it.each([
    ['k = v', 'k is outside any [section]', 1],
    ['[a]\njust words', 'expected key = value', 2],
    ['[a]\nk = 1\nK = 2', '[a] K is set twice', 3],
    ['[a]\n[A]', '[A] appears twice', 2],
    ['[a b]', 'not a valid section name', 1],
    ['[a', 'a section header is [name] alone', 1],
    ['[a]\nk = "open', 'unterminated " quote', 2],
    ['[a]\nk = "x" y', 'only a comment may follow a quoted value', 2],
    ['[a]\nbad key = 1', 'not a valid key name', 2],
  ])('rejects %j with a message naming the line', (text, message, line) => {
    const m = syntaxError(text);
    expect(m).toContain(message);
    expect(m).toContain(`power_consumption.ini:${line}:`);
  });
});
