/**
 * The `start` command as its own process (`node --import tsx src/cli/main.ts` in packages/poller,
 * with pnpm's INIT_CWD), as `pnpm --filter poller start` runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '@b-route/store';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'Secret-Pw-12';

let dir: string;
let db: TestDatabase;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poller-cli-'));
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

interface Cli {
  readonly proc: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves when stderr (the log) matches. */
  waitFor(re: RegExp): Promise<void>;
  readonly exit: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}): Cli {
  const proc = spawn(process.execPath, ['--conditions=b-route-source', '--import', 'tsx', MAIN, ...args], {
    cwd: PACKAGE,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, INIT_CWD: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(err)) resolve();
          else if (proc.exitCode !== null)
            reject(new Error(`exited (${proc.exitCode}) before ${re}: ${err}`));
          else waiters.push(check);
        };
        check();
        void exit.then(() => waiters.length > 0 && check());
      }),
  };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('start command', () => {
  it('a misspelt key: the configuration error names it, exit status 2', async () => {
    const file = join(dir, 'typo.ini');
    await writeFile(file, '[routeB]\ndevice = /dev/ttyUSB0\n\n[schedule]\ninstantanous = 30\n');
    const cli = start(['--config', 'typo.ini']);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain('[schedule] instantanous: unknown key (did you mean instantaneous?)');
    expect(cli.stderr()).toContain(`${file}:5`);
  });

  it('a value out of range: exit status 2 with what is allowed', async () => {
    await writeFile(join(dir, 'fast.ini'), '[schedule]\ninstantaneous = 5\n');
    const cli = start(['--config', 'fast.ini']);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toMatch(/\[schedule\] instantaneous = 5: must be an integer number of seconds ≥ 10/);
  });

  it.skipIf(existsSync(join(REPO_ROOT, 'power_consumption.ini')))(
    'no configuration and no --simulate: says how to configure, exit status 2',
    async () => {
      const cli = start(['-t']);
      expect(await cli.exit).toBe(2);
      expect(cli.stderr()).toContain('no configuration file');
      expect(cli.stderr()).toContain('cp power_consumption.ini.sample power_consumption.ini');
      expect(cli.stderr()).toContain('pnpm --filter poller start --simulate');
    },
  );

  it('usage errors exit 2; -h prints the help and exits 0', async () => {
    const bad = start(['--speed', '10']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain('--speed needs --simulate (see --help)');
    const help = start(['-h']);
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toContain('-t, --cpu');
    expect(help.stdout()).toContain('--simulate');
  });

  it('--simulate -i prints the simulated dongle (SKVER, SKINFO, family, ROPT) and exits 0', async () => {
    const cli = start(['--simulate', '-i', '--model', 'bp35c2', '--seed', '4']);
    expect(await cli.exit).toBe(0);
    const out = cli.stdout();
    expect(out).toMatch(/^firmware: {2}\d+\.\d+\.\d+$/m);
    expect(out).toMatch(/^MAC: {7}[0-9A-F]{16}$/m);
    expect(out).toMatch(/^family: {4}dual-stack/m);
    expect(out).toMatch(/^payload: {3}(binary|hex)/m);
  });

  it('--simulate -t -c -b runs the meter and the sensors into PostgreSQL; SIGTERM stops it with status 0', async () => {
    const cli = start(['--simulate', '--speed', '600', '--seed', '9', '-t', '-c', '-b'], {
      DATABASE_URL: db.url,
    });
    await cli.waitFor(/"msg":"history filled"/);
    await cli.waitFor(/"msg":"meter identified"/);
    const rows = async (table: 'power_sample' | 'co2_sample' | 'bme280_sample' | 'cpu_temperature') =>
      (
        await db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    // Let it poll until every table has rows (a few simulated minutes).
    for (;;) {
      const counts = await Promise.all([
        rows('power_sample'),
        rows('co2_sample'),
        rows('bme280_sample'),
        rows('cpu_temperature'),
      ]);
      if (counts.every((n) => n > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    cli.proc.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    const log = cli.stderr();
    expect(log).toContain('"msg":"stopping"');
    expect(log).toContain('"msg":"stopped"');
    const intervals = await db.db
      .selectFrom('energy_interval')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', 'history')
      .executeTakeFirstOrThrow();
    expect(intervals.n).toBeGreaterThan(2 * 44 * 48);
    const meter = await db.db.selectFrom('meter').selectAll().executeTakeFirstOrThrow();
    expect(meter).toMatchObject({ manufacturer: '000016', coefficient: 1, unit_kwh: 0.1 });
    // The simulation kept its spool apart from a real poller's.
    expect(await exists(join(dir, 'data', 'spool-simulated'))).toBe(true);
  });

  it('a dongle that is not there: logs and retries, never prints the B-route ID or password, stops on SIGINT', async () => {
    const file = join(dir, 'real.ini');
    await writeFile(file, `[routeB]\ndevice = ${join(dir, 'ttyNONE')}\n\n[database]\ndata_dir = ${dir}\n`, {
      mode: 0o600,
    });
    const cli = start(['--config', file], {
      DATABASE_URL: db.url,
      B_ROUTE_ID: RBID,
      B_ROUTE_PASSWORD: PASSWORD,
    });
    await cli.waitFor(/"msg":"cannot open the meter session"/);
    cli.proc.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    const all = cli.stdout() + cli.stderr();
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(RBID);
    expect(all).not.toContain(RBID.slice(-8));
  });
});
