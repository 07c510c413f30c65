import { describe, expect, it } from 'vitest';
import { ArgError, formatDuration, positiveNumber } from './args.js';

describe('positiveNumber', () => {
  it('takes the fallback when absent and a positive number when given', () => {
    expect(positiveNumber(undefined, 600, '--speed')).toBe(600);
    expect(positiveNumber('1440', 600, '--speed')).toBe(1440);
    expect(positiveNumber('0.5', 7, '--days')).toBe(0.5);
  });

  it.each(['0', '-3', 'fast', '', ' '])('refuses %j naming the option', (raw) => {
    expect(() => positiveNumber(raw, 1, '--speed')).toThrow(ArgError);
    expect(() => positiveNumber(raw, 1, '--speed')).toThrow(/--speed/);
  });
});

describe('formatDuration', () => {
  it.each([
    [4.4, '4s'],
    [125, '2m05s'],
    [3780, '1h03m'],
  ])('%d s → %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});
