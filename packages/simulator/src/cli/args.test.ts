import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const base = ['--model', 'bp35c2', '--pty', '/tmp/ttyWISUN', '--rbid', RBID, '--password', 'PASSWORD1234'];

describe('parseCliArgs', () => {
  it('reads a full command line', () => {
    const r = parseCliArgs(
      [
        '--',
        ...base,
        '--tcp',
        '3610',
        '--co2-pty',
        '/tmp/ttyCO2',
        '--co2-tcp',
        '3611',
        '--speed',
        '60',
        '--seed',
        '7',
        '--faults',
        'drop=0.1,unplug-at=2h:30s',
        '--state-dir',
        '/tmp/sim',
        '--truth',
        '/tmp/truth.jsonl',
        '--picky',
        '3',
        '--solar',
        '4500',
        '--start',
        '2026-05-20T05:00:00Z',
      ],
      {},
    );
    expect(r).toEqual({
      ok: true,
      config: {
        model: 'bp35c2',
        rbid: RBID,
        password: 'PASSWORD1234',
        pty: '/tmp/ttyWISUN',
        tcp: 3610,
        co2Pty: '/tmp/ttyCO2',
        co2Tcp: 3611,
        host: '127.0.0.1',
        speed: 60,
        seed: 7,
        faults: 'drop=0.1,unplug-at=2h:30s',
        stateDir: '/tmp/sim',
        truthFile: '/tmp/truth.jsonl',
        picky: 3,
        solar: 4500,
        start: new Date('2026-05-20T05:00:00Z'),
        verbose: false,
      },
    });
  });

  it('takes the credentials from B_ROUTE_ID / B_ROUTE_PASSWORD', () => {
    const r = parseCliArgs(['--model', 'bp35a1', '--tcp', '0'], {
      B_ROUTE_ID: RBID,
      B_ROUTE_PASSWORD: 'PASSWORD1234',
    });
    expect(r.ok && r.config.rbid === RBID && r.config.tcp === 0).toBe(true);
  });

  it.each([
    [[], '--model is required'],
    [
      ['--model', 'bp35x'],
      '--model must be one of bp35a1, rl7023-ips, bp35c0, bp35c2, rs-wsuha-p, rl7023-dss',
    ],
    [
      ['--model', 'bp35a1', '--pty', '/x', '--password', 'PASSWORD1234'],
      '--rbid (or B_ROUTE_ID) is required',
    ],
    [['--model', 'bp35a1', '--pty', '/x', '--rbid', 'short', '--password', 'PASSWORD1234'], '32 printable'],
    [['--model', 'bp35a1', '--pty', '/x', '--rbid', RBID, '--password', 'SHORT'], '12 characters'],
    [['--model', 'bp35a1', '--rbid', RBID, '--password', 'PASSWORD1234'], 'give --pty PATH or --tcp PORT'],
    [[...base, '--tcp', '70000'], '--tcp must be a port 0–65535'],
    [[...base, '--co2-tcp', '65536'], '--co2-tcp must be a port 0–65535'],
    [[...base, '--co2-tcp'], "Option '--co2-tcp <value>' argument missing"],
    [[...base, '--co2-pty', ' '], '--co2-pty needs a path'],
    [[...base, '--co2-pty', '/tmp/ttyWISUN'], '--co2-pty and --pty must be different paths'],
    [[...base, '--tcp', '3610', '--co2-tcp', '3610'], '--co2-tcp and --tcp must be different ports'],
    [
      ['--model', 'bp35a1', '--co2-pty', '/tmp/ttyCO2', '--rbid', RBID, '--password', 'PASSWORD1234'],
      'give --pty PATH or --tcp PORT',
    ],
    [[...base, '--speed', '0'], '--speed must be a number > 0'],
    [[...base, '--seed', '1.5'], '--seed must be an integer'],
    [[...base, '--start', 'yesterday'], '--start must be an ISO time'],
    [[...base, '--faults', 'drop=2'], 'drop=2: probability must be 0–1'],
    [[...base, '--bogus'], "Unknown option '--bogus'"],
  ])('%j → %s', (argv, message) => {
    const r = parseCliArgs(argv, {});
    expect(r.ok).toBe(false);
    expect(!r.ok && 'message' in r ? r.message : '').toContain(message);
  });

  it('lets both TCP servers pick a free port', () => {
    const r = parseCliArgs([...base, '--tcp', '0', '--co2-tcp', '0'], {});
    expect(r.ok && r.config.tcp === 0 && r.config.co2Tcp === 0).toBe(true);
  });

  it('never puts the secrets into an error message', () => {
    const r = parseCliArgs([...base.slice(0, 6), '--password', 'SECRETSECRET', '--speed', 'x'], {});
    expect(!r.ok && 'message' in r && r.message).not.toMatch(/SECRETSECRET|0123456789ABCDEF/);
  });

  it('asks for help', () => {
    expect(parseCliArgs(['-h'], {})).toEqual({ ok: false, help: true });
  });
});
