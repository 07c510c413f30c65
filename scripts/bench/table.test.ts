import { describe, expect, it } from 'vitest';
import { formatValue, markdownTable } from './table.js';

describe('markdownTable', () => {
  it('aligns the columns, right-aligns values and escapes pipes', () => {
    const table = markdownTable([
      { figure: 'graph.power.year.total', value: 1234.5, unit: 'ms', notes: 'query + render' },
      { figure: 'client.frames-per-poll', value: 1, unit: 'frames', notes: 'E7|E8|E0|E3 in one' },
    ]);
    expect(table.split('\n')).toEqual([
      '| figure                 |   value | unit   | notes                 |',
      '|------------------------|--------:|--------|-----------------------|',
      '| graph.power.year.total | 1,234.5 | ms     | query + render        |',
      '| client.frames-per-poll |       1 | frames | E7\\|E8\\|E0\\|E3 in one |',
    ]);
  });

  it('formats numbers with separators and keeps text as it is', () => {
    expect(formatValue(3153600)).toBe('3,153,600');
    expect(formatValue(0.1234)).toBe('0.123');
    expect(formatValue('FAILED')).toBe('FAILED');
  });
});
