import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './args.js';

describe('parseCliArgs', () => {
  it('reads the seed 003 sensor flags, alone or bundled', () => {
    expect(parseCliArgs(['-t', '-c', '-b'])).toMatchObject({
      cpu: true,
      co2: true,
      bme280: true,
      simulate: false,
    });
    expect(parseCliArgs(['-tcb'])).toMatchObject({ cpu: true, co2: true, bme280: true });
    expect(parseCliArgs([])).toMatchObject({
      cpu: false,
      co2: false,
      bme280: false,
      info: false,
      help: false,
    });
  });

  it('reads --config, -i, -h and the simulation options', () => {
    expect(
      parseCliArgs([
        '--',
        '--config',
        'x.ini',
        '-i',
        '--simulate',
        '--speed',
        '600',
        '--seed',
        '7',
        '--model',
        'BP35C2',
      ]),
    ).toEqual({
      cpu: false,
      co2: false,
      bme280: false,
      config: 'x.ini',
      simulate: true,
      speed: 600,
      seed: 7,
      model: 'bp35c2',
      truth: undefined,
      info: true,
      help: false,
      outputs: [],
      format: undefined,
      hems: { debug: false },
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
  });

  it('reads --output (repeated or comma-separated) and --format as the HEMS collector has them', () => {
    expect(
      parseCliArgs(['--output', 'stdout,mqtt', '--output', 'prometheus', '--format', 'CSV']),
    ).toMatchObject({
      outputs: ['stdout', 'mqtt', 'prometheus'],
      format: 'csv',
    });
    expect(() => parseCliArgs(['--output', 'kafka'])).toThrow(/--output must be one of stdout, file, mqtt/);
    expect(() => parseCliArgs(['--format', 'xml'])).toThrow(/--format must be one of json, csv, yaml/);
  });

  it.each([
    [['-x'], "Unknown option '-x'"],
    [['--config'], "Option '--config <value>' argument missing"],
    [['--speed', '10'], '--speed needs --simulate'],
    [['--simulate', '--speed', '0'], '--speed must be a number > 0, got "0"'],
    [['--simulate', '--speed', 'fast'], '--speed must be a number > 0, got "fast"'],
    [['--simulate', '--seed', '1.5'], '--seed must be an integer ≥ 0, got "1.5"'],
    [
      ['--simulate', '--model', 'bp35x'],
      '--model must be one of bp35a1, rl7023-ips, bp35c0, bp35c2, rs-wsuha-p, rl7023-dss',
    ],
    [['extra'], "Unexpected argument 'extra'"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
