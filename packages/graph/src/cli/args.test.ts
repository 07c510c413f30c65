import { describe, expect, it } from 'vitest';
import { isGraphError } from '../errors.js';
import { parseCliArgs, parseWindow, usage } from './args.js';

describe('parseCliArgs', () => {
  it('reads the kind and the defaults', () => {
    const o = parseCliArgs(['power']);
    expect(o).toMatchObject({ kind: 'power', help: false, range: {}, width: 1280, height: 720, lang: 'ja' });
    expect(o.window).toBeUndefined();
    expect(o.output).toBeUndefined();
  });

  it('reads short and long options', () => {
    const o = parseCliArgs([
      'temp',
      '-d',
      '2024-06-01',
      '--days',
      '7',
      '-o',
      'out/',
      '-w',
      '5m',
      '--width',
      '800',
      '--height=600',
      '--lang',
      'en',
      '--config',
      'x.ini',
      '--meter',
      '001c6400601421a3',
    ]);
    expect(o).toMatchObject({
      kind: 'temp',
      range: { date: '2024-06-01', days: 7 },
      output: 'out/',
      window: { ms: 300_000 },
      width: 800,
      height: 600,
      lang: 'en',
      config: 'x.ini',
      meter: '001C6400601421A3',
    });
    expect(parseCliArgs(['power', '-s', '2024-06-01T09:00', '-e', '2024-06-01T18:00']).range).toEqual({
      start: '2024-06-01T09:00',
      end: '2024-06-01T18:00',
    });
    expect(parseCliArgs(['power', '-h']).help).toBe(true);
    expect(parseCliArgs(['power', '--', '-d', '2024-06-01']).range).toEqual({ date: '2024-06-01' });
  });

  it('reads --serial repeated or comma-separated, and all', () => {
    expect(parseCliArgs(['temp']).serial).toBeUndefined();
    expect(parseCliArgs(['temp', '--serial', 'lux']).serial).toEqual(['lux']);
    expect(
      parseCliArgs(['temp', '--serial', 'lux,out', '--serial', ' t ', '--serial', 'lux']).serial,
    ).toEqual(['lux', 'out', 't']);
    expect(parseCliArgs(['temp', '--serial', 't', '--serial', 'all']).serial).toBe('all');
  });

  it('rejects what it cannot use with args.invalid', () => {
    for (const argv of [
      [],
      ['graph'],
      ['power', 'extra'],
      ['power', '--bogus'],
      ['power', '--lang', 'fr'],
      ['power', '--width', 'wide'],
      ['power', '--width', '10'],
      ['power', '--days', '-1'],
      ['power', '--meter', 'xyz'],
      ['power', '-w', 'soon'],
      ['temp', '--serial'],
      ['temp', '--serial', 'a,,b'],
    ]) {
      let error: unknown;
      try {
        parseCliArgs(argv);
      } catch (e) {
        error = e;
      }
      expect(isGraphError(error, 'args.invalid'), argv.join(' ')).toBe(true);
    }
  });
});

describe('parseWindow', () => {
  it('takes counts, durations and zero', () => {
    expect(parseWindow('30')).toEqual({ points: 30 });
    expect(parseWindow('90s')).toEqual({ ms: 90_000 });
    expect(parseWindow('10min')).toEqual({ ms: 600_000 });
    expect(parseWindow('1h')).toEqual({ ms: 3_600_000 });
    expect(parseWindow('0')).toBeNull();
  });
});

describe('usage', () => {
  it('names every option', () => {
    const text = usage('power');
    expect(usage('temp')).toMatch(
      /--serial NAMES {6}add serial sensors' values[\s\S]*all = every name in the range\n/,
    );
    for (const o of [
      '--date',
      '--days',
      '--start',
      '--end',
      '--output',
      '--window',
      '--width',
      '--height',
      '--lang',
      '--config',
      '--serial',
      '--help',
    ]) {
      expect(text).toContain(o);
    }
  });
});
