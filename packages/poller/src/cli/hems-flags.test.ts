import { isConfigError } from '@b-route/store';
import { describe, expect, it } from 'vitest';
import { checkFixedPan, configFromIni } from '../config/load-config.js';
import { parseCliArgs, UsageError } from './args.js';
import { applyHemsFlags } from './hems-flags.js';

const base = (env: Record<string, string> = {}) => configFromIni('', { env, baseDir: '/srv' }).config;
const withFlags = (argv: string[], env: Record<string, string> = {}) =>
  applyHemsFlags(base(env), parseCliArgs(argv).hems);

describe("the HEMS data collector's flags and environment", () => {
  it('reads SERIAL_PORT and SERIAL_RATE as it does', () => {
    const c = base({ SERIAL_PORT: '/dev/ttyACM0', SERIAL_RATE: '9600', B_ROUTE_ID: 'x'.repeat(32) });
    expect(c.routeB).toMatchObject({ device: '/dev/ttyACM0', baud: 9600, id: 'x'.repeat(32) });
  });

  it('--port and --baudrate override the file and the environment', () => {
    const c = withFlags(['--port', 'tcp://10.0.0.2:4001', '--baudrate', '38400'], {
      SERIAL_PORT: '/dev/ttyACM0',
    });
    expect(c.routeB).toMatchObject({ device: 'tcp://10.0.0.2:4001', baud: 38_400 });
  });

  it('--meter-channel/--meter-panid/--meter-ipv6 fix the PAN (hex, as EPANDESC prints them)', () => {
    const c = withFlags([
      '--meter-channel',
      '21',
      '--meter-panid',
      '8888',
      '--meter-ipv6',
      'FE80:0000:0000:0000:021C:6400:6014:21A3',
    ]);
    expect(c.routeB).toMatchObject({ meterChannel: 0x21, meterPanid: 0x8888 });
    expect(() => checkFixedPan(c)).not.toThrow();
    const partial = withFlags(['--meter-channel', '21']);
    let err: unknown;
    try {
      checkFixedPan(partial);
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err, 'config.invalid')).toBe(true);
    expect((err as Error).message).toMatch(/all together/);
  });

  it('--schedule (-s) sets a crontab schedule; --mode schedule alone uses its default */5', () => {
    expect(withFlags(['-s', '*/10 * * * *']).schedule.cron).toBe('*/10 * * * *');
    expect(withFlags(['--mode', 'schedule']).schedule.cron).toBe('*/5 * * * *');
  });

  it('--interval N reads everything every N seconds; --mode interval alone every 300', () => {
    expect(withFlags(['--interval', '60']).schedule).toMatchObject({
      instantaneous: 60,
      cumulative: 60,
      cron: undefined,
    });
    expect(withFlags(['--mode', 'interval']).schedule).toMatchObject({ instantaneous: 300, cumulative: 300 });
  });

  it('--debug is [log] level = debug', () => {
    expect(withFlags(['--debug']).log.level).toBe('debug');
    expect(withFlags([]).log.level).toBe('info');
  });

  it.each([
    [['--schedule', '*/5 * *'], /--schedule: .*five fields/],
    [['--interval', '5'], /--interval must be an integer number of seconds ≥ 10/],
    [['--mode', 'cron'], /--mode must be schedule or interval/],
    [['--meter-ipv6', '2001:db8::1'], /--meter-ipv6 must be the meter's link-local IPv6/],
    [['--baudrate', '12345'], /--baudrate must be one of/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
